// The API of an app or `parla serve` in team mode: a file job goes to the team while it is
// online, shows in the job list and events tagged as a team job, and hands back its output;
// the same request with the team away runs locally.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openParlaApi, type LocalApi } from '../../src/core/api/local-api.js';
import type { ParlaEvent } from '../../src/shared/events.js';
import type { JobRecord } from '../../src/shared/jobs.js';
import { jobsCommand } from '../../src/cli/commands/jobs.js';
import { runCli } from '../state/helpers/cli.js';
import { FakeTranslator } from '../state/helpers/fake-translator.js';
import { useRedisServer } from './helpers/redis-server.js';
import { ensureBuilt, useTmp } from './helpers/team.js';

const tmp = useTmp();
const server = useRedisServer();

const open: LocalApi[] = [];
afterEach(async () => {
  for (const api of open.splice(0).reverse()) await api.close();
});

async function member(redisUrl: string, team: string, model = new FakeTranslator()): Promise<LocalApi> {
  const api = await openParlaApi({ dataDir: tmp(), redisUrl, team, teamWork: 1, openEngine: async () => model });
  open.push(api);
  return api;
}

const csv = new TextEncoder().encode('text,n\nGood morning,1\nThank you,2\nGood morning,3\n');

async function settled(api: LocalApi, id: string, ms = 20_000): Promise<JobRecord> {
  const end = Date.now() + ms;
  for (;;) {
    const job = await api.getJob(id);
    if (job.status === 'done' || job.status === 'failed') return job;
    if (Date.now() > end) throw new Error(`job ${id} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('API in team mode', () => {
  it('sends a file job to the team, lists it and its events as a team job, and returns its output', async () => {
    const team = `test-${randomUUID()}`;
    const api = await member(server().url, team);
    const events: ParlaEvent[] = [];
    api.subscribe((e) => events.push(e));
    const { id } = await api.createFileJob({ fileName: 'greetings.csv', bytes: csv, to: ['es'] });
    const job = await settled(api, id);
    expect(job).toMatchObject({ status: 'done', place: 'team', progress: { total: 3, done: 3 } });
    expect((await api.listJobs()).find((j) => j.id === id)?.place).toBe('team');
    const jobEvents = events.filter((e): e is Extract<ParlaEvent, { type: 'job' }> => e.type === 'job' && e.job.id === id);
    expect(jobEvents.length).toBeGreaterThan(0);
    expect(jobEvents.every((e) => e.job.place === 'team')).toBe(true);
    const result = await api.jobResult(id);
    expect(new TextDecoder().decode(result.bytes)).toBe(
      'text,text (es),text (es) review,n\nGood morning,es:GOOD MORNING,,1\nThank you,es:THANK YOU,,2\nGood morning,es:GOOD MORNING,,3\n',
    );

    // Another member of the team sees the job; a member of another team does not.
    const colleague = await member(server().url, team);
    expect((await colleague.getJob(id)).place).toBe('team');
    const stranger = await member(server().url, `test-${randomUUID()}`);
    await expect(stranger.getJob(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // `parla jobs` with --redis lists and shows it too, marked as a team job.
    const cliData = tmp();
    const listed = await runCli(jobsCommand, ['list'], cliData, new FakeTranslator(), { redisUrl: server().url, team });
    expect(listed.stdout).toMatch(new RegExp(`^${id}  done .*\\[team\\]$`, 'm'));
    const shown = await runCli(jobsCommand, ['show', id, '--json'], cliData, new FakeTranslator(), { redisUrl: server().url, team });
    expect(JSON.parse(shown.stdout)).toMatchObject({ id, place: 'team', status: 'done' });

    // Local text jobs stay local and carry no place.
    const text = await api.createTextJob({ texts: ['Hello'], to: 'es' });
    expect((await settled(api, text.id)).place).toBeUndefined();
    const list = await api.listJobs();
    expect(list.map((j) => j.id)).toEqual([text.id, id]);
  }, 40_000);

  it('runs the same request locally while the team is away', async () => {
    const api = await member('redis://127.0.0.1:1', `test-${randomUUID()}`);
    const { id } = await api.createFileJob({ fileName: 'greetings.csv', bytes: csv, to: ['es'] });
    const job = await settled(api, id);
    expect(job.status).toBe('done');
    expect(job.place).toBeUndefined();
    expect((await api.listJobs()).map((j) => j.id)).toEqual([id]);
  }, 30_000);

  // BullMQ's own duplicates of the connection are closed too, so nothing keeps the process up.
  it.each([
    ['online', () => server().url],
    ['offline', () => 'redis://127.0.0.1:1'],
  ])('a process that opened the API in team mode (%s) exits once it closes it', async (_name, url) => {
    ensureBuilt();
    const api = pathToFileURL(join(import.meta.dirname, '../../dist/core/api/local-api.js')).href;
    const script = `
      import { openParlaApi } from ${JSON.stringify(api)};
      const api = await openParlaApi({
        dataDir: ${JSON.stringify(tmp())}, redisUrl: ${JSON.stringify(url())}, team: ${JSON.stringify(`test-${randomUUID()}`)},
        openEngine: async () => ({ translate: async (r) => r.texts.map((t) => ({ source: t, text: t, model: 'm', cached: false, ms: 1 })) }),
      });
      const { id } = await api.createFileJob({ fileName: 'a.csv', bytes: new TextEncoder().encode('text\\nHello\\n'), to: ['es'] });
      while ((await api.getJob(id)).status !== 'done') await new Promise((r) => setTimeout(r, 50));
      await api.close();
      console.log('closed');
    `;
    const file = join(tmp(), 'close-check.mjs');
    writeFileSync(file, script);
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => (child.kill('SIGKILL'), resolve('still running 10 s after start')), 10_000);
      child.on('exit', (c) => (clearTimeout(timer), resolve(c ?? -1)));
    });
    expect(out).toContain('closed');
    expect(code).toBe(0);
  }, 20_000);
});
