import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParlaError } from '../../src/shared/errors.js';
import type { ItemTranslation } from '../../src/shared/jobs.js';
import type { FileUnit } from '../../src/core/formats/text-format.js';
import { xliffFormat, XLIFF2_REVIEW_SUBSTATE } from '../../src/core/formats/xliff.js';
import { findSpans, tagsBalanced } from '../../src/core/protect/spans.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/formats/${name}`, import.meta.url), 'utf8');
const V12 = fixture('app.xlf');
const V20 = fixture('app2.xlf');
const es = (u: FileUnit): ItemTranslation => ({ text: `ES:${u.source}`, flags: [] });
const none = () => undefined;
const opts = { lang: 'es', overwrite: false, fuzzy: true };

function badFile(text: string): string {
  try {
    xliffFormat.parse(text, 'bad.xlf');
  } catch (e) {
    expect(e).toBeInstanceOf(ParlaError);
    expect((e as ParlaError).code).toBe('BAD_FILE');
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('parsed a malformed file');
}

describe('XLIFF 1.2', () => {
  const doc = xliffFormat.parse(V12, 'app.xlf');

  it('is sniffed by its root element and version', () => {
    expect(xliffFormat.sniff(V12)).toBe(true);
    expect(xliffFormat.sniff(V20)).toBe(true);
    expect(xliffFormat.sniff('<xliff version="3.0"></xliff>')).toBe(false);
    expect(xliffFormat.sniff('{"a": "<xliff>"}')).toBe(false);
    expect(xliffFormat.sniff('<html><body>xliff</body></html>')).toBe(false);
    expect(xliffFormat.sniff(`{"a": "<xliff version='1.2'>"}`)).toBe(false);
    const its = '<xliff xmlns:its="http://www.w3.org/2005/11/its" its:version="2.0" version="1.2"><file><body><trans-unit id="1"><source>a</source></trans-unit></body></file></xliff>';
    expect(xliffFormat.render(xliffFormat.parse(its, 'x.xlf'), es, opts).text).toContain('<target state="translated">ES:a</target>');
    expect(xliffFormat.sniff('<html><xliff version="1.2"></xliff></html>')).toBe(false);
    expect(xliffFormat.sniff('\uFEFF<?xml version="1.0"?>\n<!-- c -->\n<x:xliff xmlns:x="urn:oasis:names:tc:xliff:document:2.0">')).toBe(true);
  });

  it('lists each trans-unit source, inline elements as placeholder tags, existing targets and notes', () => {
    const units = xliffFormat.units(doc);
    expect(units.map((u) => u.id)).toEqual(['1', '2', '3', '4', '6', '7']);
    expect(units.map((u) => u.source)).toEqual([
      'Welcome to <g1>Parla</g1>!',
      'You have <x1/> files in <x2/> your folder.',
      'Press <x1/>Ctrl+S<x2/> to save & close.',
      'Open a <g1><g2>recent</g2> file</g1>',
      'Use <b> for "bold" text',
      'Page <x1/> of <x2/>',
    ]);
    expect(units.map((u) => u.existing)).toEqual([undefined, undefined, 'Pulse <x1/>Ctrl+S<x2/> para guardar y cerrar.', undefined, undefined, undefined]);
    expect(units[0]!.context).toBe('welcome.title | Shown on the first screen.');
    expect(units[3]!.context).toBe('menu.open | Menu item; keep it short.');
    // The placeholders are spans the protected-span code keeps, nested as the elements were.
    const spans = findSpans(units[3]!.source);
    expect(spans.map((s) => s.text)).toEqual(['<g1>', '<g2>', '</g2>', '</g1>']);
    expect(tagsBalanced(spans)).toBe(true);
    expect(findSpans(units[1]!.source).map((s) => [s.kind, s.text])).toEqual([['tag', '<x1/>'], ['tag', '<x2/>']]);
  });

  it('renders byte for byte when nothing is translated', () => {
    const out = xliffFormat.render(doc, none, opts);
    expect(out.text).toBe(V12);
    expect(out.counts).toEqual({ translated: 0, kept: 1, skipped: 5 });
  });

  it('writes targets with a state, inline elements back in place, and parses back with the same units and notes', () => {
    const out = xliffFormat.render(doc, es, opts);
    expect(out.counts).toEqual({ translated: 5, kept: 1, skipped: 0 });
    // A new target goes right after its source, on its own line with the source's indentation.
    expect(out.text).toContain(
      '<source xml:lang="en-US">Welcome to <g id="1" ctype="bold">Parla</g>!</source>\n        <target state="translated">ES:Welcome to <g id="1" ctype="bold">Parla</g>!</target>\n        <note from="developer">',
    );
    expect(out.text).toContain('<target xml:lang="es-ES" state="translated">ES:Open a <g id="1"><g id="2">recent</g> file</g></target>');
    expect(out.text).toContain('<target xml:lang="es-ES" state="translated">ES:Use &lt;b&gt; for "bold" text</target>');
    expect(out.text).toContain('tool-id="okapi" target-language="es">');
    // The alt-trans keeps its own source and target.
    expect(out.text).toContain('<alt-trans match-quality="80"><source>Page <x id="1"/></source><target>Página <x id="1"/></target></alt-trans>');
    const back = xliffFormat.parse(out.text, 'app.es.xlf');
    const before = xliffFormat.units(doc);
    const after = xliffFormat.units(back);
    expect(after.map((u) => [u.id, u.source, u.context])).toEqual(before.map((u) => [u.id, u.source, u.context]));
    expect(after.map((u) => u.existing)).toEqual(before.map((u) => u.existing ?? `ES:${u.source}`));
    // Everything outside the targets is unchanged: removing the new targets gives the input back.
    const stripped = out.text
      .replace(/\n {8}<target state="translated">.*<\/target>/g, '')
      .replace(' target-language="es"', '')
      .replace('<target xml:lang="es-ES" state="translated">ES:Open a <g id="1"><g id="2">recent</g> file</g></target>', '<target xml:lang="es-ES"/>')
      .replace('<target xml:lang="es-ES" state="translated">ES:Use &lt;b&gt; for "bold" text</target>', '<target xml:lang="es-ES"></target>');
    expect(stripped).toBe(V12);
  });

  it('is idempotent: rendering a translated file again keeps every target', () => {
    const once = xliffFormat.render(doc, es, opts).text;
    const twice = xliffFormat.render(xliffFormat.parse(once, 'x.xlf'), es, opts);
    expect(twice.text).toBe(once);
    expect(twice.counts).toEqual({ translated: 0, kept: 6, skipped: 0 });
  });

  it('overwrite redoes existing targets', () => {
    const out = xliffFormat.render(doc, es, { ...opts, overwrite: true });
    expect(out.counts).toEqual({ translated: 6, kept: 0, skipped: 0 });
    expect(out.text).toContain(
      '<target xml:lang="es-ES" state="translated">ES:Press <bpt id="1">&lt;kbd&gt;</bpt>Ctrl+S<ept id="1">&lt;/kbd&gt;</ept> to save &amp; close.</target>',
    );
  });

  it('escapes markup characters of a translation', () => {
    const out = xliffFormat.render(doc, (u) => (u.id === '6' ? { text: 'Usa <b> & </target> "negrita"', flags: [] } : undefined), opts);
    expect(out.text).toContain('>Usa &lt;b&gt; &amp; &lt;/target&gt; "negrita"</target>');
    expect(xliffFormat.units(xliffFormat.parse(out.text, 'x.xlf')).find((u) => u.id === '6')!.existing).toBe('Usa <b> & </target> "negrita"');
  });

  it('marks flagged translations needs-review-translation', () => {
    const out = xliffFormat.render(doc, (u) => (u.id === '2' ? { text: 'Tiene <x1/> archivos en <x2/> su carpeta.', flags: ['low_confidence'] } : undefined), opts);
    expect(out.text).toContain(
      '<target state="needs-review-translation">Tiene <ph id="1">%d</ph> archivos en <x id="2" ctype="image"/> su carpeta.</target>',
    );
  });

  it('restores lost or repeated inline elements in source order and asks for a review', () => {
    const lookup = (u: FileUnit): ItemTranslation | undefined =>
      u.id === '1' ? { text: 'Bienvenido a Parla!', flags: [] } : u.id === '7' ? { text: 'Página <x1/> de <x1/>', flags: [] } : undefined;
    const out = xliffFormat.render(doc, lookup, opts);
    expect(out.text).toContain('<target state="needs-review-translation">Bienvenido a Parla!<g id="1" ctype="bold"></g></target>');
    expect(out.text).toContain('<target state="needs-review-translation">Página  de <x id="1"/><x id="2"/></target>');
    expect(() => xliffFormat.parse(out.text, 'x.xlf')).not.toThrow();
  });

  it('finds placeholders whatever their case', () => {
    const out = xliffFormat.render(doc, (u) => (u.id === '1' ? { text: u.source.toUpperCase(), flags: [] } : undefined), opts);
    expect(out.text).toContain('<target state="translated">WELCOME TO <g id="1" ctype="bold">PARLA</g>!</target>');
  });

  it('moves inline elements where the translation puts them', () => {
    const out = xliffFormat.render(doc, (u) => (u.id === '4' ? { text: 'Abrir un <g1>archivo <g2>reciente</g2></g1>', flags: [] } : undefined), opts);
    expect(out.text).toContain('>Abrir un <g id="1">archivo <g id="2">reciente</g></g></target>');
  });

  it('reads a wrapped source as one line unless spaces are preserved, and puts a new target after <seg-source>', () => {
    const text = [
      '<xliff version="1.2"><file><body>',
      '  <trans-unit id="a">',
      '    <source>Open the\n      recent file</source>',
      '    <seg-source><mrk mtype="seg" mid="1">Open the\n      recent file</mrk></seg-source>',
      '  </trans-unit>',
      '  <trans-unit id="b" xml:space="preserve">',
      '    <source>Name:\n  value</source>',
      '  </trans-unit>',
      '</body></file></xliff>',
    ].join('\n');
    const d = xliffFormat.parse(text, 'x.xlf');
    expect(xliffFormat.units(d).map((u) => u.source)).toEqual(['Open the recent file', 'Name:\n  value']);
    const out = xliffFormat.render(d, es, opts).text;
    expect(out).toContain('</seg-source>\n    <target state="translated">ES:Open the recent file</target>\n  </trans-unit>');
  });

  it('leaves out units of a translate="no" group', () => {
    const text = '<xliff version="1.2"><file><body><group translate="no"><trans-unit id="a"><source>Brand</source></trans-unit></group><trans-unit id="b"><source>Word</source></trans-unit></body></file></xliff>';
    expect(xliffFormat.units(xliffFormat.parse(text, 'x.xlf')).map((u) => u.id)).toEqual(['b']);
  });

  it('keeps protected annotations whole', () => {
    const v12 = '<xliff version="1.2"><file><body><trans-unit id="a"><source>Buy <mrk mtype="protected">Parla Pro</mrk> <mrk mtype="term">today</mrk></source></trans-unit></body></file></xliff>';
    expect(xliffFormat.units(xliffFormat.parse(v12, 'x.xlf'))[0]!.source).toBe('Buy <x1/> <g2>today</g2>');
    const v20 = '<xliff version="2.0"><file><unit id="u"><segment><source>Buy <mrk id="m" translate="no">Parla Pro</mrk></source></segment></unit></file></xliff>';
    const d = xliffFormat.parse(v20, 'x.xlf');
    expect(xliffFormat.units(d)[0]!.source).toBe('Buy <x1/>');
    expect(xliffFormat.render(d, () => ({ text: 'Compre <x1/>', flags: [] }), opts).text).toContain('<target>Compre <mrk id="m" translate="no">Parla Pro</mrk></target>');
  });

  it('does not mistake literal text for a placeholder', () => {
    const text = '<xliff version="1.2"><file source-language="en"><body><trans-unit id="a"><source>Type &lt;X1/&gt; then <x id="1"/></source></trans-unit></body></file></xliff>';
    const d = xliffFormat.parse(text, 'x.xlf');
    const [unit] = xliffFormat.units(d);
    expect(unit!.source).toBe('Type <X1/> then <x101/>');
    const out = xliffFormat.render(d, (u) => ({ text: u.source.replace('Type', 'Escriba').replace('then', 'luego'), flags: [] }), opts).text;
    expect(out).toContain('<target state="translated">Escriba &lt;X1/&gt; luego <x id="1"/></target>');
    expect(out).toContain('<file source-language="en" target-language="es">');
  });

  it('translates targets whose state says they are not translations yet, in a CRLF file', () => {
    const text = [
      '<xliff version="1.2">',
      '\t<file source-language="en" target-language="fr">',
      '\t\t<body>',
      '\t\t\t<trans-unit id="a">',
      '\t\t\t\t<source>Hello</source>',
      '\t\t\t\t<target state="needs-translation">Hello</target>',
      '\t\t\t</trans-unit>',
      '\t\t\t<trans-unit id="b">',
      '\t\t\t\t<source>World</source>',
      '\t\t\t</trans-unit>',
      '\t\t</body>',
      '\t</file>',
      '</xliff>',
      '',
    ].join('\r\n');
    const d = xliffFormat.parse(text, 'x.xlf');
    expect(xliffFormat.units(d).map((u) => u.existing)).toEqual([undefined, undefined]);
    const out = xliffFormat.render(d, es, opts);
    expect(out.counts).toEqual({ translated: 2, kept: 0, skipped: 0 });
    expect(out.text).toContain('<target state="translated">ES:Hello</target>\r\n');
    expect(out.text).toContain('<source>World</source>\r\n\t\t\t\t<target state="translated">ES:World</target>\r\n\t\t\t</trans-unit>');
    // The file already names its target language: left as it is.
    expect(out.text).toContain('<file source-language="en" target-language="fr">');
    const v2 = '<xliff version="2.0" srcLang="en"><file id="f"><unit id="u"><segment state="initial"><source>Hi</source><target>Hi</target></segment></unit></file></xliff>';
    const out2 = xliffFormat.render(xliffFormat.parse(v2, 'x.xlf'), es, opts).text;
    expect(out2).toBe('<xliff version="2.0" srcLang="en" trgLang="es"><file id="f"><unit id="u"><segment state="translated"><source>Hi</source><target>ES:Hi</target></segment></unit></file></xliff>');
  });

  it('names the line of a malformed file in one line', () => {
    expect(badFile('<xliff version="1.2">\n<file>\n<body>\n<trans-unit id="1"><source>a</target></trans-unit>')).toMatch(/^bad\.xlf line 4: <\/target> closes <source>/);
    expect(badFile('<xliff version="1.2">\n<file>\n<body>\n</body>\n</file>')).toMatch(/^bad\.xlf line 1: <xliff> is never closed/);
    expect(badFile('<xliff version="1.2">\n<file a=b>')).toMatch(/line 2: attribute a of <file> is not quoted/);
    expect(badFile('<xliff version="1.2">\n<file>\n<body>Tom &nbsp; Jerry</body></file></xliff>')).toMatch(/line 3: unknown entity &nbsp;/);
    expect(badFile('<xliff version="1.2">\n\n<file>\n<body>Tom & Jerry</body></file></xliff>')).toMatch(/line 4: "&" must start an entity/);
    expect(badFile('<xliff version="1.2"></xliff>\n<xliff/>')).toMatch(/line 2: second root element/);
    expect(badFile('<html></html>')).toMatch(/root element is <html>, not <xliff>/);
    expect(badFile('<xliff version="3.0"></xliff>')).toMatch(/XLIFF version 3\.0 is not supported/);
    expect(badFile('')).toMatch(/no root element/);
  });
});

describe('XLIFF 2.0', () => {
  const doc = xliffFormat.parse(V20, 'app2.xlf');

  it('lists each segment, skipping ignorables', () => {
    const units = xliffFormat.units(doc);
    expect(units.map((u) => [u.id, u.source, u.existing])).toEqual([
      ['greeting', 'Hello <g1>dear</g1> <x3/>!', undefined],
      ['two/s1', 'First sentence <here>.', undefined],
      ['two/s2', 'Second <x1/>bold<x2/> sentence.', 'Segunda <x1/>negrita<x2/> frase.'],
      ['nested', 'Click <g1>here <g2>now</g2></g1>', undefined],
    ]);
    expect(units[0]!.context).toBe('home.greeting | Top of the home page.');
  });

  it('renders byte for byte when nothing is translated', () => {
    expect(xliffFormat.render(doc, none, opts).text).toBe(V20);
  });

  it('writes targets, segment state, trgLang, and a review subState for flagged translations', () => {
    const lookup = (u: FileUnit): ItemTranslation => ({ text: `ES:${u.source}`, flags: u.id === 'nested' ? ['spans'] : [] });
    const out = xliffFormat.render(doc, lookup, opts);
    expect(out.counts).toEqual({ translated: 3, kept: 1, skipped: 0 });
    expect(out.text).toContain('srcLang="en" trgLang="es">');
    expect(out.text).toContain(
      '<segment state="translated">\n        <source>Hello <pc id="1" dataRefStart="d1" dataRefEnd="d2">dear</pc> <ph id="2" dataRef="d3"/>!</source>\n        <target>ES:Hello <pc id="1" dataRefStart="d1" dataRefEnd="d2">dear</pc> <ph id="2" dataRef="d3"/>!</target>',
    );
    expect(out.text).toContain('<segment id="s1" state="translated">');
    expect(out.text).toContain('<target>ES:First sentence &lt;here&gt;.</target>');
    expect(out.text).toContain(`<segment state="translated" subState="${XLIFF2_REVIEW_SUBSTATE}">`);
    expect(out.text).toContain('<target>ES:Click <pc id="1">here <mrk id="m1" type="term">now</mrk></pc></target>');
    const back = xliffFormat.units(xliffFormat.parse(out.text, 'x.xlf'));
    expect(back.map((u) => [u.id, u.source, u.context])).toEqual(xliffFormat.units(doc).map((u) => [u.id, u.source, u.context]));
    // A clean retranslation drops our review mark.
    const again = xliffFormat.render(xliffFormat.parse(out.text, 'x.xlf'), es, { ...opts, overwrite: true }).text;
    expect(again).not.toContain('subState');
    expect(again).toContain('<segment state="translated">\n          <source>Click');
    expect(xliffFormat.render(xliffFormat.parse(out.text, 'x.xlf'), es, opts).text).toBe(out.text);
  });

  it('outputName puts the language before the extension', () => {
    expect(xliffFormat.outputName!('dir/app.xlf', 'es')).toBe('dir/app.es.xlf');
  });
});
