// Which language a text is in, for the languages Parla's models cover, with an honest "unsure"
// for text too short to tell. Built on eld (n-grams; the best of eld, franc, tinyld,
// languagedetect and cld3 on Debian's catalogue strings, see docs/detection.md and
// `npm run bench:detect`), restricted to Parla's languages, with a prior: when the text alone is
// ambiguous, the languages the caller expects (the installed models' sources and the target)
// decide, and only when one of those clearly leads.

/** The languages detection tells apart: those Parla's models cover. */
export const DETECTABLE_LANGUAGES = ['en', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'ca', 'ro'] as const;

/**
 * A detection is sure at this confidence or above. Confidence is 1 − (runner-up / best score)^13.5,
 * so 0.5 is the best language scoring 5 % above the next (on the fixture's 1–2 word strings,
 * answers at that margin are right ~90 % of the time among nine languages and ~98 % between two).
 */
export const SURE_CONFIDENCE = 0.5;
const SHARPNESS = Math.log(0.5) / Math.log(0.95);

/**
 * For one or two words, the expected languages' scores count this much more: short strings are
 * where n-grams mislead most, and where a language no model serves is least likely. Chosen on the
 * fixture (en/es strings of 1–2 words with an en→es install: 89 % right and 6 % wrong without it,
 * 92 % and 2.5 % with it; see docs/detection.md).
 */
export const SHORT_TEXT_PRIOR = 1.2;

export interface Detection {
  /** The language, when the detector is sure; absent when it cannot tell. */
  language?: string;
  /** The best-scoring language, sure or not. */
  likeliest?: string;
  /** How far the best language leads the next, in [0, 1]; sure at SURE_CONFIDENCE or above. */
  confidence: number;
}

export interface DetectOptions {
  /**
   * Languages the text is likely in (installed models' sources, the target): when all of Parla's
   * languages leave the text ambiguous, the best of these is taken if it clearly leads them.
   */
  expected?: readonly string[];
}

interface Eld {
  detect(text: string): { getScores(): Record<string, number> };
  setLanguageSubset(languages: string[]): unknown;
  newInstance(): Eld;
}

export class LanguageDetector {
  private constructor(private readonly eld: Eld) {}

  /** Loads eld's large n-gram table (~1–3 s, once per process; see detector()). */
  static async load(): Promise<LanguageDetector> {
    const { eld } = (await import('eld/large')) as unknown as { eld: Eld };
    const instance = eld.newInstance();
    instance.setLanguageSubset([...DETECTABLE_LANGUAGES]);
    return new LanguageDetector(instance);
  }

  /** Scores of Parla's languages for `text` (higher is likelier; absent when eld saw no evidence). */
  scores(text: string): Record<string, number> {
    return this.eld.detect(text).getScores();
  }

  detect(text: string, options: DetectOptions = {}): Detection {
    // Fewer than two letters say nothing about a language ("5", "OK?" still gets its chance).
    if ((text.match(/\p{L}/gu) ?? []).length < 2) return { confidence: 0 };
    const scores = this.scores(text);
    const expected = options.expected?.filter((l) => l in scores) ?? [];
    if (wordCount(text) <= 2) {
      for (const l of expected) scores[l] = scores[l]! * SHORT_TEXT_PRIOR;
      const short = lead(scores, DETECTABLE_LANGUAGES);
      return short.confidence >= SURE_CONFIDENCE ? short : unsure(short);
    }
    const all = lead(scores, DETECTABLE_LANGUAGES);
    if (all.language && all.confidence >= SURE_CONFIDENCE) return all;
    if (expected.length) {
      const prior = lead(scores, expected);
      if (prior.language && prior.confidence >= SURE_CONFIDENCE) return prior;
    }
    return unsure(all);
  }
}

export function wordCount(text: string): number {
  return (text.match(/\p{L}+/gu) ?? []).length;
}

/** The best-scoring of `languages` and how far it leads the runner-up. */
function lead(scores: Record<string, number>, languages: readonly string[]): Detection {
  let best: string | undefined;
  let top = 0;
  let second = 0;
  for (const l of languages) {
    const s = scores[l] ?? 0;
    if (s > top) {
      second = top;
      top = s;
      best = l;
    } else if (s > second) second = s;
  }
  if (!best) return { confidence: 0 };
  return { language: best, likeliest: best, confidence: 1 - (second / top) ** SHARPNESS };
}

function unsure({ likeliest, confidence }: Detection): Detection {
  return { ...(likeliest ? { likeliest } : {}), confidence };
}

let shared: Promise<LanguageDetector> | undefined;

/** The process's detector, loaded on first use. */
export function detector(): Promise<LanguageDetector> {
  shared ??= LanguageDetector.load();
  return shared;
}
