// Glossary enforcement through the protector with the real bundled model: on 100+ held-out
// sentences holding glossary terms, every output holds the target term and do-not-translate
// terms come back as written; the result names the entries applied.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { ProtectingTranslator } from '../../src/core/protect/protecting-translator.js';
import { findSpans } from '../../src/core/protect/spans.js';
import { TermMatcher } from '../../src/core/protect/terms.js';
import type { GlossaryEntry } from '../../src/shared/glossary.js';
import type { Translation } from '../../src/shared/translation.js';
import { HAVE_MODEL, MODEL_DIR } from '../engine/model-fixture.js';
import { debianStrings } from './fixtures.js';
import { modelTranslator } from './model-translator.js';

const entry = (source: string, target: string, extra: Partial<GlossaryEntry> = {}): GlossaryEntry => ({
  id: `g-${source}`,
  from: 'en',
  to: 'es',
  source,
  target,
  doNotTranslate: false,
  caseSensitive: false,
  wholeWord: true,
  createdAt: 0,
  ...extra,
});
const dnt = (term: string) => entry(term, term, { doNotTranslate: true, caseSensitive: true });

const GLOSSARY: GlossaryEntry[] = [
  entry('file', 'fichero'),
  entry('files', 'ficheros'),
  entry('folder', 'carpeta'),
  entry('directory', 'directorio'),
  entry('window', 'ventana'),
  entry('password', 'contraseña'),
  entry('server', 'servidor'),
  entry('option', 'opción'),
  entry('options', 'opciones'),
  entry('package', 'paquete'),
  entry('user', 'usuario'),
  entry('key', 'clave'),
  entry('error', 'fallo'),
  entry('command', 'orden'),
  entry('message', 'mensaje'),
  entry('system', 'sistema'),
  entry('program', 'programa'),
  entry('device', 'dispositivo'),
  entry('name', 'nombre'),
  dnt('Debian'),
  dnt('GNU'),
  dnt('GNOME'),
];

function sentencesWithTerms(): string[] {
  const pairs = JSON.parse(readFileSync(join(packageRoot(), 'bench', 'data', 'heldout-pairs-es.json'), 'utf8')) as { pairs: { en: string }[] };
  const matcher = new TermMatcher(GLOSSARY);
  return [...new Set([...pairs.pairs.map((p) => p.en), ...debianStrings()])].filter((s) => matcher.find(s, findSpans(s)).length > 0);
}

describe.runIf(HAVE_MODEL)('glossary terms with the bundled model', () => {
  const sentences = sentencesWithTerms();
  let out: Translation[];

  beforeAll(async () => {
    const protector = new ProtectingTranslator(await modelTranslator(MODEL_DIR), { glossary: async () => ({ version: '1', entries: GLOSSARY }) });
    out = await protector.translate({ texts: sentences, to: 'es' });
  }, 300_000);

  it('holds the target term in 100 % of 100+ outputs, do-not-translate terms as written', () => {
    expect(sentences.length).toBeGreaterThanOrEqual(100);
    const matcher = new TermMatcher(GLOSSARY);
    // Terms inside other spans (`<file>` in a usage line) are code, not prose: the span wins.
    const missing = out.filter((t) => matcher.find(t.source, findSpans(t.source)).some((span) => !t.text.includes(span.term!.target)) || t.flags?.length);
    expect(missing.map((t) => `${t.source} → ${t.text}`)).toEqual([]);
  });

  it('names the entries it applied', () => {
    const withFile = out.find((t) => /\bfile\b/i.test(t.source) && !/\bfiles\b/i.test(t.source))!;
    expect(withFile.glossary).toContain('g-file');
  });
});

describe('term matching', () => {
  it('matches whole words in any case by default, longest term first, and respects case and partial options', () => {
    const matcher = new TermMatcher([
      entry('file', 'fichero'),
      entry('file manager', 'gestor de ficheros'),
      dnt('Parla'),
      entry('cat', 'gato', { wholeWord: false }),
    ]);
    const found = (text: string) => matcher.find(text).map((s) => `${s.text}=${s.term!.target}`);
    expect(found('Open the File Manager or a file')).toEqual(['File Manager=gestor de ficheros', 'file=fichero']);
    expect(found('profile and filed')).toEqual([]);
    expect(found('parla and Parla')).toEqual(['Parla=Parla']);
    expect(found('a category')).toEqual(['cat=gato']);
  });

  it('looks up a 100,000-entry glossary in well under a millisecond per sentence', () => {
    const big = Array.from({ length: 100_000 }, (_, i) => entry(`term${i} word${i % 97}`, `t${i}`));
    big.push(entry('settings', 'ajustes'));
    const matcher = new TermMatcher(big);
    const sentence = 'Open the settings to change how term5 word5 and other things behave in this window.';
    const started = performance.now();
    for (let i = 0; i < 1000; i++) matcher.find(sentence);
    const perSentence = (performance.now() - started) / 1000;
    expect(matcher.find(sentence).map((s) => s.text)).toEqual(['settings', 'term5 word5']);
    expect(perSentence).toBeLessThan(1);
  });
});
