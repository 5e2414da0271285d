// How the UI names review flags and confidence (docs/review.md has the rules behind them).
import type { Translation, TranslationFlag } from '../../shared/translation.js';

export const FLAG_LABELS: Record<TranslationFlag, string> = {
  spans: 'a placeholder or tag could not be kept',
  low_confidence: 'the model is unsure',
  untranslated: 'came back untranslated',
  repetition: 'the output repeats itself',
  length: 'much shorter or longer than expected',
  truncated: 'cut off at the length limit',
  wrong_language: 'not in the target language',
  same_language: 'already in the target language: passed through',
  no_model: 'no installed model for its language: left untranslated',
};

/** The distinct flags of a set of translations, in contract order. */
export function flagsOf(results: readonly Translation[]): TranslationFlag[] {
  const found = new Set(results.flatMap((t) => t.flags ?? []));
  return (Object.keys(FLAG_LABELS) as TranslationFlag[]).filter((f) => found.has(f));
}

/** The lowest confidence of a set of translations, as a whole percentage; undefined when none has one. */
export function lowestConfidence(results: readonly Translation[]): number | undefined {
  const values = results.flatMap((t) => (t.confidence === undefined ? [] : [t.confidence]));
  return values.length ? Math.round(100 * Math.min(...values)) : undefined;
}
