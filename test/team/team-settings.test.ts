// Team mode from the saved settings, live: the API of the app and `parla serve` opens the team
// whose Redis URL is in Settings, switches local → team → local when Settings change (no
// restart; a local job running across the switch goes on, subscribers keep their events), and
// shows the team's state in health and teamStatus, a refused password included.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { openParlaApi, type LocalApi } from '../../src/core/api/local-api.js';
import { SettingsStore } from '../../src/core/api/settings-store.js';
import type { ParlaEvent } from '../../src/shared/events.js';
import type { JobRecord } from '../../src/shared/jobs.js';
import { FakeTranslator } from '../state/helpers/fake-translator.js';
import { RedisServer, useRedisServer } from './helpers/redis-server.js';
import { ensureBuilt, useTmp } from './helpers/team.js';
import { packageRoot } from '../../src/core/paths.js';
import type { Health, Settings } from '../../src/shared/settings.js';

const tmp = useTmp();
const server = useRedisServer();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function open(dataDir: string, model = new FakeTranslator()): Promise<LocalApi> {
  const api = await openParlaApi({ dataDir, door: 'app', openEngine: async () => model });
  cleanups.push(() => api.close());
  return api;
}

/** This environment without a team given to the CLI, so the saved one counts. */
function withoutTeamEnv(): NodeJS.ProcessEnv {
  const { PARLA_REDIS_URL: _url, PARLA_REDIS_PASSWORD_FILE: _file, ...env } = process.env;
  return env;
}

const csv = new TextEncoder().encode('text\nGood morning\nThank you\n');

async function settled(api: LocalApi, id: string): Promise<JobRecord> {
  await expect.poll(async () => (await api.getJob(id)).status, { timeout: 20_000, interval: 50 }).toMatch(/^(done|failed)$/);
  return api.getJob(id);
}

describe('team mode from Settings', () => {
  it('opens the team saved in Settings', async () => {
    const dataDir = tmp();
    const team = `test-${randomUUID()}`;
    new SettingsStore(dataDir).set({ team: { redisUrl: server().url, name: team } });
    const api = await open(dataDir);
    expect(await api.health()).toMatchObject({ ok: true, mode: 'team', team: { mode: 'team', connected: true, team } });
    expect(await api.teamStatus()).toMatchObject({ mode: 'team', connected: true, team });
    const { id } = await api.createFileJob({ fileName: 'a.csv', bytes: csv, to: ['es'] });
    expect(await settled(api, id)).toMatchObject({ status: 'done', place: 'team' });
  });

  it('switches local → team → local when Settings change, without a restart', async () => {
    const api = await open(tmp(), new FakeTranslator({ delayMs: 150 }));
    const team = `test-${randomUUID()}`;
    const events: ParlaEvent[] = [];
    api.subscribe((e) => events.push(e));
    expect(await api.health()).toMatchObject({ ok: true, mode: 'solo' });
    expect(await api.teamStatus()).toEqual({ mode: 'solo', connected: false });

    // A local job is running when the team is turned on: it goes on and finishes.
    const local = await api.createTextJob({ texts: ['one', 'two', 'three', 'four', 'five', 'six'], to: 'es' });
    await expect.poll(async () => (await api.getJob(local.id)).status, { interval: 20 }).toBe('running');
    const shown = await api.setSettings({ team: { redisUrl: server().url, name: team } });
    expect(shown.team).toEqual({ redisUrl: server().url, name: team });
    expect(await api.health()).toMatchObject({ ok: true, mode: 'team', team: { connected: true, team } });
    const onTeam = await api.createFileJob({ fileName: 'a.csv', bytes: csv, to: ['es'] });
    expect(await settled(api, onTeam.id)).toMatchObject({ status: 'done', place: 'team' });
    expect(await settled(api, local.id)).toMatchObject({ status: 'done', progress: { total: 6, done: 6 } });
    // The subscriber from before the switch saw the team job's events.
    expect(events.some((e) => e.type === 'job' && e.job.id === onTeam.id && e.job.place === 'team')).toBe(true);

    // Back to local: the team's jobs are no longer listed, new work runs here.
    await api.setSettings({ team: { redisUrl: '' } });
    expect(await api.health()).toMatchObject({ ok: true, mode: 'solo' });
    expect((await api.health()).team).toBeUndefined();
    expect((await api.listJobs()).map((j) => j.id)).not.toContain(onTeam.id);
    const here = await api.createFileJob({ fileName: 'b.csv', bytes: csv, to: ['es'] });
    const done = await settled(api, here.id);
    expect(done.status).toBe('done');
    expect(done.place).toBeUndefined();
  });

  it('shows a refused password as the team state, working locally meanwhile', async () => {
    const guarded = await RedisServer.start({ password: 'right-password' });
    cleanups.push(() => guarded.destroy());
    const dataDir = tmp();
    const wrong = guarded.url.replace('right-password', 'wrong-password');
    new SettingsStore(dataDir).set({ team: { redisUrl: wrong, name: 'translators' } });
    const api = await open(dataDir);
    const health = await api.health();
    expect(health).toMatchObject({ ok: false, mode: 'solo', team: { mode: 'team', connected: false, team: 'translators', error: { code: 'REDIS_AUTH' } } });
    expect(JSON.stringify(health)).not.toContain('wrong-password');
    expect(await api.translate({ texts: ['hello'], to: 'es' })).toMatchObject([{ text: 'es:HELLO' }]);

    // The right password, sent from the Settings page: the team is on.
    await api.setSettings({ team: { redisUrl: guarded.url } });
    expect(await api.health()).toMatchObject({ ok: true, mode: 'team', team: { connected: true, team: 'translators' } });
  });

  it('`parla serve` opens the saved team, and switches when its Settings change over HTTP', async () => {
    ensureBuilt();
    const dataDir = tmp();
    const team = `test-${randomUUID()}`;
    new SettingsStore(dataDir).set({ team: { redisUrl: server().url, name: team } });
    const serve = spawn(process.execPath, [join(packageRoot(), 'bin', 'parla.js'), 'serve', '--port', '0', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: withoutTeamEnv(),
    });
    cleanups.push(async () => {
      serve.kill('SIGTERM');
      if (serve.exitCode === null) await once(serve, 'exit');
    });
    const [link] = (await once(createInterface({ input: serve.stdout! }), 'line')) as [string];
    const url = new URL(link);
    const headers = { authorization: `Bearer ${url.searchParams.get('token')}`, 'content-type': 'application/json' };
    const get = async <T>(path: string): Promise<T> => (await (await fetch(new URL(path, url.origin), { headers })).json()) as T;
    expect(await get<Health>('/api/v1/health')).toMatchObject({ ok: true, mode: 'team', team: { connected: true, team } });

    const patched = await fetch(new URL('/api/v1/settings', url.origin), { method: 'PATCH', headers, body: JSON.stringify({ team: { redisUrl: '' } }) });
    expect(((await patched.json()) as Settings).team.redisUrl).toBe('');
    expect(await get<Health>('/api/v1/health')).toMatchObject({ ok: true, mode: 'solo' });
    expect(await get('/api/v1/team/status')).toEqual({ mode: 'solo', connected: false });
  });
});
