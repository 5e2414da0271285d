import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParlaError } from '../../src/shared/errors.js';
import type { FileUnit, TextFormat } from '../../src/core/formats/text-format.js';
import { balanceLines, srtFormat, vttFormat, type SubtitleDoc } from '../../src/core/formats/subtitles.js';
import { findSpans } from '../../src/core/protect/spans.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/formats/${name}`, import.meta.url), 'utf8');
const SRT = fixture('film.srt');
const VTT = fixture('talk.vtt');
const opts = { lang: 'es', overwrite: false, fuzzy: true };
const es = (u: FileUnit) => ({ text: `ES: ${u.source}`, flags: [] });
const same = (u: FileUnit) => ({ text: u.source, flags: [] });

function badFile(format: TextFormat<SubtitleDoc>, text: string): string {
  try {
    format.parse(text, 'bad.sub');
  } catch (e) {
    expect((e as ParlaError).code).toBe('BAD_FILE');
    expect((e as Error).message).not.toMatch(/[\r\n]/);
    return (e as Error).message;
  }
  throw new Error('parsed a malformed file');
}

/** Blocks that are not cue text: numbers, ids, timings, headers, notes (each line that holds no translated text). */
const timings = (text: string) => text.split(/\r?\n/).filter((l) => l.includes('-->'));
/** Cue text line counts, in order. */
function lineCounts(text: string): number[] {
  return text
    .split(/\r?\n\r?\n/)
    .map((b) => b.split(/\r?\n/))
    .filter((lines) => lines.some((l) => l.includes('-->')))
    .map((lines) => lines.length - lines.findIndex((l) => l.includes('-->')) - 1)
    .filter((n, i, all) => i < all.length - 1 || n > 0);
}

describe('SRT', () => {
  const doc = srtFormat.parse(SRT, 'film.srt');

  it('is sniffed from a cue number and timing', () => {
    expect(srtFormat.sniff(SRT)).toBe(true);
    expect(srtFormat.sniff('\uFEFF00:00:01,000 --> 00:00:02,000\nHi')).toBe(true);
    expect(srtFormat.sniff(VTT)).toBe(false);
    expect(vttFormat.sniff(SRT)).toBe(false);
    expect(srtFormat.sniff('{"a": "00:00:01,000 --> 00:00:02,000"}')).toBe(false);
  });

  it('makes each cue one unit, lines joined, leading override codes left out, tags kept', () => {
    const units = srtFormat.units(doc);
    expect(units.map((u) => [u.id, u.source])).toEqual([
      ['1', '<i>Previously on the show...</i>'],
      ['2', 'We have to leave before the storm comes.'],
      ['3', '- Where are you going? - Home.'],
      ['4', 'I said <b>now</b>, and I meant <font color="#ffff00">right now</font>!'],
      ['5', 'Tom & Jerry'],
    ]);
    expect(units[2]!.context).toBe('3 00:00:07,500 --> 00:00:09,000 X1:100 X2:600 Y1:50 Y2:100');
    expect(findSpans(units[3]!.source).map((s) => s.text)).toEqual(['<b>', '</b>', '<font color="#ffff00">', '</font>']);
  });

  it('renders byte for byte when nothing is translated', () => {
    const out = srtFormat.render(doc, () => undefined, opts);
    expect(out.text).toBe(SRT);
    expect(out.counts).toEqual({ translated: 0, kept: 0, skipped: 5 });
  });

  it('keeps numbers, timings, positions, line counts and CRLF; re-wraps each cue', () => {
    const out = srtFormat.render(doc, es, opts);
    expect(out.counts).toEqual({ translated: 5, kept: 0, skipped: 0 });
    expect(out.text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(timings(out.text)).toEqual(timings(SRT));
    expect(lineCounts(out.text)).toEqual(lineCounts(SRT));
    expect(out.text).toContain('2\r\n00:00:04,000 --> 00:00:07,250\r\n{\\an8}ES: We have to leave\r\nbefore the storm comes.\r\n\r\n3');
    expect(out.text).toContain('\r\nES: - Where are you going?\r\n- Home.\r\n');
    expect(out.text).toContain('\r\nES: I said <b>now</b>, and\r\nI meant <font color="#ffff00">right now</font>!\r\n');
    const back = srtFormat.units(srtFormat.parse(out.text, 'film.es.srt'));
    expect(back.map((u) => [u.id, u.source, u.context])).toEqual(srtFormat.units(doc).map((u) => [u.id, `ES: ${u.source}`, u.context]));
    // Rendering the translated file again with its own text gives it back: the wrapping is stable.
    expect(srtFormat.render(srtFormat.parse(out.text, 'x.srt'), same, opts).text).toBe(out.text);
  });

  it('keeps one speaker per line for dialogue', () => {
    const out = srtFormat.render(doc, (u) => (u.id === '3' ? { text: '- ¿Adónde vas a ir a estas horas? - A casa.', flags: [] } : undefined), opts);
    expect(out.text).toContain('Y2:100\r\n- ¿Adónde vas a ir a estas horas?\r\n- A casa.\r\n');
  });

  it('gives a long one-line cue a second line, and never writes a line break or a timing inside a cue', () => {
    const long = 'Tom y Jerry, el gato y el ratón que nunca dejan de pelearse por la casa';
    const out = srtFormat.render(doc, (u) => (u.id === '5' ? { text: long, flags: [] } : u.id === '1' ? { text: 'a\n\nb --> c', flags: [] } : undefined), opts);
    expect(out.text).toContain('00:01:04,000\r\nTom y Jerry, el gato y el ratón que\r\nnunca dejan de pelearse por la casa\r\n');
    expect(out.text).toContain('00:00:03,500\r\na b -> c\r\n\r\n2');
    expect(srtFormat.units(srtFormat.parse(out.text, 'x.srt'))).toHaveLength(5);
  });

  it('names the line of a malformed file in one line', () => {
    expect(badFile(srtFormat, '1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n00:00:03,000 --> 00:00:4,000\nThere\n')).toBe(
      'bad.sub line 6: malformed timing "00:00:03,000 --> 00:00:4,000" (expected 00:00:01,000 --> 00:00:04,000)',
    );
    expect(badFile(srtFormat, '1\r\n00:00:01,000 --> 00:00:02,000\r\nHi\r\n\r\n2\r\n00:00:03,000 -> 00:00:04,000\r\nThere\r\n')).toMatch(
      /^bad\.sub line 5: no timing line in this block/,
    );
    expect(badFile(srtFormat, '1\n00:00:01,000 --> 00:00:02,000\nHi\n\nthere\n')).toMatch(/line 5: no timing line.*a blank line inside a cue\?/);
    expect(badFile(srtFormat, 'one\n00:00:01,000 --> 00:00:02,000\nHi\n')).toMatch(/line 1: expected a cue number or a timing, found "one"/);
    expect(badFile(srtFormat, '1\n00:00:61,000 --> 00:00:62,000\nHi\n')).toMatch(/line 2: malformed timing/);
    expect(badFile(srtFormat, '\n\n')).toMatch(/holds no cues/);
  });

  it('reads cues that lost the blank line between them', () => {
    const text = '1\n00:00:01,000 --> 00:00:02,000\nHi\n2\n00:00:03,000 --> 00:00:04,000\nThere\n';
    const d = srtFormat.parse(text, 'x.srt');
    expect(srtFormat.units(d).map((u) => [u.source, u.context])).toEqual([
      ['Hi', '1 00:00:01,000 --> 00:00:02,000'],
      ['There', '2 00:00:03,000 --> 00:00:04,000'],
    ]);
    expect(srtFormat.render(d, es, opts).text).toBe('1\n00:00:01,000 --> 00:00:02,000\nES: Hi\n2\n00:00:03,000 --> 00:00:04,000\nES: There\n');
  });

  it('writes a new line with the file\'s own line break (a lone CR too)', () => {
    const text = '1\r00:00:01,000 --> 00:00:02,000\rHi\r';
    const out = srtFormat.render(srtFormat.parse(text, 'x.srt'), () => ({ text: 'Una frase bastante larga que no cabe en una sola línea', flags: [] }), opts);
    expect(out.text).toBe('1\r00:00:01,000 --> 00:00:02,000\rUna frase bastante larga que\rno cabe en una sola línea\r');
  });

  it('outputName puts the language before the extension', () => {
    expect(srtFormat.outputName!('movies/film.srt', 'es')).toBe('movies/film.es.srt');
    expect(vttFormat.outputName!('talk.vtt', 'pt-BR')).toBe('talk.pt-BR.vtt');
  });
});

describe('WebVTT', () => {
  const doc = vttFormat.parse(VTT, 'talk.vtt');

  it('skips the header, NOTE, STYLE and REGION blocks and keeps tags; timestamps become placeholders', () => {
    expect(vttFormat.sniff(VTT)).toBe(true);
    const units = vttFormat.units(doc);
    expect(units.map((u) => [u.id, u.source])).toEqual([
      ['1', '<v Roger Bingham>We are in New York City'],
      ['2', '<c.yellow>Look</c> at the skyline, it never sleeps.'],
      ['3', "<v.loud Esme>It's <x1/>really <x2/>late &amp; cold.</v>"],
      ['4', '<ruby>東京<rt>とうきょう</rt></ruby> is far'],
    ]);
    expect(units[0]!.context).toBe('intro 00:00:01.000 --> 00:00:04.000 position:10%,line-left align:left size:35%');
    expect(findSpans(units[2]!.source).map((s) => s.text)).toEqual(['<v.loud Esme>', '<x1/>', '<x2/>', '&amp;', '</v>']);
  });

  it('renders byte for byte when nothing is translated', () => {
    expect(vttFormat.render(doc, () => undefined, opts).text).toBe(VTT);
  });

  it('keeps header, blocks, ids, settings and timestamps; escapes what WebVTT needs', () => {
    const out = vttFormat.render(doc, (u) => ({ text: u.id === '4' ? '東京 está lejos <3 & más' : `ES: ${u.source}`, flags: [] }), opts);
    expect(out.counts).toEqual({ translated: 4, kept: 0, skipped: 0 });
    expect(timings(out.text)).toEqual(timings(VTT));
    const head = VTT.slice(0, VTT.indexOf('intro'));
    expect(out.text.startsWith(`${head}intro\n`)).toBe(true);
    expect(out.text).toContain('NOTE a comment between cues\n');
    expect(out.text).toContain("\nES: <v.loud Esme>It's <00:00:08.000>really <00:00:09.000>late &amp; cold.</v>\n");
    expect(out.text).toContain('\nES: <c.yellow>Look</c> at the skyline,\nit never sleeps.\n');
    expect(out.text).toContain('\n東京 está lejos &lt;3 &amp; más\n');
    const back = vttFormat.units(vttFormat.parse(out.text, 'x.vtt'));
    expect(back.slice(0, 3).map((u) => u.source)).toEqual(vttFormat.units(doc).slice(0, 3).map((u) => `ES: ${u.source}`));
    expect(vttFormat.render(vttFormat.parse(out.text, 'x.vtt'), same, opts).text).toBe(out.text);
  });

  it('puts lost timestamps back at the end rather than dropping them', () => {
    const out = vttFormat.render(doc, (u) => (u.id === '3' ? { text: '<v.loud Esme>Es muy tarde y hace frío.</v>', flags: [] } : undefined), opts);
    expect(out.text).toContain('\n<v.loud Esme>Es muy tarde y hace frío.</v><00:00:08.000><00:00:09.000>\n');
  });

  it('names the line of a malformed file in one line', () => {
    expect(badFile(vttFormat, '1\n00:01.000 --> 00:02.000\nHi\n')).toBe('bad.sub line 1: a WebVTT file starts with "WEBVTT"');
    expect(badFile(vttFormat, 'WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n\n00:03,000 --> 00:04.000\nThere\n')).toMatch(/^bad\.sub line 6: malformed timing/);
    expect(badFile(vttFormat, 'WEBVTT\n\nid\nmore\n00:01.000 --> 00:02.000\nHi\n')).toMatch(/line 3: expected a cue id or a timing/);
    expect(badFile(vttFormat, 'WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n00:03.000 --> 00:04.000\nThere\n')).toMatch(/line 5: a second timing inside a cue/);
    expect(badFile(vttFormat, 'WEBVTT\n00:01.000 --> 00:02.000\nHi\n')).toMatch(/line 2: a timing inside the WEBVTT header/);
  });
});

describe('balanceLines', () => {
  it('splits evenly without breaking a tag', () => {
    expect(balanceLines('one two three four', 2)).toEqual(['one two', 'three four']);
    expect(balanceLines('<font color="red">a very long</font> b', 2)).toEqual(['<font color="red">a very', 'long</font> b']);
    expect(balanceLines('<font color="#ff0000">rojo</font> y azul', 2)).toEqual(['<font color="#ff0000">rojo</font>', 'y azul']);
    expect(balanceLines('one', 3)).toEqual(['one']);
    expect(balanceLines('a b c d e f', 3)).toEqual(['a b', 'c d', 'e f']);
  });
});
