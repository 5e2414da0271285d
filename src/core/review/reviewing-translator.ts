// Adds the review flags to every translation the engine makes (after protected spans, so they
// judge the text a person gets). Cheap string checks, no model run; see flags.ts.
import type { TranslateRequest, Translation, Translator } from '../../shared/translation.js';
import { REVIEW_DEFAULTS, reviewFlags, type ReviewThresholds } from './flags.js';

export class ReviewingTranslator implements Translator {
  constructor(
    private readonly inner: Translator,
    private readonly thresholds: () => ReviewThresholds = () => REVIEW_DEFAULTS,
  ) {}

  warm(request: Omit<TranslateRequest, 'texts'>): Promise<void> {
    return this.inner.warm?.(request) ?? Promise.resolve();
  }

  async translate(request: TranslateRequest, signal?: AbortSignal): Promise<Translation[]> {
    const results = await this.inner.translate(request, signal);
    const thresholds = this.thresholds();
    return results.map((t) => {
      const flags = [...new Set([...(t.flags ?? []), ...reviewFlags(t.source, t.text, t.confidence, thresholds)])];
      return flags.length ? { ...t, flags } : t;
    });
  }
}
