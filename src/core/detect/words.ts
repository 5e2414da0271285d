// The detector's second signal next to eld: how often each word, and each letter trigram of a
// word, occurs in each language's strings of Debian's gettext catalogues (the train split; built
// by tools/fixtures/detect_words.py into resources/detect/words.json, ~0.8 MB). eld learned from
// prose; these counts come from the terse UI strings Parla mostly sees ("Zoom óptico", "Nada para
// configurar."), and tell apart the words eld's n-grams confuse (es/pt, it/pt).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';

/**
 * Add-α smoothing: a word a language's strings never had counts as α occurrences out of its
 * total + α·vocabulary (α and the vocabulary sizes chosen on the dev split, docs/detection.md).
 */
const WORD_ALPHA = 0.2;
const WORD_VOCABULARY = 50_000;
const TRIGRAM_ALPHA = 0.5;
const TRIGRAM_VOCABULARY = 20_000;
/** Trigrams overlap (a word of n letters gives n trigrams), so each counts half. */
const TRIGRAM_WEIGHT = 0.5;

interface LanguageCounts {
  wordTotal: number;
  words: Record<string, number>;
  trigramTotal: number;
  trigrams: Record<string, number>;
}

interface Table {
  wordTotal: number;
  words: Map<string, number>;
  trigramTotal: number;
  trigrams: Map<string, number>;
}

export function wordsFile(): string {
  return join(packageRoot(), 'resources', 'detect', 'words.json');
}

export class WordModel {
  private constructor(private readonly tables: ReadonlyMap<string, Table>) {}

  static load(file = wordsFile()): WordModel {
    const { languages } = JSON.parse(readFileSync(file, 'utf8')) as { languages: Record<string, LanguageCounts> };
    // Maps, not the parsed objects: a word such as "constructor" must not find Object's.
    const tables = new Map(
      Object.entries(languages).map(([language, c]) => [
        language,
        { wordTotal: c.wordTotal, words: new Map(Object.entries(c.words)), trigramTotal: c.trigramTotal, trigrams: new Map(Object.entries(c.trigrams)) },
      ]),
    );
    return new WordModel(tables);
  }

  get languages(): string[] {
    return [...this.tables.keys()];
  }

  /** ln P(words | language), words and trigrams as independent draws (naive Bayes). */
  logLikelihood(words: readonly string[], language: string): number {
    const t = this.tables.get(language);
    if (!t) return -Infinity;
    let sum = 0;
    for (const w of words) {
      sum += Math.log(((t.words.get(w) ?? 0) + WORD_ALPHA) / (t.wordTotal + WORD_ALPHA * WORD_VOCABULARY));
      const edged = ` ${w} `;
      for (let i = 0; i + 3 <= edged.length; i++) {
        const n = t.trigrams.get(edged.slice(i, i + 3)) ?? 0;
        sum += TRIGRAM_WEIGHT * Math.log((n + TRIGRAM_ALPHA) / (t.trigramTotal + TRIGRAM_ALPHA * TRIGRAM_VOCABULARY));
      }
    }
    return sum;
  }
}

/**
 * A token with a digit, or a capital after its first letter (`MP3`, `README`, `GStreamer`,
 * `iPod`), is a name or a code: it reads the same in every language, so it is no evidence.
 */
function isName(token: string): boolean {
  return /\p{N}/u.test(token) || /\p{Lu}/u.test(token.slice(1));
}

/**
 * The text detection reads: names blanked (unless nothing else is left, as in "README XML").
 * Same rule as tools/fixtures/detect_words.py's `words()`.
 */
export function languageText(text: string): string {
  const blanked = text.replace(/[\p{L}\p{N}]+/gu, (token) => (isName(token) ? ' ' : token));
  return /\p{L}/u.test(blanked) ? blanked : text;
}

/** The lower-cased words of a text (runs of letters). */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/\p{L}+/gu) ?? [];
}
