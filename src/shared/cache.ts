// Cache contract shared by every door and both backends (SQLite, Redis). No Node imports here.

/** What one cache entry holds: the translation, the model that produced it, and its review. */
export interface CacheValue {
  text: string;
  model: string;
  /** The translation's confidence and flags, so a hit says what the first answer said. */
  review?: CacheReview;
}

export interface CacheReview {
  confidence?: number;
  flags?: string[];
}

/** The review as stored (compact JSON, or null when there is nothing to say). */
export function encodeReview(review: CacheReview | undefined): string | null {
  const r = { ...(review?.confidence !== undefined ? { c: Math.round(review.confidence * 1e4) / 1e4 } : {}), ...(review?.flags?.length ? { f: review.flags } : {}) };
  return Object.keys(r).length ? JSON.stringify(r) : null;
}

export function decodeReview(stored: string | null | undefined): CacheReview | undefined {
  if (!stored) return undefined;
  try {
    const r = JSON.parse(stored) as { c?: unknown; f?: unknown };
    const review: CacheReview = {};
    if (typeof r.c === 'number') review.confidence = r.c;
    if (Array.isArray(r.f)) review.flags = r.f.filter((f): f is string => typeof f === 'string');
    return review;
  } catch {
    return undefined; // an entry written by a newer or broken writer: the translation still stands
  }
}

export interface CacheStats {
  hits: number;
  misses: number;
  /** hits / (hits + misses); 0 before the first lookup. */
  hitRate: number;
  entries: number;
  /** Approximate stored size: UTF-8 bytes of key, text and model. */
  bytes: number;
}
