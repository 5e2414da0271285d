// SRT and WebVTT subtitles. Each cue's text is one unit (its lines joined with a space), so the
// model sees whole sentences; the translation is re-wrapped to the cue's line count with
// balanced lines. Cue numbers, ids, timings, positions and settings, the WebVTT header and its
// NOTE/STYLE/REGION blocks, blank lines and line endings are never touched: only the text lines
// of a cue are spliced. Styling tags (<i>, <font color=…>, <c.class>, <v Speaker>) are left in
// the text for the protected spans; override codes (`{\an8}`) and WebVTT timestamp tags, which
// findSpans does not know, become placeholder tags, and codes that open a cue stay at its start.
import { ParlaError } from '../../shared/errors.js';
import { restorePlaceholders, withoutCollisions, type Placeholder } from './placeholders.js';
import { applyEdits, excerpt, insertLanguage, lineAt, lineBreakOf, type Edit } from './source-text.js';
import type { FileUnit, RenderOptions, TextFormat, UnitCounts, UnitLookup } from './text-format.js';

type SubtitleKind = 'srt' | 'vtt';

interface Cue {
  unit: FileUnit;
  /** Offsets of the cue's text lines, first line's start to last line's end (line break excluded). */
  start: number;
  end: number;
  lineCount: number;
  /** Override codes that open the cue (`{\an8}`), written before the translation. */
  prefix: string;
  placeholders: Placeholder[];
  /** Every line after the first starts with a dash (the first speaker's dash is often left out): one speaker per line. */
  dialogue: boolean;
  lineBreak: string;
}

export interface SubtitleDoc {
  text: string;
  kind: SubtitleKind;
  cues: Cue[];
}

interface Line {
  text: string;
  start: number;
  end: number;
}

/** Guidance for a subtitle line's width (Netflix and BBC style guides say 37–42 characters). */
export const MAX_LINE_CHARS = 42;

const SRT_TIME = String.raw`\d{1,3}:[0-5]\d:[0-5]\d[,.]\d{1,3}`;
const SRT_TIMING = new RegExp(String.raw`^${SRT_TIME}[ \t]*-->[ \t]*${SRT_TIME}(?:[ \t].*)?$`);
const VTT_TIME = String.raw`(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}`;
const VTT_TIMING = new RegExp(String.raw`^${VTT_TIME}[ \t]+-->[ \t]+${VTT_TIME}(?:[ \t]+.*)?$`);
const VTT_SIGNATURE = /^\uFEFF?WEBVTT(?:[ \t]|\r|\n|$)/;
const VTT_BLOCK = /^(?:NOTE|STYLE|REGION)(?:[ \t]|$)/;
const LEADING_CODES = /^(?:\{\\[^}]*\}[ \t]*)+/;
/** Override codes `{\i1}` and WebVTT timestamp tags `<00:01.500>`: markup findSpans does not protect. */
const FOREIGN_MARKUP = /\{\\[^}]*\}|<(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}>/g;
const EXPECTED: Record<SubtitleKind, string> = { srt: '00:00:01,000 --> 00:00:04,000', vtt: '00:01.000 --> 00:04.000' };

function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  const re = /\r\n|\n|\r/g;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    const m = re.exec(text);
    const end = m ? m.index : text.length;
    lines.push({ text: text.slice(start, end), start, end });
    if (!m) return lines;
    start = end + m[0].length;
  }
}

/** Runs of non-blank lines. */
function blocksOf(lines: readonly Line[]): Line[][] {
  const blocks: Line[][] = [];
  let current: Line[] = [];
  for (const line of lines) {
    if (line.text.trim()) current.push(line);
    else if (current.length) {
      blocks.push(current);
      current = [];
    }
  }
  if (current.length) blocks.push(current);
  return blocks;
}

function cueOf(text: string, textLines: readonly Line[], index: number, context: string): Cue | undefined {
  if (textLines.length === 0) return undefined;
  const first = textLines[0]!.text.trimStart();
  const prefix = LEADING_CODES.exec(first)?.[0] ?? '';
  const joined = [first.slice(prefix.length), ...textLines.slice(1).map((l) => l.text)]
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
  if (!joined) return undefined;
  const { source, placeholders } = withoutCollisions(joined, (base) => {
    const placeholders: Placeholder[] = [];
    const source = joined.replace(FOREIGN_MARKUP, (original) => {
      const token = `<x${base + placeholders.length + 1}/>`;
      placeholders.push({ token, original });
      return token;
    });
    return { source, placeholders };
  });
  const start = textLines[0]!.start;
  const end = textLines[textLines.length - 1]!.end;
  const breakAfterFirst = /^(?:\r\n|\n|\r)/.exec(text.slice(textLines[0]!.end))?.[0];
  return {
    unit: { id: String(index), source, context },
    start,
    end,
    lineCount: textLines.length,
    prefix,
    placeholders,
    dialogue: textLines.length > 1 && textLines.slice(1).every((l) => /^\s*[-–—]/.test(l.text)),
    lineBreak: textLines.length > 1 && breakAfterFirst ? breakAfterFirst : lineBreakOf(text),
  };
}

function parseSubtitles(text: string, file: string, kind: SubtitleKind): SubtitleDoc {
  const fail = (line: Line, message: string): never => {
    throw new ParlaError('BAD_FILE', `${file} line ${lineAt(text, line.start)}: ${message}`);
  };
  const timing = kind === 'srt' ? SRT_TIMING : VTT_TIMING;
  const isTiming = (line: Line): boolean => {
    if (!line.text.includes('-->')) return false;
    if (!timing.test(line.text.trim())) fail(line, `malformed timing "${excerpt(line.text, 0, 60)}" (expected ${EXPECTED[kind]})`);
    return true;
  };
  let blocks = blocksOf(linesOf(text));
  if (kind === 'vtt') {
    if (!VTT_SIGNATURE.test(text)) fail(linesOf(text)[0]!, 'a WebVTT file starts with "WEBVTT"');
    const inHeader = blocks[0]!.find((line) => line.text.includes('-->'));
    if (inHeader) fail(inHeader, 'a timing inside the WEBVTT header (a blank line must follow the header)');
    blocks = blocks.slice(1).filter((b) => !VTT_BLOCK.test(b[0]!.text));
  }
  if (blocks.length === 0) throw new ParlaError('BAD_FILE', `${file} holds no cues`);
  const cues: Cue[] = [];
  let index = 0;
  for (const block of blocks) {
    const timings = block.flatMap((line, i) => (isTiming(line) ? [i] : []));
    if (timings.length === 0) fail(block[0]!, `no timing line in this block (expected ${EXPECTED[kind]}; a blank line inside a cue?)`);
    const head = block.slice(0, timings[0]);
    if (kind === 'srt' ? head.length > 1 || (head.length === 1 && !/^\s*\d+\s*$/.test(head[0]!.text)) : head.length > 1) {
      fail(head[0]!, `expected a cue ${kind === 'srt' ? 'number' : 'id'} or a timing, found "${excerpt(head[0]!.text, 0, 40)}"`);
    }
    if (kind === 'vtt' && timings.length > 1) fail(block[timings[1]!]!, 'a second timing inside a cue (cues are separated by a blank line)');
    // SRT files that lost the blank line between cues are read as written: the number line
    // just before a timing belongs to that next cue.
    timings.forEach((t, k) => {
      const next = timings[k + 1] ?? block.length;
      const last = k + 1 < timings.length && /^\s*\d+\s*$/.test(block[next - 1]!.text) ? next - 1 : next;
      const named = t > 0 && (kind === 'vtt' || /^\s*\d+\s*$/.test(block[t - 1]!.text));
      const label = (named ? `${block[t - 1]!.text.trim()} ` : '') + block[t]!.text.trim();
      const cue = cueOf(text, block.slice(t + 1, last), ++index, label);
      if (cue) cues.push(cue);
    });
  }
  return { text, kind, cues };
}

/** Visible characters: tags and codes count for nothing, an entity for one. */
function visibleLength(text: string): number {
  return text.replace(/<[^>]*>|\{\\[^}]*\}/g, '').replace(/&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);/g, '_').length;
}

/**
 * The words in `count` lines as even as possible (the longest line as short as it can be, then
 * the least uneven), breaking only between words, never inside a tag.
 */
export function balanceLines(text: string, count: number): string[] {
  const atoms = text.match(/(?:<[^>]*>|\{[^}]*\}|\S)+/g) ?? [];
  const lines = Math.min(count, atoms.length);
  if (lines <= 1) return atoms.length ? [atoms.join(' ')] : [];
  const prefix = [0];
  for (const atom of atoms) prefix.push(prefix[prefix.length - 1]! + visibleLength(atom));
  const width = (i: number, j: number) => prefix[j]! - prefix[i]! + (j - i - 1);
  type Cost = { max: number; squares: number; from: number };
  const better = (a: Cost, b: Cost | undefined) => !b || a.max < b.max || (a.max === b.max && a.squares < b.squares);
  // best[k][j]: atoms[0..j) in k lines.
  const best: (Cost | undefined)[][] = Array.from({ length: lines + 1 }, () => []);
  best[0]![0] = { max: 0, squares: 0, from: 0 };
  for (let k = 1; k <= lines; k++) {
    for (let j = k; j <= atoms.length; j++) {
      for (let i = k - 1; i < j; i++) {
        const prev = best[k - 1]![i];
        if (!prev) continue;
        const w = width(i, j);
        const cost = { max: Math.max(prev.max, w), squares: prev.squares + w * w, from: i };
        if (better(cost, best[k]![j])) best[k]![j] = cost;
      }
    }
  }
  const out: string[] = [];
  for (let k = lines, j = atoms.length; k > 0; k--) {
    const i = best[k]![j]!.from;
    out.unshift(atoms.slice(i, j).join(' '));
    j = i;
  }
  return out;
}

/** The cue's new text lines. */
function wrap(cue: Cue, text: string): string[] {
  // One speaker per line stays so when the translation keeps as many dashed turns.
  if (cue.dialogue) {
    const turns = text.split(/(?<=[.?!…"'»)]) (?=[-–—]\s)/);
    if (turns.length === cue.lineCount) return turns;
  }
  // A one-line cue that would pass the width guidance gets a second line, as subtitles allow two.
  const count = cue.lineCount === 1 && visibleLength(text) > MAX_LINE_CHARS ? 2 : cue.lineCount;
  return balanceLines(text, count);
}

/** WebVTT cue text escapes `&` and `<` that do not start an entity, tag or timestamp. */
function escapeVtt(text: string): string {
  return text.replace(/&(?!(?:[a-zA-Z][a-zA-Z0-9]*|#\d+|#x[0-9a-fA-F]+);)/g, '&amp;').replace(/<(?!\/?[A-Za-z]|(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}>)/g, '&lt;');
}

function render(doc: SubtitleDoc, lookup: UnitLookup, _options: RenderOptions): { text: string; counts: UnitCounts } {
  const counts: UnitCounts = { translated: 0, kept: 0, skipped: 0 };
  const edits: Edit[] = [];
  const escape = doc.kind === 'vtt' ? escapeVtt : (t: string) => t;
  for (const cue of doc.cues) {
    const translation = lookup(cue.unit);
    // A line break or `-->` in cue text would end the cue or read as a timing.
    const flat = translation?.text.replace(/\s+/g, ' ').replace(/-->/g, '->').trim();
    if (!flat) {
      counts.skipped++;
      continue;
    }
    counts.translated++;
    const { text } = restorePlaceholders(flat, cue.placeholders, escape);
    const lines = wrap(cue, text);
    lines[0] = cue.prefix + lines[0];
    edits.push({ start: cue.start, end: cue.end, insert: lines.join(cue.lineBreak) });
  }
  return { text: applyEdits(doc.text, edits), counts };
}

function subtitleFormat(kind: SubtitleKind): TextFormat<SubtitleDoc> {
  return {
    id: kind,
    extensions: [`.${kind}`],
    sniff: (text) =>
      kind === 'vtt'
        ? VTT_SIGNATURE.test(text)
        : new RegExp(String.raw`^\uFEFF?\s*(?:\d+[ \t]*\r?\n[ \t]*)?${SRT_TIME}[ \t]*-->`).test(text),
    parse: (text, file) => parseSubtitles(text, file, kind),
    units: (doc) => doc.cues.map((c) => c.unit),
    render,
    outputName: insertLanguage,
  };
}

export const srtFormat = subtitleFormat('srt');
export const vttFormat = subtitleFormat('vtt');
