// Splitting long texts into sentences (and over-long sentences into word runs) so each piece
// fits the encoder, and putting the translations back with the original whitespace between.

export interface Piece {
  /** Text to translate; empty for pure whitespace. */
  core: string;
  /** Whitespace that came before and after `core` in the original. */
  before: string;
  after: string;
}

const LEADING = /^\s*/;
const TRAILING = /\s*$/;

function toPiece(segment: string): Piece {
  const before = LEADING.exec(segment)![0];
  const rest = segment.slice(before.length);
  const after = TRAILING.exec(rest)![0];
  return { core: rest.slice(0, rest.length - after.length), before, after };
}

/** Sentences of `text` (Intl.Segmenter), each with its surrounding whitespace kept. */
export function splitSentences(text: string, locale = 'en'): Piece[] {
  return [...sentenceSegmenter(locale).segment(text)].map((s) => toPiece(s.segment));
}

/**
 * A sentence segmenter for `locale`. Models name languages their own way (`pt_BR`, a bare
 * code Intl does not know), and Intl throws on a tag it cannot read: such a text is split by
 * the underscore-free tag, else by Intl's default rules, never refused.
 */
function sentenceSegmenter(locale: string): Intl.Segmenter {
  for (const tag of [locale, locale.replaceAll('_', '-')]) {
    try {
      return new Intl.Segmenter(tag, { granularity: 'sentence' });
    } catch {
      // not a BCP 47 tag: try the next spelling
    }
  }
  return new Intl.Segmenter(undefined, { granularity: 'sentence' });
}

/**
 * Splits a sentence at whitespace into runs whose token count (`count`) stays within `max`.
 * A single word longer than `max` stays whole: the encoder truncates it rather than Parla
 * cutting inside a word.
 */
export function splitAtWhitespace(sentence: string, max: number, count: (s: string) => number): Piece[] {
  const parts = sentence.split(/(\s+)/);
  const pieces: Piece[] = [];
  let current = '';
  let gap = '';
  for (let i = 0; i < parts.length; i += 2) {
    const word = parts[i]!;
    const space = parts[i + 1] ?? '';
    const candidate = current ? current + gap + word : word;
    if (current && count(candidate) > max) {
      pieces.push({ core: current, before: '', after: gap });
      current = word;
    } else {
      current = candidate;
    }
    gap = space;
  }
  pieces.push({ core: current, before: '', after: gap });
  return pieces;
}

export function joinPieces(pieces: readonly Piece[], translations: readonly string[]): string {
  return pieces.map((p, i) => p.before + (p.core ? translations[i]! : '') + p.after).join('');
}
