import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchCommand } from '../../src/cli/commands/batch.js';
import { cacheCommand } from '../../src/cli/commands/cache.js';
import { historyCommand } from '../../src/cli/commands/history.js';
import { jobsCommand } from '../../src/cli/commands/jobs.js';
import { localState } from './helpers/local.js';
import type { JobRecord } from '../../src/shared/jobs.js';
import { runCli } from './helpers/cli.js';
import { FakeTranslator } from './helpers/fake-translator.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmp = useTmpDirs();

describe('state CLI commands', () => {
  it('batch --json prints the job record; jobs, cache and history see it', async () => {
    const dir = tmp();
    const data = join(dir, 'data');
    const file = join(dir, 'in.csv');
    writeFileSync(file, 'text\nhello\nworld\nhello\n');
    const model = new FakeTranslator();
    const run = await runCli(batchCommand, [file, '--to', 'es,fr', '--from', 'en', '--json'], data, model);
    expect(run.code).toBe(0);
    const job = JSON.parse(run.stdout) as JobRecord;
    expect(job).toMatchObject({ status: 'done', from: 'en', to: ['es', 'fr'], output: join(dir, 'in.es+fr.csv') });
    expect(job.progress).toMatchObject({ total: 6, done: 6, failed: 0, cached: 0, modelCalls: 4 });
    expect(Object.keys(job).sort()).toEqual(['createdAt', 'from', 'id', 'input', 'output', 'progress', 'status', 'to', 'updatedAt']);
    expect(run.stderr).toMatch(/done/);

    const list = await runCli(jobsCommand, ['list', '--json'], data);
    expect((JSON.parse(list.stdout) as JobRecord[]).map((j) => j.id)).toEqual([job.id]);
    const show = await runCli(jobsCommand, ['show', job.id], data);
    expect(show.stdout).toContain(job.id);
    expect((await runCli(jobsCommand, ['show', 'nope'], data)).code).toBe(2);

    const stats = JSON.parse((await runCli(cacheCommand, ['stats', '--json'], data)).stdout);
    expect(stats).toMatchObject({ entries: 4, misses: 4 });

    const again = await runCli(batchCommand, [file, '--to', 'es,fr', '--from', 'en', '--json', '--force'], data, model);
    expect((JSON.parse(again.stdout) as JobRecord).progress).toMatchObject({ cached: 4, modelCalls: 0 });
    expect(model.calls).toBe(2);

    const history = JSON.parse((await runCli(historyCommand, ['list', '--json'], data)).stdout);
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({ door: 'batch', from: 'en', to: 'es,fr' });
    expect((await runCli(historyCommand, ['search', 'in.csv'], data)).stdout.split('\n').filter(Boolean)).toHaveLength(2);
    expect((await runCli(historyCommand, ['export', join(dir, 'h.json')], data)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'h.json'), 'utf8'))).toHaveLength(2);

    expect((await runCli(cacheCommand, ['clear'], data)).code).toBe(0);
    expect(JSON.parse((await runCli(cacheCommand, ['--json'], data)).stdout).entries).toBe(0);
  });

  it('jobs pause/resume/cancel/retry work on stored jobs', async () => {
    const dir = tmp();
    const data = join(dir, 'data');
    const file = join(dir, 'in.csv');
    writeFileSync(file, 'text\n' + Array.from({ length: 10 }, (_, i) => `row ${i}`).join('\n') + '\n');
    let broken = true;
    const model = new FakeTranslator({ failOn: (t) => broken && t === 'row 3' });
    // Retries back off 0.5 s, 1 s; fine for one failing text.
    const first = await runCli(batchCommand, [file, '--to', 'es', '--json'], data, model);
    const job = JSON.parse(first.stdout) as JobRecord;
    expect(job.progress.failed).toBe(1);
    // Done with failures is not success: exit 1, the reason named, the way to retry given.
    expect(first.code).toBe(1);
    expect(job).toMatchObject({ status: 'done', error: { code: 'INTERNAL', message: 'es: 1 row: model failed on "row 3"' } });
    expect(first.stderr).toContain(`job ${job.id} done with failures`);
    expect(first.stderr).toContain(`retry them with: parla jobs retry ${job.id}`);
    broken = false;
    const retried = await runCli(jobsCommand, ['retry', job.id, '--json'], data, model);
    expect(retried.code).toBe(0);
    expect(JSON.parse(retried.stdout).progress).toMatchObject({ done: 10, failed: 0 });
    expect(JSON.parse(retried.stdout).error).toBeUndefined();
    expect(readFileSync(join(dir, 'in.es.csv'), 'utf8')).toContain('es:ROW 3');
    expect((await runCli(jobsCommand, ['cancel', job.id], data)).stdout).toContain('done');
    expect((await runCli(jobsCommand, ['frob', job.id], data)).code).toBe(2);
  });

  it('history retention and delete', async () => {
    const dir = tmp();
    const data = join(dir, 'data');
    expect((await runCli(historyCommand, ['retention', '30'], data)).code).toBe(0);
    expect((await runCli(historyCommand, ['retention'], data)).stdout.trim()).toBe('30');
    expect((await runCli(historyCommand, ['retention', '-1'], data)).code).toBe(2);
    expect((await runCli(historyCommand, ['delete', '42'], data)).code).toBe(2);
  });

  it('batch review: flagged rows counted in --json, jobs show and the summary; --min-confidence and --no-review', async () => {
    const dir = tmp();
    const data = join(dir, 'data');
    const file = join(dir, 'in.csv');
    writeFileSync(file, 'text\nhello there\nloop loop\nmaybe so\n');
    const model = new FakeTranslator({
      review: (t) => (t.startsWith('loop') ? { flags: ['repetition'], confidence: 0.1 } : { confidence: t.startsWith('maybe') ? 0.4 : 0.9 }),
    });
    const run = await runCli(batchCommand, [file, '--to', 'es', '--from', 'en', '--min-confidence', '0.5', '--json'], data, model);
    expect(run.code).toBe(0);
    const job = JSON.parse(run.stdout) as JobRecord;
    expect(job.progress).toMatchObject({ total: 3, done: 3, flagged: 2 });
    expect(run.stderr).toMatch(/2 flagged for review/);
    expect(readFileSync(job.output!, 'utf8')).toBe('text,text (es),text (es) review\nhello there,es:HELLO THERE,\nloop loop,,"low_confidence,repetition"\nmaybe so,,low_confidence\n');
    expect((await runCli(jobsCommand, ['show', job.id], data)).stdout).toMatch(/2 flagged for review/);
    // The batch's one history entry says so too.
    expect((await runCli(historyCommand, ['list'], data)).stdout).toMatch(/3 of 3 items translated, 2 flagged for review/);

    const plain = await runCli(batchCommand, [file, '--to', 'es', '--from', 'en', '--no-review', '--out', join(dir, 'plain.csv')], data, model);
    expect(plain.code).toBe(0);
    expect(readFileSync(join(dir, 'plain.csv'), 'utf8').split('\n')[0]).toBe('text,text (es)');
    for (const bad of ['2', '-0.1', 'x', '']) {
      const r = await runCli(batchCommand, [file, '--to', 'es', `--min-confidence=${bad}`], data, model);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--min-confidence must be a number from 0 to 1/);
    }
  });

  it('history list --flagged shows only translations flagged for review', async () => {
    const data = join(tmp(), 'data');
    const model = new FakeTranslator({ review: (t) => (t.startsWith('loop') ? { flags: ['repetition', 'length'], confidence: 0.1 } : { confidence: 0.9 }) });
    // An interactive translation, as `parla translate` and the API make them.
    const state = localState(data, model);
    await state.doorTranslator('cli').translate({ texts: ['hello there', 'loop loop'], to: 'es', from: 'en' });
    await state.close();
    const all = JSON.parse((await runCli(historyCommand, ['list', '--json'], data)).stdout) as { source: string; flags?: string[] }[];
    expect(all.map((e) => [e.source, e.flags])).toEqual(expect.arrayContaining([['hello there', undefined], ['loop loop', ['repetition', 'length']]]));
    const flagged = await runCli(historyCommand, ['list', '--flagged'], data);
    expect(flagged.stdout.trim().split('\n')).toHaveLength(1);
    expect(flagged.stdout).toMatch(/loop loop\tes:LOOP LOOP\t\[repetition,length\]/);
  });
});
