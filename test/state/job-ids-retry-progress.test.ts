// Issue 14, "honest jobs": a unique id prefix names a job in the CLI and the HTTP API (several
// matches: one line naming them); retry runs a canceled job to its end; progress comes at least
// every 1 % of a job and, while a slow batch is on the model, every second.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobsCommand } from '../../src/cli/commands/jobs.js';
import { openParlaApi } from '../../src/core/api/local-api.js';
import { JobRunner } from '../../src/core/jobs/runner.js';
import { textJobSource } from '../../src/core/jobs/text-source.js';
import { createServer } from '../../src/server/server.js';
import type { JobEvent, JobRecord } from '../../src/shared/jobs.js';
import type { TranslateRequest } from '../../src/shared/translation.js';
import { runCli } from './helpers/cli.js';
import { FakeTranslator } from './helpers/fake-translator.js';
import { localState } from './helpers/local.js';
import { openState } from './helpers/state.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmp = useTmpDirs('parla-jobs-');

/** Seventeen jobs: among 16 hex digits, two of them must share a first character. */
async function seventeenJobs(dataDir: string): Promise<string[]> {
  const state = localState(dataDir);
  const ids: string[] = [];
  for (let i = 0; i < 17; i++) ids.push((await state.queue.create({ from: 'en', to: ['es'], spec: { texts: [`job ${i}`] } })).id);
  await state.close();
  return ids;
}

function sharedFirstChar(ids: readonly string[]): { prefix: string; fits: string[] } {
  for (const id of ids) {
    const fits = ids.filter((other) => other[0] === id[0]);
    if (fits.length > 1) return { prefix: id[0]!, fits };
  }
  throw new Error('unreachable: 17 ids over 16 first characters');
}

describe('job id prefixes', () => {
  it('the CLI takes a unique prefix and names the candidates of an ambiguous one', async () => {
    const data = join(tmp(), 'data');
    const ids = await seventeenJobs(data);
    const id = ids[3]!;
    const unique = ids.filter((other) => other.startsWith(id.slice(0, 8)));
    expect(unique).toEqual([id]);
    const show = await runCli(jobsCommand, ['show', id.slice(0, 8), '--json'], data);
    expect(show.code, show.stderr).toBe(0);
    expect((JSON.parse(show.stdout) as JobRecord).id).toBe(id);

    const { prefix, fits } = sharedFirstChar(ids);
    const ambiguous = await runCli(jobsCommand, ['show', prefix], data);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(ambiguous.stderr).toContain(`job id "${prefix}" fits ${fits.length} jobs`);
    for (const fit of fits) expect(ambiguous.stderr).toContain(fit.slice(0, 8));

    expect((await runCli(jobsCommand, ['show', 'zz'], data)).stderr.trim()).toBe('parla: no job zz');
  });

  it('the HTTP API takes a unique prefix on every job route', async () => {
    const data = join(tmp(), 'data');
    const ids = await seventeenJobs(data);
    const api = await openParlaApi({ dataDir: data, openEngine: async () => new FakeTranslator(), teamWork: 0 });
    const token = 'prefix-api-token-0123456789';
    const server = createServer({ api, token });
    const auth = { authorization: `Bearer ${token}` };
    try {
      const id = ids[5]!;
      const got = await server.app.inject({ url: `/api/v1/jobs/${id.slice(0, 8)}`, headers: auth });
      expect(got.statusCode).toBe(200);
      expect((got.json() as JobRecord).id).toBe(id);
      const { prefix, fits } = sharedFirstChar(ids);
      const ambiguous = await server.app.inject({ url: `/api/v1/jobs/${prefix}`, headers: auth });
      expect(ambiguous.statusCode).toBe(400);
      expect((ambiguous.json() as { error: { message: string } }).error.message).toContain(`fits ${fits.length} jobs`);
      const canceled = await server.app.inject({ method: 'POST', url: `/api/v1/jobs/${id.slice(0, 8)}/cancel`, headers: auth });
      expect(canceled.json()).toMatchObject({ id, status: 'canceled' });
    } finally {
      await server.close();
      await api.close();
    }
  });
});

describe('retry', () => {
  it('runs a canceled job to its end, keeping what was done (CLI, by prefix)', async () => {
    const dir = tmp();
    const data = join(dir, 'data');
    const state = localState(data, new FakeTranslator({ delayMs: 5 }), { batchSize: 32 });
    const texts = Array.from({ length: 200 }, (_, i) => `line ${i}`);
    const { id } = await state.queue.create({ from: 'en', to: ['es'], spec: { texts } });
    state.runner.on('event', (e: JobEvent) => {
      if (e.type === 'progress' && e.job.progress.done >= 64) void state.runner.cancel(id);
    });
    const canceled = await state.runner.run(id);
    expect(canceled.status).toBe('canceled');
    expect(canceled.progress.done).toBeLessThan(200);
    await state.close();

    const model = new FakeTranslator();
    const retried = await runCli(jobsCommand, ['retry', id.slice(0, 8), '--json'], data, model);
    expect(retried.code, retried.stderr).toBe(0);
    expect(JSON.parse(retried.stdout) as JobRecord).toMatchObject({ id, status: 'done', progress: { total: 200, done: 200, failed: 0 } });
    // Only rows the canceled run had not finished went to the model (a batch the cancel cut off
    // may already be in the cache).
    expect(model.texts.length).toBeGreaterThan(0);
    expect(model.texts.length).toBeLessThanOrEqual(200 - canceled.progress.done);
  });


  it('the API retries a job done with failed rows, and a canceled one', async () => {
    const data = join(tmp(), 'data');
    let broken = true;
    const fake = new FakeTranslator({ failOn: (t) => broken && t === 'bad' });
    // 'held' waits until the test lets it go, so the cancel surely lands while the job runs.
    let letGo = () => {};
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    const model = {
      translate: async (req: TranslateRequest, signal?: AbortSignal) => {
        if (req.texts.includes('held')) await gate;
        return fake.translate(req, signal);
      },
    };
    const api = await openParlaApi({ dataDir: data, openEngine: async () => model, teamWork: 0 });
    const token = 'retry-api-token-0123456789';
    const server = createServer({ api, token });
    const auth = { authorization: `Bearer ${token}` };
    const settle = async (id: string) => {
      await server.app.inject({ url: `/api/v1/jobs/${id}/events`, headers: auth });
      return (await server.app.inject({ url: `/api/v1/jobs/${id}`, headers: auth })).json() as JobRecord;
    };
    try {
      const { id } = (await server.app.inject({ method: 'POST', url: '/api/v1/jobs', headers: auth, payload: { texts: ['good', 'bad'], to: 'es' } })).json() as { id: string };
      expect(await settle(id)).toMatchObject({ status: 'done', progress: { done: 1, failed: 1 } });
      broken = false;
      const retry = await server.app.inject({ method: 'POST', url: `/api/v1/jobs/${id}/retry`, headers: auth });
      expect(retry.statusCode, retry.body).toBe(200);
      expect(await settle(id)).toMatchObject({ status: 'done', progress: { done: 2, failed: 0 } });
      expect((await server.app.inject({ method: 'POST', url: `/api/v1/jobs/${id}/retry`, headers: auth })).statusCode).toBe(409);

      const other = (await server.app.inject({ method: 'POST', url: '/api/v1/jobs', headers: auth, payload: { texts: ['held', 'two'], to: 'es' } })).json() as { id: string };
      await server.app.inject({ method: 'POST', url: `/api/v1/jobs/${other.id}/cancel`, headers: auth });
      letGo();
      expect((await settle(other.id)).status).toBe('canceled');
      expect((await server.app.inject({ method: 'POST', url: `/api/v1/jobs/${other.id}/retry`, headers: auth })).statusCode).toBe(200);
      expect(await settle(other.id)).toMatchObject({ status: 'done', progress: { done: 2, failed: 0 } });
    } finally {
      await server.close();
      await api.close();
    }
  });
});

describe('progress cadence', () => {
  it('a 6,000-row job reports at least every 1 %', async () => {
    const s = openState(tmp());
    const { id } = await s.queue.create({ from: 'en', to: ['es'], spec: { texts: Array.from({ length: 6000 }, (_, i) => `row ${i}`) } });
    const done: number[] = [];
    s.runner.on('event', (e: JobEvent) => e.type === 'progress' && done.push(e.job.progress.done));
    expect((await s.runner.run(id)).status).toBe('done');
    const steps = done.slice(1).map((d, i) => d - done[i]!);
    expect(Math.max(...steps)).toBeLessThanOrEqual(60);
    expect(done.at(-1)).toBe(6000);
    s.close();
  });

  it('a batch that takes long still gives a progress event every second', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const fake = new FakeTranslator();
    // The model answers only after the first event and two heartbeats: no wall-clock assertion to flake.
    const slow = { translate: async (req: TranslateRequest, signal?: AbortSignal) => (await held, fake.translate(req, signal)) };
    const s = openState(tmp());
    const runner = new JobRunner({ queue: s.queue, translator: slow, sourceFor: textJobSource });
    const { id } = await s.queue.create({ from: 'en', to: ['es'], spec: { texts: ['a slow one'] } });
    let beats = 0;
    runner.on('event', (e: JobEvent) => {
      if (e.type === 'progress' && e.job.progress.done === 0 && ++beats === 3) release();
    });
    expect((await runner.run(id)).status).toBe('done');
    expect(beats).toBeGreaterThanOrEqual(3);
    s.close();
  });
});
