// Real kill -9 of `parla batch` processes at random moments, then resume: the output must equal
// an uninterrupted run's, row by row. Slow: spawns processes; needs `npm run build:node` first.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RUNNER_DEFAULTS } from '../../src/core/jobs/runner.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmp = useTmpDirs();
const root = fileURLToPath(new URL('../..', import.meta.url));
const child = join(root, 'test/state/fixtures/batch-child.mjs');
const hasDistState = existsSync(join(root, 'dist/cli/commands/batch.js'));
const hasRealCli = existsSync(join(root, 'dist/cli/main.js')) && existsSync(join(root, 'resources/models/parla-tiny-en-es/config.json'));
const KILLS = 6;

function makeCsv(file: string, rows: number, unique = 700): void {
  const lines = ['id,text,qty'];
  for (let i = 0; i < rows; i++) lines.push(`${i},"Line ${i % unique} of the crash test, with a comma",${i}`);
  writeFileSync(file, lines.join('\n') + '\n');
}

async function runUntil(command: string[], killAfterMs?: number): Promise<{ code: number | null; killed: boolean; stdout: string; ms: number }> {
  const started = performance.now();
  const p = spawn(process.execPath, command, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  p.stdout.on('data', (d) => (stdout += d));
  let killed = false;
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => {
    killed = p.kill('SIGKILL');
  }, killAfterMs);
  const [code] = (await once(p, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, killed: killed && code === null, stdout, ms: performance.now() - started };
}

/**
 * Kill points are drawn as fractions (`window`) of the uninterrupted run's duration; each resumed
 * run only has what is left to do, so short windows keep all six kills inside the job.
 */
async function killAndResume(args: (out: string) => string[], dir: string, label: string, window: [number, number] = [0.04, 0.14]) {
  const reference = join(dir, `reference.${label}.csv`);
  const ref = await runUntil(args(reference));
  expect(ref.code).toBe(0);
  const killWindowMs = window.map((f) => Math.max(150, f * ref.ms)) as [number, number];
  const out = join(dir, `crashed.${label}.csv`);
  let kills = 0;
  for (let attempt = 0; attempt < 40 && kills < KILLS; attempt++) {
    const r = await runUntil(args(out), killWindowMs[0] + Math.floor(Math.random() * (killWindowMs[1] - killWindowMs[0])));
    if (r.killed) kills += 1;
    else break; // finished before the kill: fine, the last run below checks the result
  }
  const final = await runUntil(args(out));
  expect(final.code).toBe(0);
  const job = JSON.parse(final.stdout);
  expect(job.status).toBe('done');
  expect(job.progress.done).toBe(job.progress.total);
  expect(readFileSync(out, 'utf8').split('\n')).toEqual(readFileSync(reference, 'utf8').split('\n'));
  return { kills, job };
}

describe.skipIf(!hasDistState)('kill -9 during parla batch (slow; fake model in a child process)', () => {
  it(`resumes after ${KILLS} random kills with the same output (review columns too) and flagged count as an uninterrupted run`, async () => {
    const dir = tmp();
    const input = join(dir, 'in.csv');
    makeCsv(input, 3000);
    const log = join(dir, 'model.log');
    const { kills, job } = await killAndResume(
      (out) => [child, input, join(dir, out.includes('reference') ? 'data-ref' : 'data'), log, '--to', 'es', '--columns', 'text', '--out', out, '--json'],
      dir,
      'fake',
    );
    expect(kills).toBeGreaterThanOrEqual(5);
    // Each distinct text reaches the model once, plus at most the batches in flight at each kill.
    const sent = readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
    expect(sent).toBeLessThanOrEqual(700 * 2 + kills * RUNNER_DEFAULTS.batchSize * RUNNER_DEFAULTS.pipelineDepth);
    expect(job.progress.modelCalls).toBeLessThanOrEqual(700);
    // Rows whose "Line N" has N a multiple of 5 are flagged: 600 of 3,000, counted once each
    // however many times the job was killed between a batch's translation and its commit.
    expect(job.progress.flagged).toBe(600);
    const rows = readFileSync(join(dir, 'crashed.fake.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('id,text,text (es),text (es) review,qty');
    expect(rows.filter((r) => r.endsWith(',repetition,' + r.split(',').at(-1))).length).toBe(600);
  }, 180_000);
});

describe.skipIf(!hasRealCli)('kill -9 of `parla batch` with the real engine and bundled model (slow)', () => {
  it(`resumes after ${KILLS} random kills, row for row equal to an uninterrupted run`, async () => {
    const dir = tmp();
    const input = join(dir, 'in.csv');
    // Small enough for a 2-core CI run; the kill points scale with the measured job length.
    makeCsv(input, 600, 300);
    const bin = join(root, 'bin/parla.js');
        const { kills } = await killAndResume(
      (out) => [bin, 'batch', input, '--to', 'es', '--from', 'en', '--columns', 'text', '--out', out, '--json', '--data-dir', join(dir, out.includes('reference') ? 'data-ref' : 'data')],
      dir,
      'real',
    );
    expect(kills).toBeGreaterThanOrEqual(5);
  }, 600_000);
});
