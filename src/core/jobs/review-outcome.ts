// A translation as a job item keeps it: its text, review flags and confidence. Under a job's
// minimum confidence the item is kept untranslated (empty) and flagged low_confidence: for rows a
// person will check anyway, no translation beats a bad one.
import type { Translation, TranslationFlag } from '../../shared/translation.js';

export interface ItemOutcome {
  ok: true;
  text: string;
  cached: boolean;
  /** Answered by the translation memory (counted in `progress.memory`, not as cached or a model call). */
  memory?: boolean;
  flags: TranslationFlag[];
  confidence?: number;
}

export function itemOutcome(t: Translation, minConfidence?: number): ItemOutcome {
  const flags = t.flags ?? [];
  // Counted with cache hits as answered without a model run: a text passed through as already in
  // the target language (same_language) or left for lack of a model (no_model; model is empty).
  const base = { ok: true as const, cached: t.cached || t.model === '', ...(t.origin === 'memory' ? { memory: true } : {}), ...(t.confidence !== undefined ? { confidence: t.confidence } : {}) };
  if (minConfidence !== undefined && t.confidence !== undefined && t.confidence < minConfidence) {
    return { ...base, text: '', flags: flags.includes('low_confidence') ? flags : ['low_confidence', ...flags] };
  }
  return { ...base, text: t.text, flags };
}
