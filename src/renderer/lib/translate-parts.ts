// A long text goes out as several translate calls, one after another, each within the server's
// limits (LIMITS.translateTexts texts, a JSON body far under LIMITS.jsonBodyBytes); the answers
// are joined in order. Parts are small enough that progress moves visibly on a long paste.
import type { ParlaApi } from '../../shared/api.js';
import { LIMITS } from '../../shared/limits.js';
import type { TranslateRequest, Translation } from '../../shared/translation.js';

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

/**
 * Texts cut into consecutive parts of at most `maxTexts` texts and about `maxChars` characters
 * (a single longer text is a part of its own), so a long paste goes out as several requests,
 * each within the server's limits.
 */
export function partsOf(texts: readonly string[], maxTexts: number, maxChars: number): string[][] {
  const parts: string[][] = [];
  let part: string[] = [];
  let chars = 0;
  for (const text of texts) {
    if (part.length && (part.length >= maxTexts || chars + text.length > maxChars)) {
      parts.push(part);
      part = [];
      chars = 0;
    }
    part.push(text);
    chars += text.length;
  }
  if (part.length) parts.push(part);
  return parts;
}
