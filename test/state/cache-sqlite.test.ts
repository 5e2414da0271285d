import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteCache } from '../../src/core/cache/sqlite.js';
import { cacheKey } from '../../src/core/cache/key.js';
import { runCacheContract } from './cache-contract.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmp = useTmpDirs();

runCacheContract('sqlite', async (options) => new SqliteCache({ file: join(tmp(), 'parla.db'), ...options }));

describe('SqliteCache', () => {
  it('keeps entries and counters across reopen (another process sees them)', async () => {
    const file = join(tmp(), 'parla.db');
    const a = new SqliteCache({ file });
    await a.set('k', { text: 't', model: 'm' });
    await a.get('k');
    await a.close();
    const b = new SqliteCache({ file });
    expect(await b.get('k')).toEqual({ text: 't', model: 'm' });
    expect((await b.stats()).hits).toBe(2);
    await b.close();
  });

  it('answers a 64-key getMany hit in ≤ 1 ms at p50 with 100k entries', async () => {
    const c = new SqliteCache({ file: join(tmp(), 'parla.db') });
    const keys = Array.from({ length: 100_000 }, (_, i) => cacheKey({ model: 'm', revision: 'r', to: 'es', text: `text ${i}` }));
    for (let i = 0; i < keys.length; i += 5000) {
      await c.setMany(keys.slice(i, i + 5000).map((key, j) => [key, { text: `t ${i + j}`, model: 'm' }] as const));
    }
    const single: number[] = [];
    const batch: number[] = [];
    for (let i = 0; i < 300; i++) {
      let t = performance.now();
      await c.get(keys[(i * 7919) % keys.length] as string);
      single.push(performance.now() - t);
      const slice = Array.from({ length: 64 }, (_, j) => keys[(i * 131 + j * 977) % keys.length] as string);
      t = performance.now();
      const got = await c.getMany(slice);
      batch.push(performance.now() - t);
      expect(got.every(Boolean)).toBe(true);
    }
    const p50 = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
    console.log(`sqlite cache p50: get ${p50(single).toFixed(3)} ms, getMany(64) ${p50(batch).toFixed(3)} ms`);
    expect(p50(single)).toBeLessThanOrEqual(1);
    await c.close();
  });
});
