// The detector's second signal next to eld: how often each word, each letter trigram of a word,
// each pair of neighbouring tokens and each name or code occurs in each language's strings of
// Debian's gettext catalogues (the train split, ~1,200 catalogues; built by
// tools/fixtures/detect_words.py into resources/detect/words.bin). eld learned from prose; these
// counts come from the terse UI strings Parla mostly sees ("Zoom óptico", "Nada para
// configurar.", "Uso: [OPÇÃO]... FICHEIRO"), tell apart the words eld's n-grams confuse (es/pt,
// it/pt), and know where each language puts a name ("XML document", "document XML").
//
// The file holds smoothed log-probabilities, one byte per language, keyed by a 64-bit fingerprint
// of each feature: ~12 MB read into typed arrays in milliseconds, where the same counts as JSON
// took 1.3 s to load and 108 MB of heap.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';

/** Trigrams overlap (a word of n letters gives n trigrams), so each counts half. */
const TRIGRAM_WEIGHT = 0.5;
/** Word order's weight (chosen on the dev split: 97.3 → 97.8 % right on 2–12 word strings; docs/detection.md). */
const BIGRAM_WEIGHT = 1.5;

const MAGIC = 'PRLDWB01';

/** The kinds of feature, as the builder prefixes them: word, trigram, name, bigram. */
type Kind = 'w' | 't' | 'n' | 'b';

interface Header {
  languages: string[];
  /** A stored byte q means ln p = -q · step. */
  step: number;
  features: number;
  /** Per language, ln p of a word, trigram or bigram its strings never had. */
  unseen: Record<string, Record<'w' | 't' | 'b', number>>;
}

/** The text's features, read once for every language. */
export interface TextFeatures {
  /** The text with its names blanked (languageText), which eld reads too. */
  read: string;
  words: string[];
  names: string[];
  bigrams: string[];
}

export function wordsFile(): string {
  return join(packageRoot(), 'resources', 'detect', 'words.bin');
}

export class WordModel {
  private constructor(
    private readonly header: Header,
    private readonly hi: Uint32Array,
    private readonly lo: Uint32Array,
    private readonly values: Uint8Array,
  ) {}

  static load(file = wordsFile()): WordModel {
    const bytes = readFileSync(file);
    if (bytes.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) throw new Error(`${file} is not a detector counts file (${MAGIC})`);
    const headerLength = bytes.readUInt32LE(MAGIC.length);
    const headerStart = MAGIC.length + 4;
    const header = JSON.parse(bytes.subarray(headerStart, headerStart + headerLength).toString('utf8')) as Header;
    const n = header.features;
    const start = Math.ceil((headerStart + headerLength) / 4) * 4;
    if (bytes.length !== start + n * 8 + n * header.languages.length) throw new Error(`${file} is truncated or corrupt`);
    // A copy into a buffer of its own: typed arrays need 4-byte alignment, which a pooled Buffer lacks.
    const body = new Uint8Array(bytes.subarray(start)).buffer;
    return new WordModel(header, new Uint32Array(body, 0, n), new Uint32Array(body, n * 4, n), new Uint8Array(body, n * 8));
  }

  get languages(): string[] {
    return [...this.header.languages];
  }

  /** Features of a text as the counts read them. */
  static features(text: string): TextFeatures {
    const read = languageText(text);
    return { read, words: wordsOf(read), names: namesOf(text), bigrams: bigramsOf(text) };
  }

  /**
   * ln P(text | language) for each of `languages` (-Infinity for one the counts lack): its words,
   * their trigrams, its names and its bigrams as independent draws (naive Bayes). A name no
   * language's strings had says nothing and is skipped.
   */
  logLikelihoods(features: TextFeatures, languages: readonly string[]): number[] {
    const columns = languages.map((l) => this.header.languages.indexOf(l));
    const sums = columns.map((c) => (c < 0 ? -Infinity : 0));
    const add = (kind: Kind, feature: string, weight: number): void => {
      const row = this.find(kind, feature);
      if (row < 0 && kind === 'n') return;
      columns.forEach((c, i) => {
        if (c < 0) return;
        const l = this.header.languages[c]!;
        const logP = row < 0 ? this.header.unseen[l]![kind as 'w' | 't' | 'b'] : -this.values[row * this.header.languages.length + c]! * this.header.step;
        sums[i]! += weight * logP;
      });
    };
    for (const name of features.names) add('n', name, 1);
    for (const w of features.words) {
      add('w', w, 1);
      const edged = ` ${w} `;
      for (let i = 0; i + 3 <= edged.length; i++) add('t', edged.slice(i, i + 3), TRIGRAM_WEIGHT);
    }
    for (const b of features.bigrams) add('b', b, BIGRAM_WEIGHT);
    return sums;
  }

  /** The row of a feature, or -1: binary search over the fingerprints, sorted by hi then lo. */
  private find(kind: Kind, feature: string): number {
    const [hi, lo] = fingerprint(`${kind}:${feature}`);
    let a = 0;
    let b = this.hi.length - 1;
    while (a <= b) {
      const m = (a + b) >>> 1;
      const h = this.hi[m]!;
      const l = this.lo[m]!;
      if (h === hi && l === lo) return m;
      if (h < hi || (h === hi && l < lo)) a = m + 1;
      else b = m - 1;
    }
    return -1;
  }
}

const encoder = new TextEncoder();
/** Reused for every key (a text has dozens of features): UTF-8 takes at most 3 bytes per UTF-16 unit. */
let scratch = new Uint8Array(256);

/** Two 32-bit FNV-1a hashes of the UTF-8 bytes, forwards and backwards (detect_words.py's fingerprint()). */
export function fingerprint(key: string): [number, number] {
  if (scratch.length < key.length * 3) scratch = new Uint8Array(key.length * 3);
  const n = encoder.encodeInto(key, scratch).written;
  let hi = 0x811c9dc5;
  let lo = 0x811c9dc5;
  for (let i = 0; i < n; i++) {
    hi = Math.imul(hi ^ scratch[i]!, 0x01000193) >>> 0;
    lo = Math.imul(lo ^ scratch[n - 1 - i]!, 0x01000193) >>> 0;
  }
  return [hi, lo];
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

/**
 * Pairs of neighbouring tokens, lower-cased, a name or code as `<n>`, a hyphen inside a compound
 * as `-`, the text's edges as `<s>` and `</s>` ("MP3-Audio": `<s> <n>`, `<n> -`, `- audio`,
 * `audio </s>`). Same rule as detect_words.py's `bigrams()`.
 */
export function bigramsOf(text: string): string[] {
  const tokens = (text.match(/[\p{L}\p{N}]+|(?<=[\p{L}\p{N}])-(?=[\p{L}\p{N}])/gu) ?? []).map((t) => (isName(t) ? '<n>' : t.toLowerCase()));
  const edged = ['<s>', ...tokens, '</s>'];
  return edged.slice(1).map((t, i) => `${edged[i]} ${t}`);
}
