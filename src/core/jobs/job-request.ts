// What a job asks of the engine for one target language: its source language, and the model and
// decode options it was created with. The local runner (warm-up and batches) and the team's
// workers (chunks) build their requests here, so a job translates the same wherever it runs.
import type { DecodeOptions, TranslateRequest } from '../../shared/translation.js';

export function requestForJob(from: string, spec: Record<string, unknown>, to: string): Omit<TranslateRequest, 'texts'> {
  return {
    to,
    ...(from ? { from } : {}),
    ...(typeof spec['model'] === 'string' ? { model: spec['model'] } : {}),
    ...(spec['options'] ? { options: spec['options'] as DecodeOptions } : {}),
  };
}

/** The confidence under which the job's rows are flagged for review, when it set one. */
export function minConfidenceOf(spec: Record<string, unknown>): number | undefined {
  return typeof spec['minConfidence'] === 'number' ? spec['minConfidence'] : undefined;
}
