// Slow: the app's real main, built (out/main/index.js) and run under the utilityProcess stand-in
// with a fake `electron` for window APIs only: it reaches `ready`, serves a translation through
// its IPC handler from the same model host as a concurrent `parla translate` on its data dir (one
// model load, in the host's stats), and on quit closes its API and stops the host.
import { rm } from 'node:fs/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HostClient } from '../../src/core/host/host-client.js';
import { packageVersion } from '../../src/core/paths.js';
import type { Health } from '../../src/shared/settings.js';
import { alive, ensureBuilt, runParla, tempDataDir } from '../engine/host-helpers.js';
import { HAVE_MODEL } from '../engine/model-fixture.js';
import { SettingsStore } from '../../src/core/api/settings-store.js';
import { openLocalState } from '../../src/core/state.js';
import { FakeTranslator } from '../state/helpers/fake-translator.js';
import { RedisServer } from '../team/helpers/redis-server.js';
import { ensureAppBuilt, startApp, type AppProcess } from './app-process.js';

const apps: AppProcess[] = [];
const pids: number[] = [];
const dirs: string[] = [];

beforeAll(() => {
  ensureBuilt();
  ensureAppBuilt();
});

afterEach(async () => {
  for (const app of apps.splice(0)) if (app.child.exitCode === null) app.child.kill('SIGKILL');
  for (const pid of pids.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function launch() {
  const dataDir = await tempDataDir();
  dirs.push(dataDir);
  const env = { ...process.env, PARLA_ENGINE_SETTINGS: JSON.stringify({ hostIdleMs: 120_000, intraOpNumThreads: 1, batchWindowMs: 20 }) };
  const app = startApp(['--data-dir', dataDir], env);
  apps.push(app);
  return { app, dataDir, env };
}

/** The app's health once its host is ready (the host loads onnxruntime first: slow under load). */
async function readyHealth(app: AppProcess): Promise<Health> {
  let health: Health | undefined;
  await expect
    .poll(async () => (health = await app.call('health').catch(() => undefined))?.modelHost, { timeout: 60_000, interval: 250 })
    .toBe('ready');
  return health!;
}

describe.skipIf(!HAVE_MODEL)("the app's real main under the stand-in (slow)", () => {
  it('reaches ready and serves a translation through the host a concurrent CLI call uses: one model load', async () => {
    const { app, dataDir } = await launch();
    const health = await readyHealth(app);
    expect(health).toMatchObject({ ok: true, version: packageVersion(), modelHost: 'ready', host: { pid: expect.any(Number), models: [] } });
    const hostPid = health.host!.pid;
    pids.push(hostPid);

    const [viaApp, viaCli] = await Promise.all([
      app.call('translate', { texts: ['Open the file'], to: 'es' }),
      runParla(['translate', 'Save changes?', '--to', 'es', '--json'], dataDir),
    ]);
    expect(viaCli.stderr, JSON.stringify(viaCli)).toBe('');
    expect(viaCli.code).toBe(0);
    expect(viaApp).toEqual([expect.objectContaining({ source: 'Open the file', model: 'parla/tiny-en-es', origin: 'model', cached: false })]);
    expect(viaApp[0]!.text).not.toBe('');
    expect(JSON.parse(viaCli.stdout)).toEqual([expect.objectContaining({ source: 'Save changes?', model: 'parla/tiny-en-es', cached: false })]);

    const client = new HostClient(dataDir, 5000, false);
    const stats = await client.call('stats', {});
    await client.close();
    // The app's own host served both doors, and loaded the model once.
    expect(stats).toMatchObject({ pid: hostPid, loadCount: 1, texts: 2 });
    expect(stats.modelsLoaded.map((m) => m.modelId)).toEqual(['parla/tiny-en-es']);
    expect((await app.call('health')).host).toMatchObject({ pid: hostPid, models: ['parla/tiny-en-es'], modelStates: [{ id: 'parla/tiny-en-es', state: 'ready' }] });

    // Quit: the API closes (the job it runs is paused, to go on later), the host finishes and
    // exits (not killed), the app exits 0.
    const job = await app.call('createTextJob', { texts: Array.from({ length: 200 }, (_, i) => `Row ${i} of the list`), to: 'es' });
    await expect.poll(async () => (await app.call('getJob', job.id)).progress.done, { timeout: 60_000, interval: 100 }).toBeGreaterThan(0);
    expect(await app.quit()).toBe(0);
    expect(alive(hostPid)).toBe(false);
    const state = openLocalState({ dataDir, openEngine: async () => new FakeTranslator() });
    expect((await state.queue.get(job.id))?.record.status).toBe('paused');
    await state.close();
  }, 180_000);

  it('uses the CLI host already serving its data dir, and leaves it running on quit', async () => {
    const dataDir = await tempDataDir();
    dirs.push(dataDir);
    const cli = new HostClient(dataDir);
    const cliPid = (await cli.call('stats', {})).pid;
    pids.push(cliPid);
    const app = startApp(['--data-dir', dataDir], process.env);
    apps.push(app);
    const health = await readyHealth(app);
    expect(health.host!.pid).toBe(cliPid);
    expect(await app.quit()).toBe(0);
    expect(alive(cliPid)).toBe(true);
    await cli.close();
  });

  it('opens the team saved in Settings, follows a change from the Settings page, and closes its API on quit', async () => {
    const redis = await RedisServer.start();
    try {
      const dataDir = await tempDataDir();
      dirs.push(dataDir);
      new SettingsStore(dataDir).set({ team: { redisUrl: redis.url, name: 'translators' } });
      const app = startApp(['--data-dir', dataDir], process.env);
      apps.push(app);
      await expect.poll(async () => (await app.call('health').catch(() => undefined))?.mode, { timeout: 60_000, interval: 250 }).toBe('team');
      expect(await app.call('teamStatus')).toMatchObject({ mode: 'team', connected: true, team: 'translators' });
      expect((await app.call('setSettings', { team: { redisUrl: '' } })).team.redisUrl).toBe('');
      expect(await app.call('teamStatus')).toEqual({ mode: 'solo', connected: false });
      expect(await app.call('setSettings', { team: { redisUrl: redis.url } })).toMatchObject({ team: { name: 'translators' } });
      expect(await app.call('health')).toMatchObject({ mode: 'team', team: { connected: true } });
      expect(await app.quit()).toBe(0);
    } finally {
      await redis.destroy();
    }
  });
});
