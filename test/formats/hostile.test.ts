// Hostile input for every text format: prefixes of each fixture, and fixtures with bytes
// swapped for markup characters, either parse or give one BAD_FILE line; whatever parses renders
// back byte for byte with no translations, and a translated render parses again.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParlaError } from '../../src/shared/errors.js';
import type { FileUnit, TextFormat } from '../../src/core/formats/text-format.js';
import { jsonFormat } from '../../src/core/formats/json.js';
import { srtFormat, vttFormat } from '../../src/core/formats/subtitles.js';
import { xliffFormat } from '../../src/core/formats/xliff.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/formats/${name}`, import.meta.url), 'utf8');
const CASES: [string, TextFormat<unknown>, string][] = [
  ['app.xlf', xliffFormat as TextFormat<unknown>, fixture('app.xlf')],
  ['app2.xlf', xliffFormat as TextFormat<unknown>, fixture('app2.xlf')],
  ['common.en.json', jsonFormat as TextFormat<unknown>, fixture('common.en.json')],
  ['flat.json', jsonFormat as TextFormat<unknown>, fixture('flat.json')],
  ['film.srt', srtFormat as TextFormat<unknown>, fixture('film.srt')],
  ['talk.vtt', vttFormat as TextFormat<unknown>, fixture('talk.vtt')],
];
const opts = { lang: 'es', overwrite: false, fuzzy: true };
const es = (u: FileUnit) => ({ text: `ES <b>&</b> "x" ${u.source}`, flags: [] });

/** A deterministic pseudo-random sequence (no flaky seeds). */
function* numbers(seed: number): Generator<number> {
  for (let x = seed; ; ) {
    x = (x * 1103515245 + 12345) % 2147483648;
    yield x;
  }
}

function check(format: TextFormat<unknown>, text: string): void {
  let doc: unknown;
  try {
    doc = format.parse(text, 'f');
  } catch (e) {
    if (!(e instanceof ParlaError) || e.code !== 'BAD_FILE' || /[\r\n]/.test(e.message)) throw e;
    return;
  }
  expect(format.render(doc, () => undefined, opts).text).toBe(text);
  const out = format.render(doc, es, opts).text;
  expect(format.units(format.parse(out, 'f')).length).toBe(format.units(doc).length);
}

// Slow (a few thousand parses each): generous timeouts, so a loaded machine does not fail them.
describe.each(CASES)('%s under hostile edits (slow)', (_name, format, text) => {
  it('every third prefix parses or gives one BAD_FILE line', { timeout: 60_000 }, () => {
    for (let end = 0; end <= text.length; end += 3) check(format, text.slice(0, end));
  });

  it('characters swapped for markup parse or give one BAD_FILE line', { timeout: 60_000 }, () => {
    const random = numbers(text.length);
    const swaps = ['<', '>', '&', '"', '\n', '{', '}', ',', ':', '-', '/', ']', '\\', ' '];
    for (let i = 0; i < 300; i++) {
      const at = random.next().value % text.length;
      const c = swaps[random.next().value % swaps.length]!;
      check(format, text.slice(0, at) + c + text.slice(at + 1));
    }
  });
});
