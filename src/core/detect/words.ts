// The detector's second signal next to eld: how often each word, each letter trigram of a word,
// and each name or code occurs in each language's strings of Debian's gettext catalogues (the
// train split; built by tools/fixtures/detect_words.py into resources/detect/words.json, ~1.3 MB).
// eld learned from prose; these counts come from the terse UI strings Parla mostly sees ("Zoom
// óptico", "Nada para configurar.", "Uso: [OPÇÃO]... FICHEIRO"), and tell apart the words eld's
// n-grams confuse (es/pt, it/pt).
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
/**
 * Names and codes, as written, that English strings never have (translated metavariables such as
 * `FICHEIRO`; detect_words.py): one no language's strings had says nothing and is skipped, one
 * they had is smoothed like a word (α and vocabulary chosen by cross-validation on the train
 * catalogues and checked on the dev split, docs/detection.md).
 */
const NAME_ALPHA = 0.2;
const NAME_VOCABULARY = 10_000;

interface LanguageCounts {
  wordTotal: number;
  words: Record<string, number>;
  trigramTotal: number;
  trigrams: Record<string, number>;
  nameTotal: number;
  names: Record<string, number>;
}

interface Table {
  wordTotal: number;
  words: Map<string, number>;
  trigramTotal: number;
  trigrams: Map<string, number>;
  nameTotal: number;
  names: Map<string, number>;
}

export function wordsFile(): string {
  return join(packageRoot(), 'resources', 'detect', 'words.json');
}

export class WordModel {
  /** Every name some language's strings had. */
  private readonly knownNames: ReadonlySet<string>;

  private constructor(private readonly tables: ReadonlyMap<string, Table>) {
    this.knownNames = new Set([...tables.values()].flatMap((t) => [...t.names.keys()]));
  }

  /**
   * `top` keeps each language's most frequent words only, `names: false` leaves the names out:
   * the counts of an earlier detector (4,000 words, no names), which bench:detect runs side by side.
   */
  static load(file = wordsFile(), options: { top?: number; names?: boolean } = {}): WordModel {
    const { languages } = JSON.parse(readFileSync(file, 'utf8')) as { languages: Record<string, LanguageCounts> };
    // Maps, not the parsed objects: a word such as "constructor" must not find Object's. The
    // words come most frequent first (detect_words.py), and none looks like an array index, so
    // their order survives JSON.parse.
    const tables = new Map(
      Object.entries(languages).map(([language, c]) => [
        language,
        {
          wordTotal: c.wordTotal,
          words: new Map(Object.entries(c.words).slice(0, options.top)),
          trigramTotal: c.trigramTotal,
          trigrams: new Map(Object.entries(c.trigrams)),
          nameTotal: c.nameTotal,
          names: new Map(options.names === false ? [] : Object.entries(c.names)),
        },
      ]),
    );
    return new WordModel(tables);
  }

  get languages(): string[] {
    return [...this.tables.keys()];
  }

  /**
   * ln P(words, names | language), words, their trigrams and names as independent draws (naive
   * Bayes); `names` as namesOf() gives them.
   */
  logLikelihood(words: readonly string[], language: string, names: readonly string[] = []): number {
    const t = this.tables.get(language);
    if (!t) return -Infinity;
    let sum = 0;
    for (const name of names) {
      if (!this.knownNames.has(name)) continue;
      sum += Math.log(((t.names.get(name) ?? 0) + NAME_ALPHA) / (t.nameTotal + NAME_ALPHA * NAME_VOCABULARY));
    }
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

/** The names and codes of a text, as written (`FICHEIRO`, `MP3`). Same rule as detect_words.py's `names()`. */
export function namesOf(text: string): string[] {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).filter(isName);
}

/** The lower-cased words of a text (runs of letters). */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/\p{L}+/gu) ?? [];
}
