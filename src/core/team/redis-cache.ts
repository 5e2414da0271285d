// Redis cache backend: the team's shared cache. Same behaviour as SqliteCache (LRU by entries
// and bytes, TTL, hit/miss counters) so both pass test/state/cache-contract.ts; every lookup and
// write is one Lua script, so concurrent members never leave counters and entries out of step.
import type { Redis } from 'ioredis';
import { decodeReview, encodeReview, type CacheStats, type CacheValue } from '../../shared/cache.js';
import { CACHE_DEFAULTS, entryBytes, type CacheBackend, type CacheLimits } from '../cache/backend.js';
import { CACHE_SCRIPTS } from './redis-cache-scripts.js';
import { closeRedis } from './connection.js';
import { defineScripts, type ScriptFn } from './scripts.js';

export interface RedisCacheOptions extends CacheLimits {
  client: Redis;
  /** Team key prefix (`parla:<team>`); the cache lives under `<prefix>:cache:`. */
  prefix: string;
  /** Close the client with the cache (true when the cache opened it). */
  ownsClient?: boolean;
  now?: () => number;
}

export class RedisCache implements CacheBackend {
  private readonly client: Redis;
  private readonly keys: string[];
  private readonly scripts: Record<keyof typeof CACHE_SCRIPTS, ScriptFn>;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly ownsClient: boolean;

  constructor(options: RedisCacheOptions) {
    this.client = options.client;
    const base = `${options.prefix}:cache:`;
    this.keys = ['e', 'c', 'b', 'lru', 'm'].map((k) => base + k);
    this.scripts = defineScripts(this.client, CACHE_SCRIPTS);
    this.maxEntries = options.maxEntries ?? CACHE_DEFAULTS.maxEntries;
    this.maxBytes = options.maxBytes ?? CACHE_DEFAULTS.maxBytes;
    this.ttlMs = options.ttlMs ?? -1;
    this.now = options.now ?? Date.now;
    this.ownsClient = options.ownsClient ?? false;
  }

  async get(key: string): Promise<CacheValue | undefined> {
    return (await this.getMany([key]))[0];
  }

  async getMany(keys: readonly string[]): Promise<(CacheValue | undefined)[]> {
    if (keys.length === 0) return [];
    const raw = (await this.scripts.getMany(...this.keys, this.now(), this.ttlMs, ...keys)) as (string | null)[];
    return keys.map((_, i) => {
      const payload = raw[i];
      if (payload === null || payload === undefined) return undefined;
      const [text, model, stored] = JSON.parse(payload) as [string, string, string | null | undefined];
      const review = decodeReview(stored);
      return { text, model, ...(review ? { review } : {}) };
    });
  }

  async set(key: string, value: CacheValue): Promise<void> {
    await this.setMany([[key, value]]);
  }

  async setMany(entries: readonly (readonly [string, CacheValue])[]): Promise<void> {
    if (entries.length === 0) return;
    const args: (string | number)[] = [];
    for (const [key, value] of entries) {
      const review = encodeReview(value.review);
      args.push(key, JSON.stringify(review ? [value.text, value.model, review] : [value.text, value.model]), entryBytes(key, value));
    }
    await this.scripts.setMany(...this.keys, this.now(), this.maxEntries, this.maxBytes, ...args);
  }

  async stats(): Promise<CacheStats> {
    const [hits, misses, entries, bytes] = (await this.client.hmget(this.keys[4] as string, 'hits', 'misses', 'entries', 'bytes')).map(
      (v) => Number(v ?? 0),
    ) as [number, number, number, number];
    const lookups = hits + misses;
    return { hits, misses, hitRate: lookups === 0 ? 0 : hits / lookups, entries, bytes };
  }

  async clear(): Promise<void> {
    await this.client.del(...this.keys);
  }

  async close(): Promise<void> {
    if (this.ownsClient) await closeRedis(this.client);
  }
}
