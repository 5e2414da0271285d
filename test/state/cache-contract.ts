// One behaviour suite for every CacheBackend (SQLite now, Redis later).
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheBackend, CacheLimits } from '../../src/core/cache/backend.js';

export interface CacheFactoryOptions extends CacheLimits {
  now?: () => number;
}

export function runCacheContract(name: string, makeBackend: (options: CacheFactoryOptions) => Promise<CacheBackend>): void {
  describe(`CacheBackend contract: ${name}`, () => {
    const open: CacheBackend[] = [];
    const make = async (options: CacheFactoryOptions = {}) => {
      const b = await makeBackend(options);
      open.push(b);
      return b;
    };
    afterEach(async () => {
      for (const b of open.splice(0)) await b.close();
    });
    const k = () => `k-${randomUUID()}`;

    it('returns undefined for a missing key and the value after set', async () => {
      const c = await make();
      const key = k();
      expect(await c.get(key)).toBeUndefined();
      await c.set(key, { text: 'hola', model: 'm' });
      expect(await c.get(key)).toEqual({ text: 'hola', model: 'm' });
    });

    it('keeps the review of a translation (confidence and flags) with it', async () => {
      const c = await make();
      const [a, b] = [k(), k()];
      await c.setMany([
        [a, { text: 'A', model: 'm', review: { confidence: 0.1234, flags: ['low_confidence', 'repetition'] } }],
        [b, { text: 'B', model: 'm', review: { confidence: 0.9 } }],
      ]);
      expect(await c.getMany([a, b])).toEqual([
        { text: 'A', model: 'm', review: { confidence: 0.1234, flags: ['low_confidence', 'repetition'] } },
        { text: 'B', model: 'm', review: { confidence: 0.9 } },
      ]);
    });

    it('getMany is aligned with its keys, including repeats and misses', async () => {
      const c = await make();
      const [a, b, x] = [k(), k(), k()];
      await c.setMany([
        [a, { text: 'A', model: 'm' }],
        [b, { text: 'B', model: 'm' }],
      ]);
      expect(await c.getMany([b, x, a, b])).toEqual([
        { text: 'B', model: 'm' },
        undefined,
        { text: 'A', model: 'm' },
        { text: 'B', model: 'm' },
      ]);
      expect(await c.getMany([])).toEqual([]);
    });

    it('overwrites an existing key without counting it twice', async () => {
      const c = await make();
      const key = k();
      await c.set(key, { text: 'one', model: 'm' });
      await c.set(key, { text: 'two', model: 'm' });
      expect(await c.get(key)).toEqual({ text: 'two', model: 'm' });
      expect((await c.stats()).entries).toBe(1);
    });

    it('counts hits, misses, hit rate, entries and bytes', async () => {
      const c = await make();
      const [a, b] = [k(), k()];
      expect(await c.stats()).toEqual({ hits: 0, misses: 0, hitRate: 0, entries: 0, bytes: 0 });
      await c.setMany([[a, { text: 'ü', model: 'm' }]]);
      await c.getMany([a, b, a]);
      const s = await c.stats();
      expect(s.hits).toBe(2);
      expect(s.misses).toBe(1);
      expect(s.hitRate).toBeCloseTo(2 / 3);
      expect(s.entries).toBe(1);
      expect(s.bytes).toBe(Buffer.byteLength(a) + 2 + 1);
    });

    it('clear empties entries and resets counters', async () => {
      const c = await make();
      const key = k();
      await c.set(key, { text: 't', model: 'm' });
      await c.get(key);
      await c.clear();
      expect(await c.get(key)).toBeUndefined();
      const s = await c.stats();
      expect(s.entries).toBe(0);
      expect(s.bytes).toBe(0);
      expect(s.hits).toBe(0);
    });

    it('evicts the least recently used entry beyond maxEntries', async () => {
      const c = await make({ maxEntries: 3 });
      const [a, b, d, e] = [k(), k(), k(), k()];
      for (const key of [a, b, d]) await c.set(key, { text: key, model: 'm' });
      await c.get(a); // a is now the most recently used; b is the oldest
      await c.set(e, { text: e, model: 'm' });
      expect(await c.get(b)).toBeUndefined();
      for (const key of [a, d, e]) expect(await c.get(key)).toBeDefined();
      expect((await c.stats()).entries).toBe(3);
    });

    it('evicts by bytes when maxBytes is exceeded', async () => {
      const c = await make({ maxBytes: 1000 });
      const keys = Array.from({ length: 10 }, k);
      for (const key of keys) await c.set(key, { text: 'x'.repeat(200), model: 'm' });
      const s = await c.stats();
      expect(s.bytes).toBeLessThanOrEqual(1000);
      expect(s.entries).toBeGreaterThan(0);
      expect(await c.get(keys[9] as string)).toBeDefined();
      expect(await c.get(keys[0] as string)).toBeUndefined();
    });

    it('treats entries older than the TTL as misses', async () => {
      let now = 1_000_000;
      const c = await make({ ttlMs: 1000, now: () => now });
      const key = k();
      await c.set(key, { text: 't', model: 'm' });
      now += 500;
      expect(await c.get(key)).toBeDefined();
      now += 1000;
      expect(await c.get(key)).toBeUndefined();
    });

    it('stores any Unicode text unchanged', async () => {
      const c = await make();
      const key = k();
      const text = 'نص عربي · 中文 · 🙂 · e\u0301 · \u0000end';
      await c.set(key, { text, model: 'm' });
      expect((await c.get(key))?.text).toBe(text);
    });
  });
}
