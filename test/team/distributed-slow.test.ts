// Slow: real redis-server, two worker processes, a 2,000-row spreadsheet. The team's output must
// be byte-identical to a local run, also when a worker is killed (-9) mid-chunk and when
// redis-server restarts mid-job.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../src/shared/jobs.js';
import { CHUNK_QUEUE } from '../../src/core/team/chunks.js';
import { teamPrefix } from '../../src/core/team/connection.js';
import { openTeamState, type TeamState } from '../../src/core/team/team-state.js';
import { batch, localState } from '../state/helpers/local.js';
import { FakeTranslator } from '../state/helpers/fake-translator.js';
import { RedisServer } from './helpers/redis-server.js';
import { ensureBuilt, spawnWorker, useTmp, writeCsv, type WorkerProcess } from './helpers/team.js';

const ROWS = 2000;
const tmp = useTmp();
let server: RedisServer;
let localOutput: string;
let input: string;
let inputDir: string;

beforeAll(async () => {
  ensureBuilt();
  server = await RedisServer.start({ appendonly: true });
  // Lives for the whole file (useTmp's dirs go after each test).
  inputDir = mkdtempSync(join(tmpdir(), 'parla-team-input-'));
  input = writeCsv(inputDir, ROWS);
  const state = localState(join(inputDir, 'local-data'));
  const { record } = await batch(state, { file: input, to: ['es'], columns: ['text'], out: join(inputDir, 'local.csv') });
  expect(record.status).toBe('done');
  localOutput = readFileSync(join(inputDir, 'local.csv'), 'utf8');
  await state.close();
}, 120_000);
afterAll(async () => {
  await server?.destroy();
  rmSync(inputDir, { recursive: true, force: true });
});

const workers: WorkerProcess[] = [];
const states: TeamState[] = [];
afterEach(async () => {
  for (const w of workers.splice(0)) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  for (const s of states.splice(0)) await s.close();
});

async function submitter(team: string): Promise<TeamState> {
  // Submit only: every chunk must be done by the worker processes.
  const state = await openTeamState({
    dataDir: tmp(), redis: { url: server.url, team }, openEngine: async () => new FakeTranslator(),
    workConcurrency: 0, pollMs: 200, reconcileMs: 1000,
  });
  states.push(state);
  return state;
}

async function runTeamBatch(state: TeamState, onProgress?: (job: JobRecord) => void): Promise<{ record: JobRecord; output: string }> {
  const out = join(inputDir, `team-${randomUUID()}.csv`);
  const { job, place } = await state.desk.prepareBatch({ file: input, to: ['es'], columns: ['text'], out });
  expect(place).toBe('team');
  const off = state.desk.onEvent((e) => onProgress?.(e.job));
  const record = await state.desk.runBatch(job, place);
  off();
  return { record, output: readFileSync(out, 'utf8') };
}

describe('team batch over two worker processes (slow)', () => {
  it('finishes a 2,000-row job identical to a local run, the work shared by both workers', async () => {
    const team = `test-${randomUUID()}`;
    const state = await submitter(team);
    for (let i = 0; i < 2; i++) workers.push(spawnWorker({ url: server.url, team, dataDir: tmp(), delayMs: 20 }));
    await Promise.all(workers.map((w) => w.waitFor(/worker ready/)));
    const seen: number[] = [];
    const { record, output } = await runTeamBatch(state, (j) => seen.push(j.progress.done));
    expect(record.status).toBe('done');
    expect(record.progress).toMatchObject({ total: ROWS, done: ROWS, failed: 0 });
    expect(output).toBe(localOutput);
    expect(seen.length).toBeGreaterThan(2);
    for (const w of workers) expect(w.output()).toMatch(/chunk .*: \d+ texts/);
  });

  it('recovers the chunk of a worker killed with -9 mid-chunk; no row lost or doubled', async () => {
    const team = `test-${randomUUID()}`;
    const state = await submitter(team);
    const eventsClient = new Redis(server.url, { maxRetriesPerRequest: null });
    const events = new QueueEvents(CHUNK_QUEUE, { connection: eventsClient, prefix: teamPrefix(team) });
    const stalled: string[] = [];
    events.on('stalled', ({ jobId }) => stalled.push(jobId));
    await events.waitUntilReady();
    for (let i = 0; i < 2; i++) workers.push(spawnWorker({ url: server.url, team, dataDir: tmp(), delayMs: 150, lockMs: 2000 }));
    await Promise.all(workers.map((w) => w.waitFor(/worker ready/)));
    const victim = workers[0] as WorkerProcess;
    // Right after a commit the victim takes its next chunk and spends ~150 ms translating it.
    void victim.waitFor(/chunk .*texts/, 60_000).then(() => setTimeout(() => victim.child.kill('SIGKILL'), 40));
    const { record, output } = await runTeamBatch(state);
    expect(victim.child.signalCode).toBe('SIGKILL');
    expect(stalled.length).toBeGreaterThanOrEqual(1);
    expect(record.status).toBe('done');
    expect(record.progress).toMatchObject({ total: ROWS, done: ROWS, failed: 0 });
    expect(output).toBe(localOutput);
    await events.close();
    eventsClient.disconnect();
  });

  it('carries on when redis-server restarts mid-job (appendonly)', async () => {
    const team = `test-${randomUUID()}`;
    const state = await submitter(team);
    for (let i = 0; i < 2; i++) workers.push(spawnWorker({ url: server.url, team, dataDir: tmp(), delayMs: 60, lockMs: 3000 }));
    await Promise.all(workers.map((w) => w.waitFor(/worker ready/)));
    let restarted: Promise<void> | undefined;
    let doneAtRestart = -1;
    let backBeforeEnd = false;
    const { record, output } = await runTeamBatch(state, (j) => {
      if (restarted || j.progress.done <= ROWS / 4) return;
      doneAtRestart = j.progress.done;
      restarted = server.restart(500).then(() => void (backBeforeEnd = true));
    });
    // The job could only end after Redis came back: the restart really was mid-job.
    expect(backBeforeEnd).toBe(true);
    expect(doneAtRestart).toBeLessThan(ROWS);
    expect(record.status).toBe('done');
    expect(record.progress).toMatchObject({ total: ROWS, done: ROWS, failed: 0 });
    expect(output).toBe(localOutput);
  });
});
