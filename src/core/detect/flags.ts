// The review flag detection gives an output: `wrong_language`, only when the detector is sure.
import { DETECTABLE_LANGUAGES, type LanguageDetector } from './detector.js';
import { languageText, wordsOf } from './words.js';

/**
 * How sure the detector must be that an output is in its likeliest language rather than the
 * target, the two alone compared. Naive Bayes is overconfident between close languages ("Tipo de
 * letra actual" reads as Portuguese at 0.92), so the bar is high. Chosen on held-out en→es pairs
 * (bench:detect): 1 of 421 Spanish references flagged, 361 of 371 English sources of three words
 * or more would be.
 */
export const WRONG_LANGUAGE_CONFIDENCE = 0.9999;

/**
 * True when `output` is surely in another language than `to`. Asked without a prior: an output
 * is judged on its own text. Targets detection does not cover are never flagged, nor outputs of
 * fewer than three words besides names and codes (labels like "Anchura:" or "Trim" read as several
 * languages; "TipoMatrix EZ-Reach 2030 USB (106:JP)" has one word, "Reach").
 */
export function wrongLanguage(detector: LanguageDetector, output: string, to: string): boolean {
  if (!(DETECTABLE_LANGUAGES as readonly string[]).includes(to) || wordsOf(languageText(output)).length < 3) return false;
  const { likeliest } = detector.detect(output);
  if (!likeliest || likeliest === to) return false;
  const duel = detector.detect(output, { candidates: [to, likeliest] });
  return duel.likeliest === likeliest && duel.confidence >= WRONG_LANGUAGE_CONFIDENCE;
}
