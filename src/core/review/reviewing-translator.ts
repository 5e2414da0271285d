// Adds the review flags to every translation the engine makes (after protected spans, so they
// judge the text a person gets). Cheap string checks, no model run; see flags.ts. The
// wrong_language check needs the language detector: it loads while the model translates.
import type { TranslateRequest, Translation, Translator } from '../../shared/translation.js';
import { DETECTABLE_LANGUAGES, detector as sharedDetector, wordCount, type LanguageDetector } from '../detect/detector.js';
import { wrongLanguage } from '../detect/flags.js';
import { REVIEW_DEFAULTS, reviewFlags, type ReviewThresholds } from './flags.js';

export class ReviewingTranslator implements Translator {
  constructor(
    private readonly inner: Translator,
    private readonly thresholds: () => ReviewThresholds = () => REVIEW_DEFAULTS,
    private readonly detector: () => Promise<LanguageDetector> = sharedDetector,
  ) {}

  warm(request: Omit<TranslateRequest, 'texts'>): Promise<void> {
    return this.inner.warm?.(request) ?? Promise.resolve();
  }

  async translate(request: TranslateRequest, signal?: AbortSignal): Promise<Translation[]> {
    // Only texts of three words or more can be judged wrong_language (see detect/flags.ts).
    const judged = (DETECTABLE_LANGUAGES as readonly string[]).includes(request.to) && request.texts.some((t) => wordCount(t) >= 3);
    const detecting = judged ? this.detector() : undefined;
    const results = await this.inner.translate(request, signal);
    const thresholds = this.thresholds();
    const detector = await detecting;
    return results.map((t) => {
      const found = reviewFlags(t.source, t.text, t.confidence, thresholds);
      if (detector && wrongLanguage(detector, t.text, request.to)) found.push('wrong_language');
      const flags = [...new Set([...(t.flags ?? []), ...found])];
      return flags.length ? { ...t, flags } : t;
    });
  }
}
