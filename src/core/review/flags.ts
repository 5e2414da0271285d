// Review flags: cheap checks on one translation that say which rows a person should look at.
// Each is explained in docs/review.md; thresholds were chosen on held-out catalogue pairs
// (bench:review), and low_confidence's is a setting.
import { SETTINGS_DEFAULTS } from '../../shared/settings.js';
import type { TranslationFlag } from '../../shared/translation.js';
import { findSpans } from '../protect/spans.js';

export interface ReviewThresholds {
  /** Outputs with `confidence` below this are flagged low_confidence. */
  minConfidence: number;
  /** Output/source length ratio (characters) outside [min, max] is flagged, for sources of 20+ characters. */
  lengthRatio: { min: number; max: number };
}

// minConfidence: the setting's default, the 20th percentile of confidence on held-out pairs (bench:review); the length bounds
// sit well outside the 1st–99th percentile of reference ratios there (0.81–1.77).
export const REVIEW_DEFAULTS: ReviewThresholds = { minConfidence: SETTINGS_DEFAULTS.review.minConfidence, lengthRatio: { min: 0.5, max: 2.6 } };

/** The words of a text with its protected spans left out, lower-cased. */
function words(text: string): string[] {
  let out = text;
  for (const span of findSpans(text).reverse()) out = out.slice(0, span.start) + ' ' + out.slice(span.end);
  return out.toLowerCase().match(/\p{L}+/gu) ?? [];
}

/** A run of 1–3 words repeated three times or more in a row, or a letter held four times or more. */
const LOOP = /(?:^|[^\p{L}])(\p{L}+(?:[^\p{L}]+\p{L}+){0,2})(?:[^\p{L}]+\1(?![\p{L}])){2,}|(\p{L})\2{3,}/iu;

export function reviewFlags(source: string, text: string, confidence: number | undefined, thresholds: ReviewThresholds = REVIEW_DEFAULTS): TranslationFlag[] {
  const flags: TranslationFlag[] = [];
  if (confidence !== undefined && confidence < thresholds.minConfidence) flags.push('low_confidence');
  const sourceWords = words(source);
  // Two words of three letters or more that come back as they were, with the rest: an untranslated
  // text. One such word may be a name or a word both languages share ("Zoom: 51 mm", "Y Normal");
  // test/fixtures/review-precision.json has the hand-checked cases.
  if (sourceWords.filter((w) => w.length >= 3).length >= 2 && words(text).join(' ') === sourceWords.join(' ')) flags.push('untranslated');
  if (LOOP.test(text) && !LOOP.test(source)) flags.push('repetition');
  const s = source.trim().length;
  const ratio = text.trim().length / Math.max(1, s);
  if (s >= 20 && (ratio < thresholds.lengthRatio.min || ratio > thresholds.lengthRatio.max)) flags.push('length');
  return flags;
}
