// Real kill -9 of `parla batch` processes at random moments, then resume: the output must equal
// an uninterrupted run's, row by row. Slow: spawns processes; needs `npm run build:node` first.
import { parse } from 'csv-parse/sync';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RUNNER_DEFAULTS } from '../../src/core/jobs/runner.js';
import type { JobRecord } from '../../src/shared/jobs.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmp = useTmpDirs();
const root = fileURLToPath(new URL('../..', import.meta.url));
const child = join(root, 'test/state/fixtures/batch-child.mjs');
const hasDistState = existsSync(join(root, 'dist/cli/commands/batch.js'));
const hasRealCli = existsSync(join(root, 'dist/cli/main.js')) && existsSync(join(root, 'resources/models/parla-tiny-en-es/config.json'));
const KILLS = 6;
const REAL_KILLS = 3;

/** `text(i)`: row i's text when not the default "Line N of the crash test". */
function makeCsv(file: string, rows: number, unique = 700, text: (i: number) => string | undefined = () => undefined): void {
  const lines = ['id,text,qty'];
  for (let i = 0; i < rows; i++) lines.push(`${i},"${text(i) ?? `Line ${i % unique} of the crash test, with a comma`}",${i}`);
  writeFileSync(file, lines.join('\n') + '\n');
}

/** A CSV file's column, by its header. */
function column(file: string, header: string): string[] {
  const rows = parse(readFileSync(file, 'utf8')) as string[][];
  const at = rows[0]!.indexOf(header);
  expect(at).toBeGreaterThanOrEqual(0);
  return rows.slice(1).map((row) => row[at]!);
}

/** What `parla batch` prints once its job exists (stderr). */
const JOB_STARTED = /^(started|resuming) job /mu;

/** True once a run's progress lines (stderr) show items done beyond those done when it began. */
function progressed(stderr: string): boolean {
  const done = [...stderr.matchAll(/^progress: \d+% (\d+)\//gmu)].map((m) => Number(m[1]));
  return done.length > 1 && done.at(-1)! > done[0]!;
}

/**
 * Runs a command to its end, or kills it with SIGKILL `killAfterMs` after `trigger` holds for
 * its stderr (by default: its job exists). The clock starts there, not at spawn, as starting the
 * process and the model host can take longer than a whole small job on a loaded machine.
 * `jobMs`: from JOB_STARTED to the end.
 */
async function runUntil(
  command: string[],
  killAfterMs?: number,
  trigger: (stderr: string) => boolean = (s) => JOB_STARTED.test(s),
): Promise<{ code: number | null; killed: boolean; stdout: string; jobMs: number }> {
  const p = spawn(process.execPath, command, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let jobAt: number | undefined;
  let killed = false;
  let timer: NodeJS.Timeout | undefined;
  p.stdout.on('data', (d) => (stdout += d));
  p.stderr.on('data', (d) => {
    stderr += d;
    if (jobAt === undefined && JOB_STARTED.test(stderr)) jobAt = performance.now();
    if (killAfterMs !== undefined && timer === undefined && trigger(stderr)) timer = setTimeout(() => (killed = p.kill('SIGKILL')), killAfterMs);
  });
  const [code] = (await once(p, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, killed: killed && code === null, stdout, jobMs: performance.now() - (jobAt ?? performance.now()) };
}

/**
 * Kill points are drawn as fractions (`window`) of the uninterrupted run's job duration; each
 * resumed run only has what is left to do, so short windows keep all six kills inside the job.
 */
async function killAndResume(args: (out: string) => string[], dir: string, label: string, window: [number, number] = [0.04, 0.14]) {
  const reference = join(dir, `reference.${label}.csv`);
  const ref = await runUntil(args(reference));
  expect(ref.code).toBe(0);
  const killWindowMs = window.map((f) => Math.max(150, f * ref.jobMs)) as [number, number];
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
  it(`resumes after ${REAL_KILLS} kills mid-batch (the last resume by \`parla jobs resume\`): output row for row, flagged count and review column equal to an uninterrupted run's`, async () => {
    const dir = tmp();
    const input = join(dir, 'in.csv');
    const bin = join(root, 'bin/parla.js');
    // Small enough for a 2-core CI run, long enough (a few seconds with the bundled model) that
    // plain progress lines, one a second, show it moving; the kill points scale with the measured job length. Some
    // rows hold texts the bundled model's output is flagged for ("OK": low confidence; a loop of
    // "te": not Spanish), repeated, so each flagged text stands for many rows across batches.
    makeCsv(input, 2400, 1200, (i) => (i % 10 === 3 ? 'OK' : i % 10 === 7 ? 'te te te te te te te te' : undefined));
    const batch = (out: string, data: string) => [bin, 'batch', input, '--to', 'es', '--from', 'en', '--columns', 'text', '--out', out, '--json', '--data-dir', data];
    const data = join(dir, 'data');
    const reference = join(dir, 'reference.csv');
    const ref = await runUntil(batch(reference, join(dir, 'data-ref')));
    expect(ref.code).toBe(0);
    const refJob = JSON.parse(ref.stdout) as JobRecord;
    // Not a vacuous comparison: the uninterrupted run flags rows.
    expect(refJob.progress.flagged).toBeGreaterThan(0);

    const out = join(dir, 'crashed.csv');
    // Each run is killed a random moment (up to 2 % of the job) after its progress moved: with
    // batches committed and the next in flight, so the counts on disk are partial each time.
    // Fewer kills than the fake-model test: a resumed run answers its repeats from the cache
    // and can finish before its progress shows, which ends the series.
    const killWindowMs = Math.max(150, 0.02 * ref.jobMs);
    let kills = 0;
    for (let attempt = 0; attempt < 40 && kills < REAL_KILLS; attempt++) {
      // The first run dies as soon as its progress moves, so one kill mid-batch is certain even
      // where the whole job takes little longer than its first progress (a fast model, a quiet CI).
      const r = await runUntil(batch(out, data), attempt === 0 ? 0 : Math.floor(Math.random() * killWindowMs), progressed);
      if (r.killed) kills += 1;
      else break; // finished before the kill: the checks below still hold
    }
    // At least one run died mid-batch (on a loaded machine a resumed run may finish first).
    expect(kills).toBeGreaterThanOrEqual(1);
    // The job the killed runs left: resumed by id, as a person would after a crash.
    const listed = await runUntil([bin, 'jobs', 'list', '--json', '--data-dir', data]);
    const [left] = JSON.parse(listed.stdout) as JobRecord[];
    // Killed mid-way: some items were committed before the kills.
    expect(left!.progress.done).toBeGreaterThan(0);
    if (left!.status !== 'done') {
      const resumed = await runUntil([bin, 'jobs', 'resume', left!.id, '--json', '--data-dir', data]);
      expect(resumed.code).toBe(0);
    }
    const shown = await runUntil([bin, 'jobs', 'show', left!.id, '--json', '--data-dir', data]);
    const job = JSON.parse(shown.stdout) as JobRecord;
    expect(job.status).toBe('done');
    expect(job.progress.done).toBe(job.progress.total);
    // Each flagged row counted once, however many times the job was killed between a batch's
    // translation and its commit, and the same rows flagged for the same reasons.
    expect(job.progress.flagged).toBe(refJob.progress.flagged);
    const review = column(out, 'text (es) review');
    expect(review).toEqual(column(reference, 'text (es) review'));
    expect(review.filter((flags) => flags !== '').length).toBe(refJob.progress.flagged);
    expect(readFileSync(out, 'utf8').split('\n')).toEqual(readFileSync(reference, 'utf8').split('\n'));
  }, 900_000);
});
