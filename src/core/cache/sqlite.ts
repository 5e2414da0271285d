// SQLite cache backend. Lookups are one prepared statement over json_each(keys) so a batch of 64
// texts costs one round trip into SQLite; hit/miss counters and LRU ticks are written in the same
// short transaction so `parla cache stats` from another process sees them.
// Its tables are made and changed by the ordered migrations in src/core/migrations.ts.
import { decodeReview, encodeReview, type CacheStats, type CacheValue } from '../../shared/cache.js';
import { ParlaError } from '../../shared/errors.js';
import { openDb, writeTransaction, type Db } from '../db.js';
import { CACHE_DEFAULTS, entryBytes, type CacheBackend, type CacheLimits } from './backend.js';
import { EndOfTurn } from '../end-of-turn.js';

export interface SqliteCacheOptions extends CacheLimits {
  /** An open state database (shared with history and queue); or `file` to open one. */
  db?: Db;
  file?: string;
  /** Clock for TTL; injectable for tests. */
  now?: () => number;
}

interface EntryRow {
  key: string;
  text: string;
  model: string;
  review: string | null;
  created_at: number;
}

interface MetaRow {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
}

const EVICT_CHUNK = 256;

export class SqliteCache implements CacheBackend {
  private readonly db: Db;
  private readonly ownsDb: boolean;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly ttlMs: number | undefined;
  private readonly now: () => number;
  private readonly stmt;
  private readonly recordLookup: (hitKeys: string[], expiredKeys: string[], hits: number, misses: number) => void;
  private readonly writeMany: (entries: readonly (readonly [string, CacheValue])[]) => void;

  constructor(options: SqliteCacheOptions) {
    if (!options.db && !options.file) throw new ParlaError('INTERNAL', 'SqliteCache needs a db or a file');
    this.db = options.db ?? openDb(options.file as string);
    this.ownsDb = !options.db;
    this.maxEntries = options.maxEntries ?? CACHE_DEFAULTS.maxEntries;
    this.maxBytes = options.maxBytes ?? CACHE_DEFAULTS.maxBytes;
    this.ttlMs = options.ttlMs;
    this.now = options.now ?? Date.now;
    const db = this.db;
    this.stmt = {
      many: db.prepare<[string], EntryRow>(
        'SELECT key, text, model, review, created_at FROM cache_entries WHERE key IN (SELECT value FROM json_each(?))',
      ),
      tick: db.prepare<[number], { tick: number }>('UPDATE cache_meta SET tick = tick + ? WHERE id = 1 RETURNING tick'),
      touch: db.prepare<[number, string]>(
        'UPDATE cache_entries SET accessed_at = ? WHERE key IN (SELECT value FROM json_each(?))',
      ),
      counters: db.prepare<[number, number]>('UPDATE cache_meta SET hits = hits + ?, misses = misses + ? WHERE id = 1'),
      deleteKeys: db.prepare<[string], { bytes: number }>(
        'DELETE FROM cache_entries WHERE key IN (SELECT value FROM json_each(?)) RETURNING bytes',
      ),
      oldBytes: db.prepare<[string], { bytes: number }>('SELECT bytes FROM cache_entries WHERE key = ?'),
      upsert: db.prepare<[string, string, string, string | null, number, number, number]>(
        `INSERT INTO cache_entries (key, text, model, review, bytes, created_at, accessed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET text = excluded.text, model = excluded.model, review = excluded.review, bytes = excluded.bytes,
           created_at = excluded.created_at, accessed_at = excluded.accessed_at`,
      ),
      size: db.prepare<[number, number]>('UPDATE cache_meta SET entries = entries + ?, bytes = bytes + ? WHERE id = 1'),
      meta: db.prepare<[], MetaRow>('SELECT hits, misses, entries, bytes FROM cache_meta WHERE id = 1'),
      oldest: db.prepare<[number], { key: string; bytes: number }>(
        'SELECT key, bytes FROM cache_entries ORDER BY accessed_at, key LIMIT ?',
      ),
    };

    this.recordLookup = writeTransaction(db, (hitKeys: string[], expiredKeys: string[], hits: number, misses: number) => {
      if (hitKeys.length > 0) {
        const { tick } = this.stmt.tick.get(1) as { tick: number };
        this.stmt.touch.run(tick, JSON.stringify(hitKeys));
      }
      if (expiredKeys.length > 0) this.dropKeys(expiredKeys);
      this.stmt.counters.run(hits, misses);
    });

    this.writeMany = writeTransaction(db, (entries: readonly (readonly [string, CacheValue])[]) => {
      const { tick } = this.stmt.tick.get(entries.length) as { tick: number };
      const createdAt = this.now();
      let entryDelta = 0;
      let byteDelta = 0;
      entries.forEach(([key, value], i) => {
        const bytes = entryBytes(key, value);
        const old = this.stmt.oldBytes.get(key);
        this.stmt.upsert.run(key, value.text, value.model, encodeReview(value.review), bytes, createdAt, tick - entries.length + 1 + i);
        entryDelta += old ? 0 : 1;
        byteDelta += bytes - (old?.bytes ?? 0);
      });
      this.stmt.size.run(entryDelta, byteDelta);
      this.evictOverflow();
    });
  }

  async get(key: string): Promise<CacheValue | undefined> {
    return (await this.getMany([key]))[0];
  }

  async getMany(keys: readonly string[]): Promise<(CacheValue | undefined)[]> {
    if (keys.length === 0) return [];
    const rows = this.stmt.many.all(JSON.stringify(keys));
    const found = new Map<string, CacheValue>();
    const expired: string[] = [];
    const oldest = this.ttlMs === undefined ? -Infinity : this.now() - this.ttlMs;
    for (const row of rows) {
      if (row.created_at < oldest) expired.push(row.key);
      else {
        const review = decodeReview(row.review);
        found.set(row.key, { text: row.text, model: row.model, ...(review ? { review } : {}) });
      }
    }
    const result = keys.map((k) => found.get(k));
    const misses = result.filter((v) => v === undefined).length;
    this.deferLookup([...found.keys()], expired, keys.length - misses, misses);
    return result;
  }

  /** Hits to touch (LRU), expired keys to drop and counters, not yet written. */
  private pendingLookups = { hitKeys: [] as string[], expired: [] as string[], hits: 0, misses: 0 };
  private readonly lookupWrite = new EndOfTurn(() => this.flushLookups(), 'cache bookkeeping');

  /**
   * A lookup's bookkeeping (LRU touch, expired entries, hit/miss counters) is written once this
   * turn of the event loop is over, together with every other lookup's: a burst of cache hits
   * costs one write transaction instead of one each. Every other method writes it first, so
   * stats, eviction and new entries always see it.
   */
  private deferLookup(hitKeys: string[], expired: string[], hits: number, misses: number): void {
    const p = this.pendingLookups;
    p.hitKeys.push(...hitKeys);
    p.expired.push(...expired);
    p.hits += hits;
    p.misses += misses;
    this.lookupWrite.request();
  }

  /** Writes the pending lookup bookkeeping now. */
  flushLookups(): void {
    const p = this.pendingLookups;
    if (p.hits + p.misses === 0 && p.expired.length === 0) return;
    this.pendingLookups = { hitKeys: [], expired: [], hits: 0, misses: 0 };
    if (this.db.open) this.recordLookup([...new Set(p.hitKeys)], [...new Set(p.expired)], p.hits, p.misses);
  }

  async set(key: string, value: CacheValue): Promise<void> {
    this.flushLookups();
    this.writeMany([[key, value]]);
  }

  async setMany(entries: readonly (readonly [string, CacheValue])[]): Promise<void> {
    this.flushLookups();
    if (entries.length > 0) this.writeMany(entries);
  }

  async stats(): Promise<CacheStats> {
    this.flushLookups();
    const m = this.stmt.meta.get() as MetaRow;
    const lookups = m.hits + m.misses;
    return { hits: m.hits, misses: m.misses, hitRate: lookups === 0 ? 0 : m.hits / lookups, entries: m.entries, bytes: m.bytes };
  }

  async clear(): Promise<void> {
    this.flushLookups();
    this.db.exec('DELETE FROM cache_entries; UPDATE cache_meta SET hits = 0, misses = 0, entries = 0, bytes = 0 WHERE id = 1;');
  }

  async close(): Promise<void> {
    this.flushLookups();
    if (this.ownsDb && this.db.open) this.db.close();
  }

  private dropKeys(keys: string[]): void {
    const removed = this.stmt.deleteKeys.all(JSON.stringify(keys));
    this.stmt.size.run(-removed.length, -removed.reduce((sum, r) => sum + r.bytes, 0));
  }

  /** Drops least-recently-used entries, exactly as many as needed to get back under both caps. */
  private evictOverflow(): void {
    for (;;) {
      const m = this.stmt.meta.get() as MetaRow;
      let overEntries = m.entries - this.maxEntries;
      let overBytes = m.bytes - this.maxBytes;
      if (overEntries <= 0 && overBytes <= 0) return;
      const victims: string[] = [];
      for (const row of this.stmt.oldest.iterate(EVICT_CHUNK)) {
        if (overEntries <= 0 && overBytes <= 0) break;
        victims.push(row.key);
        overEntries -= 1;
        overBytes -= row.bytes;
      }
      if (victims.length === 0) return;
      this.dropKeys(victims);
    }
  }
}
