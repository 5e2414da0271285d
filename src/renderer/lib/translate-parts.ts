// A long text goes out as several translate calls, one after another, each within the server's
// limits (LIMITS.translateTexts texts, a JSON body far under LIMITS.jsonBodyBytes); the answers
// are joined in order. Parts are small enough that progress moves visibly on a long paste.
import type { ParlaApi } from '../../shared/api.js';
import { LIMITS } from '../../shared/limits.js';
import type { TranslateRequest, Translation } from '../../shared/translation.js';
import { partsOf } from './lines.js';

export const PART_TEXTS = Math.min(100, LIMITS.translateTexts);
export const PART_CHARS = 200_000;

export interface PartsProgress {
  done: number;
  total: number;
  /** The translations so far, in order: the first `done` texts'. */
  translations: readonly Translation[];
}

/**
 * Translates `request.texts` part by part; undefined once `stale()` says a newer request replaced
 * this one (no further part is sent). The first failing part's error is thrown.
 */
export async function translateInParts(api: Pick<ParlaApi, 'translate'>, request: TranslateRequest, onProgress: (p: PartsProgress) => void, stale: () => boolean): Promise<Translation[] | undefined> {
  const results: Translation[] = [];
  const total = request.texts.length;
  for (const texts of partsOf(request.texts, PART_TEXTS, PART_CHARS)) {
    const answer = await api.translate({ ...request, texts });
    if (stale()) return undefined;
    results.push(...answer);
    onProgress({ done: results.length, total, translations: results });
  }
  return results;
}
