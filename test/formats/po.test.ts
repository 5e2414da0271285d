// The PO format on its own: real Debian catalogs (decompiled with msgunfmt), a template and a
// hand-made catalog with every kind of line. Translated copies must pass Debian's `msgfmt
// --check`. The translations come from a stand-in that keeps the source's placeholders (what
// the protected-span layer guarantees the real engine does; checked at the end).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { poFormat, type PoDoc } from '../../src/core/formats/po.js';
import type { RenderOptions, UnitLookup } from '../../src/core/formats/text-format.js';
import { findSpans } from '../../src/core/protect/spans.js';
import { useTmpDirs } from '../state/helpers/tmp.js';

const tmp = useTmpDirs('parla-po-');
const FIXTURES = new URL('../fixtures/formats/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
const CATALOGS = ['glib20.es.po', 'apt.es.po', 'sed.pot', 'features.po'];
const opts = (lang: string, more: Partial<RenderOptions> = {}): RenderOptions => ({ lang, overwrite: false, fuzzy: true, ...more });
const tagged: (lang: string) => UnitLookup = (lang) => (u) => ({ text: `[${lang}] ${u.source}`, flags: [] });
const nothing: UnitLookup = () => undefined;

function render(text: string, lookup: UnitLookup, options: RenderOptions, file = 'x.po') {
  const doc: PoDoc = poFormat.parse(text, file);
  return poFormat.render(doc, lookup, options);
}

/** A catalog's lines without its flags and msgstr lines (a msgstr's continuation lines included). */
function skeleton(text: string): string[] {
  let inMsgstr = false;
  return text.split('\n').filter((line) => {
    inMsgstr = line.startsWith('msgstr') || (inMsgstr && line.startsWith('"'));
    return !inMsgstr && !line.startsWith('#,');
  });
}

/** msgfmt's verdict on a catalog (it checks the formats of entries not marked fuzzy) on a catalog: '' when it passes `--check`, else its complaints. */
function msgfmt(text: string): string {
  const file = join(tmp(), 'check.po');
  writeFileSync(file, text);
  try {
    execFileSync('msgfmt', ['--check', '-o', '/dev/null', file], { stdio: 'pipe' });
    return '';
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error);
  }
}

describe('PO catalogs', () => {
  it.each(CATALOGS)('%s renders back byte for byte when nothing is translated', (name) => {
    const text = fixture(name);
    const { text: out, counts } = render(text, nothing, opts('es'));
    expect(out).toBe(text);
    expect(counts.translated).toBe(0);
  });

  it('lists each live entry as units: msgctxt as context, plurals as two units, header and #~ entries left out', () => {
    const units = poFormat.units(poFormat.parse(fixture('features.po'), 'features.po'));
    expect(units.map((u) => u.source)).toEqual([
      'Welcome back',
      'Hello %s, you have %d new messages',
      'Found %1$d file in %2$s',
      'Found %1$d files in %2$s',
      'Open',
      'Open',
      'Saved %(count)d rows to %(name)s',
      'Delete the file %(name)s?',
      'Usage: demo [OPTION]... FILE\nPrint the lines of FILE that match.\n',
      'Quit the application',
    ]);
    expect(units.filter((u) => u.context).map((u) => u.context)).toEqual(['menu', 'state']);
    expect(units.filter((u) => u.existing !== undefined).map((u) => u.existing)).toEqual(['Abierto', '¿Borrar %(name)s?']);
    expect(new Set(units.map((u) => u.id)).size).toBe(units.length);
  });

  it('counts real catalogs: every entry of a Debian catalog is already translated', () => {
    const doc = poFormat.parse(fixture('glib20.es.po'), 'g.po');
    const units = poFormat.units(doc);
    const plurals = units.filter((u) => u.id.endsWith('.plural')).length;
    expect(plurals).toBe(fixture('glib20.es.po').match(/^msgid_plural /gmu)!.length);
    expect(units.every((u) => u.existing !== undefined)).toBe(true);
    expect(units.filter((u) => u.context !== undefined).length).toBe(72);
  });

  it('fills only the empty msgstr lines, marks them fuzzy (merged with existing flags), keeps every other line', () => {
    const text = fixture('features.po');
    const { text: out, counts } = render(text, tagged('es'), opts('es'));
    expect(counts).toEqual({ translated: 7, kept: 2, skipped: 0 });
    expect(out).toContain('#, fuzzy, c-format\nmsgid "Hello %s, you have %d new messages"\nmsgstr "[es] Hello %s, you have %d new messages"\n');
    expect(out).toContain('#: src/app.c:10 src/app.c:42\n#, fuzzy\nmsgid "Welcome back"\nmsgstr "[es] Welcome back"\n');
    // A new flags line goes before the previous-msgid lines.
    expect(out).toContain('#: src/help.c:80\n#, fuzzy\n#| msgid "Quit the app"\nmsgid "Quit the application"\n');
    expect(out).toContain('msgctxt "state"\nmsgid "Open"\nmsgstr "Abierto"\n');
    expect(out).toContain('msgstr[0] "[es] Found %1$d file in %2$s"\nmsgstr[1] "[es] Found %1$d files in %2$s"\n');
    expect(out).toContain('msgstr ""\n"[es] Usage: demo [OPTION]... FILE\\n"\n"Print the lines of FILE that match.\\n"\n');
    // Without the msgstr and flags lines, input and output are the same lines.
    expect(skeleton(out)).toEqual(skeleton(text));
    expect(msgfmt(out)).toBe('');
    expect(msgfmt(render(text, tagged('es'), opts('es', { fuzzy: false })).text)).toBe('');
  });

  it('keeps translations unless overwrite, and writes no fuzzy flag with fuzzy off', () => {
    const text = fixture('features.po');
    const over = render(text, tagged('es'), opts('es', { overwrite: true, fuzzy: false }));
    expect(over.counts).toEqual({ translated: 9, kept: 0, skipped: 0 });
    expect(over.text).toContain('msgctxt "state"\nmsgid "Open"\nmsgstr "[es] Open"\n');
    expect(over.text.match(/fuzzy/gu)?.length).toBe(text.match(/fuzzy/gu)?.length);
    expect(msgfmt(over.text)).toBe('');
  });

  it('skips entries with no translation, and plural entries missing either form', () => {
    const text = fixture('features.po');
    const { text: out, counts } = render(text, (u) => (u.id.endsWith('.plural') || u.source === 'Welcome back' ? undefined : { text: `x ${u.source}`, flags: [] }), opts('es'));
    expect(counts).toEqual({ translated: 5, kept: 2, skipped: 2 });
    expect(out).toContain('msgid "Welcome back"\nmsgstr ""\n');
    expect(out).toContain('msgstr[0] ""\nmsgstr[1] ""\n');
  });

  it.each([
    ['es', 2],
    ['fr', 2],
    ['de', 2],
    ['pt', 2],
    ['it', 2],
    ['ru', 3],
    ['pl', 3],
    ['ja', 1],
    ['zh', 1],
    ['ar', 6],
  ] as const)('a template translated to %s gets its header and %i plural forms, and passes msgfmt --check', (lang, forms) => {
    const { text: out, counts } = render(fixture('sed.pot'), tagged(lang), opts(lang), 'sed.pot');
    expect(counts.translated).toBe(poFormat.units(poFormat.parse(fixture('sed.pot'), 'sed.pot')).filter((u) => !u.id.endsWith('.plural')).length);
    expect(out).toContain(`"Language: ${lang}\\n"`);
    expect(out).toContain('"Content-Type: text/plain; charset=UTF-8\\n"');
    expect(out).toMatch(new RegExp(`"Plural-Forms: nplurals=${forms}; `));
    const plural = /msgid_plural "couldn't write %llu items to %s: %s"\n((?:msgstr\[\d\] .*\n)+)/u.exec(out)![1]!;
    expect(plural.trim().split('\n')).toHaveLength(forms);
    if (forms === 1) expect(plural).toBe(`msgstr[0] "[${lang}] couldn't write %llu items to %s: %s"\n`);
    expect(msgfmt(render(fixture('sed.pot'), tagged(lang), opts(lang, { fuzzy: false }), 'sed.pot').text)).toBe('');
  });

  it('translated Debian catalogs (overwrite) pass msgfmt --check, plurals and contexts included', () => {
    for (const name of ['glib20.es.po', 'apt.es.po']) {
      const { text: out, counts } = render(fixture(name), tagged('es'), opts('es', { overwrite: true, fuzzy: false }));
      expect(counts.translated).toBeGreaterThan(300);
      expect(msgfmt(out)).toBe('');
    }
  });

  it('uses the header Plural-Forms of a catalog already in the target language', () => {
    const text = 'msgid ""\nmsgstr ""\n"Language: ga\\n"\n"Plural-Forms: nplurals=5; plural=n==1 ? 0 : n==2 ? 1 : n<7 ? 2 : n<11 ? 3 : 4;\\n"\n\nmsgid "one dog"\nmsgid_plural "%d dogs"\nmsgstr[0] ""\nmsgstr[1] ""\n';
    const { text: out } = render(text, tagged('ga'), opts('ga', { fuzzy: false }));
    expect(out.match(/^msgstr\[\d\]/gmu)).toHaveLength(5);
    expect(msgfmt(out)).toBe('');
    expect(() => render(text.replace('Language: ga', 'Language: de'), tagged('xx'), opts('xx'))).toThrow(/no plural rule known for "xx"/u);
  });

  it('keeps CRLF line endings and a missing header gets one', () => {
    const text = '#: a.c:1\r\nmsgid "Cancel"\r\nmsgstr ""\r\n\r\nmsgid "one"\r\nmsgid_plural "many"\r\nmsgstr[0] ""\r\nmsgstr[1] ""\r\n';
    expect(render(text, nothing, opts('fr')).text).toBe(text);
    const { text: out } = render(text, tagged('fr'), opts('fr'));
    expect(out.replace(/\r\n/gu, '')).not.toContain('\n');
    expect(out).toContain('#: a.c:1\r\n#, fuzzy\r\nmsgid "Cancel"\r\nmsgstr "[fr] Cancel"\r\n');
    expect(out.startsWith('msgid ""\r\nmsgstr ""\r\n"Language: fr\\n"\r\n')).toBe(true);
    expect(msgfmt(render(text, tagged('fr'), opts('fr', { fuzzy: false })).text)).toBe('');
  });

  it('keeps gettext\'s rule that msgid and msgstr start and end alike with a line break', () => {
    const text = 'msgid "\\nDone.\\n"\nmsgstr ""\n';
    const { text: out } = render(text, () => ({ text: 'Hecho.', flags: [] }), opts('es', { fuzzy: false }));
    expect(out).toContain('msgstr ""\n"\\n"\n"Hecho.\\n"\n');
    expect(msgfmt(out)).toBe('');
  });

  it.each([
    ['msgid "a"\nmsgstr "b"\nmsgid "a"\nmsgstr "c"\n', /x\.po:3: a second entry for msgid "a"/u],
    ['msgid "a"\nmsgstr "b\n', /x\.po:2: expected a string in double quotes/u],
    ['msgid "a"\n\nmsgid "b"\nmsgstr ""\n', /x\.po:2: msgid on line 1 has no msgstr/u],
    ['msgid "a"\nmsgstr[0] "b"\n', /x\.po:2: msgstr\[0\] without msgid_plural/u],
    ['msgid "a"\nmsgid_plural "as"\nmsgstr[1] "b"\n', /x\.po:3: expected msgstr\[0\], found msgstr\[1\]/u],
    ['msgstr "b"\n', /x\.po:1: msgstr without msgid/u],
    ['msgid "a"\nmsgstr "b"\nhello\n', /x\.po:3: unexpected "hello"/u],
    ['msgid "a\\q"\nmsgstr ""\n', /x\.po:1: unknown escape \\q/u],
    ['"stray"\n', /x\.po:1: a string outside any msgid or msgstr/u],
  ])('names the line of a malformed catalog (%#)', (text, message) => {
    expect(() => poFormat.parse(text, 'x.po')).toThrow(message);
    try {
      poFormat.parse(text, 'x.po');
    } catch (error) {
      expect((error as { code: string }).code).toBe('BAD_FILE');
    }
  });

  it('sniffs catalogs by content and names outputs by language', () => {
    expect(poFormat.sniff(fixture('sed.pot'))).toBe(true);
    expect(poFormat.sniff('# just a comment\nmsgid "x"\nmsgstr ""\n')).toBe(true);
    expect(poFormat.sniff('id,text\n1,msgid "x"\n')).toBe(false);
    expect(poFormat.outputName!('locale/messages.po', 'es')).toBe('locale/messages.es.po');
    expect(poFormat.outputName!('messages.pot', 'pt-BR')).toBe('messages.pt-BR.po');
  });

  it('c-format and python-format placeholders are protected spans', () => {
    for (const [text, spans] of [
      ['Hello %s, you have %d new messages', ['%s', '%d']],
      ['Saved %(count)d rows to %(name)s', ['%(count)d', '%(name)s']],
      ['Found %1$d files in %2$s', ['%1$d', '%2$s']],
      ["couldn't write %llu items to %s: %s", ['%llu', '%s', '%s']],
    ] as const) {
      expect(findSpans(text).filter((s) => s.kind === 'printf').map((s) => s.text)).toEqual(spans);
    }
  });
});
