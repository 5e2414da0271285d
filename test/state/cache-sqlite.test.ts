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

  it('answers single and 64-key lookups among 100k entries (latency: npm run bench:batch)', async () => {
    const c = new SqliteCache({ file: join(tmp(), 'parla.db') });
    const keys = Array.from({ length: 100_000 }, (_, i) => cacheKey({ model: 'm', revision: 'r', to: 'es', text: `text ${i}` }));
    for (let i = 0; i < keys.length; i += 5000) {
      await c.setMany(keys.slice(i, i + 5000).map((key, j) => [key, { text: `t ${i + j}`, model: 'm' }] as const));
    }
    for (let i = 0; i < 50; i++) {
      const k = (i * 7919) % keys.length;
      expect(await c.get(keys[k] as string)).toEqual({ text: `t ${k}`, model: 'm' });
      const picks = Array.from({ length: 64 }, (_, j) => (i * 131 + j * 977) % keys.length);
      const got = await c.getMany(picks.map((p) => keys[p] as string));
      expect(got).toEqual(picks.map((p) => ({ text: `t ${p}`, model: 'm' })));
    }
    await c.close();
  });
});
