// The cache seam: SQLite on one machine, Redis (with a SQLite L1) for a team. Both pass
// test/state/cache-contract.ts.
import type { CacheStats, CacheValue } from '../../shared/cache.js';

export interface CacheBackend {
  get(key: string): Promise<CacheValue | undefined>;
  /** One lookup for many keys; the result is aligned with `keys`. */
  getMany(keys: readonly string[]): Promise<(CacheValue | undefined)[]>;
  set(key: string, value: CacheValue): Promise<void>;
  setMany(entries: readonly (readonly [string, CacheValue])[]): Promise<void>;
  stats(): Promise<CacheStats>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

export interface CacheLimits {
  /** Evict least-recently-used entries beyond this many. */
  maxEntries?: number;
  /** Evict least-recently-used entries beyond this many stored bytes. */
  maxBytes?: number;
  /** Entries older than this are misses (and get dropped). */
  ttlMs?: number;
}

export const CACHE_DEFAULTS: Required<Pick<CacheLimits, 'maxEntries' | 'maxBytes'>> = {
  maxEntries: 2_000_000,
  maxBytes: 1024 * 1024 * 1024,
};

export function entryBytes(key: string, value: CacheValue): number {
  return Buffer.byteLength(key) + Buffer.byteLength(value.text) + Buffer.byteLength(value.model);
}
