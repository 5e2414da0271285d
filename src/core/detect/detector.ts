// Which language a text is in, for the languages Parla's models cover, with an honest "unsure"
// for text too short to tell. Two signals, added as log-likelihoods (naive Bayes): eld's n-grams
// (learned from prose; the best of eld, franc, tinyld, languagedetect and cld3 on Debian's
// catalogue strings) and word, trigram, name and word-order counts from ~1,200 of Debian's own
// catalogues (words.ts), which know UI strings. A prior: the languages the caller expects (the installed models' sources and
// the target) count more. See docs/detection.md and `npm run bench:detect`.
import { WordModel } from './words.js';

/** The languages detection tells apart: those Parla's models cover. */
export const DETECTABLE_LANGUAGES = ['en', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'ca', 'ro'] as const;

/**
 * A detection is sure when the best language's posterior probability is at least this. Chosen on
 * the dev split (docs/detection.md): on 2–12 word strings it withholds 0.1 % of answers (4 of
 * 3,032, three of them wrong); higher thresholds cost more right answers than wrong ones.
 */
export const SURE_CONFIDENCE = 0.5;

/**
 * eld's evidence for a language: ELD_WEIGHT · ln(its score / the best score), floored at
 * ELD_FLOOR (eld gives no score to a language none of the text's n-grams belong to). Chosen on
 * the dev split: with the counts of ~1,200 catalogues beside it, weights 0–3 are alike on 2–12
 * word strings (97.8 %) and 1 is best on one- and two-word ones; it keeps eld's knowledge of prose.
 */
const ELD_WEIGHT = 1;
const ELD_FLOOR = 0.3;

/**
 * Prior odds of an expected language over another, for text of three words or more. Chosen on the
 * dev split: with an en→es install, en/es strings 98.9 → 99.3 % right, other languages' strings
 * 98.3 → 98.0 %. With today's counts: odds 1 · 2 · 4 give en/es 98.6 · 98.8 · 99.0 %, the others
 * 98.8 · 98.7 · 98.6 %.
 */
export const EXPECTED_PRIOR = 2;
/**
 * The same for one or two words, where the text says least and a language no installed model
 * serves is least likely. Chosen on the dev split's 1–2 word strings with an en→es install: en/es
 * 92.0 % right (odds 30: 89.8 %, 1,000: 94.3 %), other languages 79.5 % (87.1 % at odds 2). With
 * today's counts: odds 30 · 100 · 1,000 give en/es 91.8 · 92.8 · 94.8 %, the others 90.1 · 89.4 · 86.9 %.
 */
export const SHORT_PRIOR = 100;

/** eld's n-gram tables, largest (most accurate on prose, slowest to load) first. */
export type EldTable = 'large' | 'medium' | 'small' | 'extrasmall';

/**
 * The table Parla loads: with the word counts beside it, the smallest is as accurate as the others
 * (bench:detect; on the dev split the same within 0.2 point, and on everyday sentences), and holds
 * ~65 MB less memory than the small one in every process that detects (130 vs 197 MB RSS).
 */
export const DEFAULT_ELD_TABLE: EldTable = 'extrasmall';

export interface Detection {
  /** The language, when the detector is sure; absent when it cannot tell. */
  language?: string;
  /** The best-scoring language, sure or not. */
  likeliest?: string;
  /** The best language's posterior probability among the candidates, in [0, 1]; sure at SURE_CONFIDENCE or above. */
  confidence: number;
}

export interface DetectOptions {
  /**
   * Languages the text is likely in (installed models' sources, the target): prior odds
   * EXPECTED_PRIOR (SHORT_PRIOR for one or two words).
   */
  expected?: readonly string[];
  /** The only languages to choose among (default: all DETECTABLE_LANGUAGES). */
  candidates?: readonly string[];
}

export interface LoadOptions {
  table?: EldTable;
  /** The word, trigram, name and bigram counts (default: resources/detect/words.bin). */
  words?: WordModel;
}

interface Eld {
  detect(text: string): { getScores(): Record<string, number> };
  setLanguageSubset(languages: string[]): unknown;
  newInstance(): Eld;
}

const ELD_TABLES: Record<EldTable, () => Promise<unknown>> = {
  large: () => import('eld/large'),
  medium: () => import('eld/medium'),
  small: () => import('eld/small'),
  extrasmall: () => import('eld/extrasmall'),
};

export class LanguageDetector {
  private constructor(
    private readonly eld: Eld,
    private readonly words: WordModel,
  ) {}

  /** Loads eld's table (~1–3 s, once per process; see detector()) and the word counts (~0.1 s). */
  static async load(options: LoadOptions = {}): Promise<LanguageDetector> {
    const { eld } = (await ELD_TABLES[options.table ?? DEFAULT_ELD_TABLE]()) as { eld: Eld };
    const instance = eld.newInstance();
    instance.setLanguageSubset([...DETECTABLE_LANGUAGES]);
    return new LanguageDetector(instance, options.words ?? WordModel.load());
  }

  /** eld's scores of Parla's languages for `text` (higher is likelier; absent when eld saw no evidence). */
  eldScores(text: string): Record<string, number> {
    return this.eld.detect(text).getScores();
  }

  detect(text: string, options: DetectOptions = {}): Detection {
    // Fewer than two letters say nothing about a language ("5", "OK?" still gets its chance).
    if ((text.match(/\p{L}/gu) ?? []).length < 2) return { confidence: 0 };
    const features = WordModel.features(text);
    const expected = new Set(options.expected ?? []);
    const candidates = (options.candidates ?? DETECTABLE_LANGUAGES).filter((l) => (DETECTABLE_LANGUAGES as readonly string[]).includes(l));
    const eld = this.eldScores(features.read);
    const top = Math.max(0, ...Object.values(eld));
    const counts = this.words.logLikelihoods(features, candidates);
    const scores = candidates.map((l, i) => {
      let s = top > 0 ? ELD_WEIGHT * Math.log(Math.max(ELD_FLOOR, (eld[l] ?? 0) / top)) : 0;
      s += counts[i]!;
      if (expected.has(l)) s += Math.log(features.words.length <= 2 ? SHORT_PRIOR : EXPECTED_PRIOR);
      return s;
    });
    return posterior(candidates, scores);
  }
}

/** The best language and its probability, from log-likelihoods (softmax). */
function posterior(languages: readonly string[], scores: readonly number[]): Detection {
  const best = scores.indexOf(Math.max(...scores));
  if (best < 0) return { confidence: 0 };
  const total = scores.reduce((sum, s) => sum + Math.exp(s - scores[best]!), 0);
  const confidence = 1 / total;
  const likeliest = languages[best]!;
  return confidence >= SURE_CONFIDENCE ? { language: likeliest, likeliest, confidence } : { likeliest, confidence };
}

export function wordCount(text: string): number {
  return (text.match(/\p{L}+/gu) ?? []).length;
}

let shared: Promise<LanguageDetector> | undefined;

/** The process's detector, loaded on first use. */
export function detector(): Promise<LanguageDetector> {
  shared ??= LanguageDetector.load();
  return shared;
}
