import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParlaError } from '../../src/shared/errors.js';
import type { FileUnit } from '../../src/core/formats/text-format.js';
import { jsonFormat, selectKeys } from '../../src/core/formats/json.js';
import { findSpans } from '../../src/core/protect/spans.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/formats/${name}`, import.meta.url), 'utf8');
const NESTED = fixture('common.en.json');
const FLAT = fixture('flat.json');
const opts = { lang: 'es', overwrite: false, fuzzy: true };
const es = (u: FileUnit) => ({ text: `ES:${u.source}`, flags: [] });

function badFile(text: string): string {
  try {
    jsonFormat.parse(text, 'bad.json');
  } catch (e) {
    expect((e as ParlaError).code).toBe('BAD_FILE');
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('parsed a malformed file');
}

/** Every string leaf of a parsed JSON value with its key path, the way the format names them. */
function leaves(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return value.trim() ? [[path, value]] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  return [];
}

describe('i18n JSON', () => {
  const nested = jsonFormat.parse(NESTED, 'en.json');
  const flat = jsonFormat.parse(FLAT, 'flat.json');

  it('is sniffed from an object or array, not from other text', () => {
    expect(jsonFormat.sniff(NESTED)).toBe(true);
    expect(jsonFormat.sniff(FLAT)).toBe(true);
    expect(jsonFormat.sniff('{"a": ')).toBe(false);
    expect(jsonFormat.sniff('1\n00:00:01,000 --> 00:00:02,000\nHi')).toBe(false);
    expect(jsonFormat.sniff('"just a string"')).toBe(false);
  });

  it('lists every non-empty string value by key path, and nothing else', () => {
    const units = jsonFormat.units(nested);
    expect(units.map((u) => [u.id, u.source])).toEqual(leaves(JSON.parse(NESTED)));
    expect(units.map((u) => u.id)).toEqual([
      'app.title',
      'app.welcome',
      'app.nesting',
      'menu.file.open',
      'menu.file.save',
      'menu.file.recent[0]',
      'menu.file.recent[1].label',
      'items_one',
      'items_other',
      'items_few',
      'notice',
      'key with "quotes" and \\slash',
      'icu',
    ]);
    expect(units.every((u) => u.context === u.id && u.existing === undefined)).toBe(true);
    expect(units.find((u) => u.id === 'notice')!.source).toBe('Line one\nline two\ttabbed été');
    expect(jsonFormat.units(flat).map((u) => u.id)).toEqual(['login.title', 'login.button', 'login.error', 'logout']);
  });

  it('leaves placeholders, nesting and ICU blocks in the text for the protected spans', () => {
    const byId = new Map(jsonFormat.units(nested).map((u) => [u.id, u.source]));
    expect(findSpans(byId.get('app.welcome')!).map((s) => s.text)).toEqual(['{{name}}']);
    expect(findSpans(byId.get('menu.file.recent[1].label')!).map((s) => s.text)).toEqual(['<b>', '{{count}}', '</b>']);
    expect(findSpans(byId.get('icu')!).map((s) => s.kind)).toEqual(['icu']);
  });

  it('renders byte for byte when nothing is translated', () => {
    for (const [doc, text] of [[nested, NESTED], [flat, FLAT]] as const) {
      const out = jsonFormat.render(doc, () => undefined, opts);
      expect(out.text).toBe(text);
      expect(out.counts).toEqual({ translated: 0, kept: 0, skipped: jsonFormat.units(doc).length });
    }
  });

  it('splices translations in, keeping keys, order, indentation, line endings and escapes', () => {
    const out = jsonFormat.render(nested, es, opts);
    expect(out.counts).toEqual({ translated: 13, kept: 0, skipped: 0 });
    expect(out.text).toContain('\n  "app": {\n    "title": "ES:Parla",\n');
    expect(out.text).toContain('"save": "ES:Save \\"as\\" a copy"');
    expect(out.text).toContain('"key with \\"quotes\\" and \\\\slash": "ES:Escaped key"');
    expect(out.text).toContain('"version": 3,\n    "beta": true,\n    "owner": null');
    expect(out.text.endsWith('}\n')).toBe(true);
    const back = JSON.parse(out.text);
    expect(leaves(back)).toEqual(leaves(JSON.parse(NESTED)).map(([k, v]) => [k, `ES:${v}`]));
    expect(back.app.empty).toBe('');
    // Only the literals changed: putting the old ones back gives the input.
    expect(out.text.replace(/"ES:/g, '"')).toBe(NESTED.replace('\\u00e9t\\u00e9', 'été'));

    const flatOut = jsonFormat.render(flat, es, opts).text;
    expect(flatOut).toBe(FLAT.replace(/: "/g, ': "ES:'));
    expect(jsonFormat.units(jsonFormat.parse(flatOut, 'es.json')).map((u) => u.id)).toEqual(jsonFormat.units(flat).map((u) => u.id));
  });

  it('escapes what JSON must and keeps an ASCII-only file ASCII', () => {
    const out = jsonFormat.render(nested, (u) => (u.id === 'app.title' ? { text: 'Dí "hola"\\\n\u2028', flags: [] } : undefined), opts).text;
    expect(JSON.parse(out).app.title).toBe('Dí "hola"\\\n\u2028');
    const ascii = '{\n  "a": "caf\\u00e9",\n  "b": "x"\n}\n';
    const asciiOut = jsonFormat.render(jsonFormat.parse(ascii, 'a.json'), (u) => ({ text: u.id === 'a' ? 'café ☕' : 'ñ', flags: [] }), opts).text;
    expect(asciiOut).toBe('{\n  "a": "caf\\u00e9 \\u2615",\n  "b": "\\u00f1"\n}\n');
  });

  it('writes plural suffix keys as their own strings', () => {
    const out = jsonFormat.render(nested, (u) => (u.id.startsWith('items_') ? { text: `{{count}} elemento(s) ${u.id}`, flags: [] } : undefined), opts);
    expect(out.counts).toEqual({ translated: 3, kept: 0, skipped: 10 });
    const back = JSON.parse(out.text);
    expect([back.items_one, back.items_other, back.items_few]).toEqual([
      '{{count}} elemento(s) items_one',
      '{{count}} elemento(s) items_other',
      '{{count}} elemento(s) items_few',
    ]);
  });

  it('selects keys by glob', () => {
    const units = jsonFormat.units(nested);
    const ids = (globs: string[]) => selectKeys(units, globs).map((u) => u.id);
    expect(ids(['menu.*'])).toEqual(['menu.file.open', 'menu.file.save', 'menu.file.recent[0]', 'menu.file.recent[1].label']);
    expect(ids(['menu.file.recent'])).toEqual(['menu.file.recent[0]', 'menu.file.recent[1].label']);
    expect(ids(['*.title', 'items_*'])).toEqual(['app.title', 'items_one', 'items_other', 'items_few']);
    expect(ids(['**.label'])).toEqual(['menu.file.recent[1].label']);
    expect(ids(['app', '!app.nesting'])).toEqual(['app.title', 'app.welcome']);
    expect(ids(['!menu', '!items_*', '!app'])).toEqual(['notice', 'key with "quotes" and \\slash', 'icu']);
    expect(ids(['men'])).toEqual([]);
    expect(ids(['items_?ne'])).toEqual(['items_one']);
  });

  it('names the output file for the target language', () => {
    const name = jsonFormat.outputName!;
    expect(name('en.json', 'es')).toBe('es.json');
    expect(name('i18n/pt-BR.json', 'fr')).toBe('i18n/fr.json');
    expect(name('locales/en/common.json', 'es')).toBe('locales/es/common.json');
    expect(name('C:\\app\\locales\\en\\common.json', 'de')).toBe('C:\\app\\locales\\de\\common.json');
    expect(name('messages.en.json', 'es')).toBe('messages.es.json');
    expect(name('src/app/strings.json', 'es')).toBe('src/app/strings.es.json');
    expect(name('flat.json', 'es')).toBe('flat.es.json');
  });

  it('names the line of a malformed file in one line', () => {
    expect(badFile('{\n  "a": "x",\n  "b": "y"\n  "c": 1\n}')).toMatch(/^bad\.json line 4: expected "," or "}" in the object opened on line 1/);
    expect(badFile('{\n  "a": "x",\n}')).toMatch(/line 3: expected a key in double quotes, found "}"/);
    expect(badFile('{\n  "a": "x",\n  "a": "y"\n}')).toMatch(/line 3: key "a" appears twice/);
    expect(badFile('{\n  "a": "unclosed\n}')).toMatch(/line 2: string never closed/);
    expect(badFile('{\n "a": [1, 2\n}')).toMatch(/line 3: expected "," or "]" in the array opened on line 2/);
    expect(badFile('{"a": tru}')).toMatch(/line 1: expected a value/);
    expect(badFile('{"a": "\\x"}')).toMatch(/bad escape/);
    expect(badFile('{}\n{}')).toMatch(/line 2: unexpected/);
    expect(badFile('"text"')).toMatch(/holds an object or an array/);
    expect(badFile('')).toMatch(/found the end of the file/);
    expect(badFile('['.repeat(500))).toMatch(/nested more than 200 levels/);
  });

  it('is idempotent for the same lookup', () => {
    const once = jsonFormat.render(nested, es, opts).text;
    expect(jsonFormat.render(nested, es, opts).text).toBe(once);
  });
});
