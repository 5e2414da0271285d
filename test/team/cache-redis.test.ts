import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cacheKey } from '../../src/core/cache/key.js';
import { RedisCache } from '../../src/core/team/redis-cache.js';
import { connectRedis, resolveTeamOptions, teamPrefix } from '../../src/core/team/connection.js';
import { runCacheContract, type CacheFactoryOptions } from '../state/cache-contract.js';
import { useRedisServer } from './helpers/redis-server.js';

const server = useRedisServer();

async function openCache(options: CacheFactoryOptions) {
  const o = resolveTeamOptions({ url: server().url, team: `test-${randomUUID()}` });
  const client = await connectRedis(o, 'cache');
  return new RedisCache({ client, prefix: teamPrefix(o.team), ownsClient: true, ...options });
}

runCacheContract('redis', (options) => openCache(options));

describe('RedisCache', () => {
  it('is shared: what one member writes, another reads', async () => {
    const team = `test-${randomUUID()}`;
    const o = resolveTeamOptions({ url: server().url, team });
    const a = new RedisCache({ client: await connectRedis(o, 'cache'), prefix: teamPrefix(team), ownsClient: true });
    const b = new RedisCache({ client: await connectRedis(o, 'cache'), prefix: teamPrefix(team), ownsClient: true });
    await a.set('k', { text: 'hola', model: 'm' });
    expect(await b.get('k')).toEqual({ text: 'hola', model: 'm' });
    await Promise.all([a.close(), b.close()]);
  });

  it('answers a single-key hit in ≤ 1 ms at p50 on loopback', async () => {
    const c = await openCache({});
    const keys = Array.from({ length: 5000 }, (_, i) => cacheKey({ model: 'm', revision: 'r', to: 'es', text: `text ${i}` }));
    for (let i = 0; i < keys.length; i += 1000) {
      await c.setMany(keys.slice(i, i + 1000).map((key, j) => [key, { text: `t ${i + j}`, model: 'm' }] as const));
    }
    const times: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t = performance.now();
      await c.get(keys[(i * 7919) % keys.length] as string);
      times.push(performance.now() - t);
    }
    const p50 = times.sort((x, y) => x - y)[150] as number;
    console.log(`redis cache get p50 ${p50.toFixed(3)} ms`);
    expect(p50).toBeLessThanOrEqual(1);
    await c.close();
  });
});
