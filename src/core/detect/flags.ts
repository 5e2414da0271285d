// The review flag detection gives an output: `wrong_language`, only when the detector is sure.
import { DETECTABLE_LANGUAGES, wordCount, type LanguageDetector } from './detector.js';

/**
 * True when `output` is surely in another language than `to`. Asked without a prior: an output
 * is judged on its own text. Targets detection does not cover are never flagged, nor outputs of
 * one or two words (labels like "Anchura:" or "Trim" read as several languages).
 */
export function wrongLanguage(detector: LanguageDetector, output: string, to: string): boolean {
  if (!(DETECTABLE_LANGUAGES as readonly string[]).includes(to) || wordCount(output) < 3) return false;
  const { language } = detector.detect(output);
  return language !== undefined && language !== to;
}
