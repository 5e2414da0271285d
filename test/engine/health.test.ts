// Slow: health tells the truth about the data dir's real model host (idle, starting, ready with
// its models), the installed version, and the team's Redis.
import { readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openParlaApi, type LocalApi } from '../../src/core/api/local-api.js';
import { hostLockPath, packageRoot } from '../../src/core/paths.js';
import { FakeTranslator } from '../state/helpers/fake-translator.js';
import { RedisServer } from '../team/helpers/redis-server.js';
import { alive, ensureBuilt, tempDataDir, useShortHostSettings } from './host-helpers.js';
import { HAVE_GOLDEN } from './model-fixture.js';

const VERSION = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(() => ensureBuilt());
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function api(options: { redisUrl?: string; fake?: boolean } = {}): Promise<{ api: LocalApi; dataDir: string }> {
  const dataDir = await tempDataDir();
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const opened = await openParlaApi({ dataDir, door: 'api', ...(options.redisUrl ? { redisUrl: options.redisUrl, teamWork: 0 } : {}), ...(options.fake ? { openEngine: async () => new FakeTranslator() } : {}) });
  cleanups.push(() => opened.close());
  return { api: opened, dataDir };
}

describe('health (slow)', () => {
  it.skipIf(!HAVE_GOLDEN)('says idle with no host, starting while a client starts one, ready with the models the host holds', async () => {
    useShortHostSettings({ hostIdleMs: 60_000 });
    const { api: a, dataDir } = await api();
    expect(await a.health()).toEqual({ ok: true, version: VERSION, modelHost: 'idle', mode: 'solo' });
    expect((await a.health()).modelHost).toBe('idle'); // a look does not start a host

    writeFileSync(hostLockPath(dataDir), '1');
    expect((await a.health()).modelHost).toBe('starting');
    await rm(hostLockPath(dataDir));

    await a.translate({ texts: ['Open the file'], to: 'es' });
    const health = await a.health();
    cleanups.push(async () => health.host && alive(health.host.pid) && process.kill(health.host.pid, 'SIGKILL'));
    expect(health).toEqual({
      ok: true,
      version: VERSION,
      modelHost: 'ready',
      host: { pid: expect.any(Number), models: ['parla/tiny-en-es'], modelStates: [{ id: 'parla/tiny-en-es', state: 'ready', quantized: false, memoryBytes: expect.any(Number) }] },
      mode: 'solo',
    });
  });

  it("reports the team's Redis in team mode, and is not ok while it does not answer", async () => {
    const redis = await RedisServer.start();
    cleanups.push(() => redis.destroy());
    const { api: a } = await api({ redisUrl: redis.url, fake: true });
    expect(await a.health()).toMatchObject({ ok: true, mode: 'team', team: { mode: 'team', connected: true } });
    await redis.stop();
    expect(await a.health()).toMatchObject({ ok: false, mode: 'team', team: { connected: false } });
  });
});
