// Cache contract shared by every door and both backends (SQLite, Redis). No Node imports here.

/** What one cache entry holds: the translation and the model that produced it. */
export interface CacheValue {
  text: string;
  model: string;
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
