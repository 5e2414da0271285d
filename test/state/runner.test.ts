import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../src/shared/jobs.js';
import { batchSizeFor, RUNNER_DEFAULTS } from '../../src/core/jobs/runner.js';
import { textJobResults } from '../../src/core/jobs/text-source.js';
import { FakeTranslator } from './helpers/fake-translator.js';
import { openState } from './helpers/state.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmp = useTmpDirs();

const texts = (n: number, repeatEvery = 0) =>
  Array.from({ length: n }, (_, i) => (repeatEvery && i % repeatEvery === 0 ? 'repeated line' : `line ${i}`));

/** A fake clock whose sleep advances time, so backoff is instant but measurable. */
function fakeClock() {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe('JobRunner', () => {
  it('translates each distinct text once, in model-sized batches', async () => {
    const s = openState(tmp(), undefined, { batchSize: 64 });
    const input = [...texts(150), ...texts(150), 'line 0  ', 'x'];
    const { id } = await s.queue.create({ from: 'en', to: ['es', 'fr'], spec: { texts: input } });
    const record = await s.runner.run(id);
    expect(record.status).toBe('done');
    expect(record.progress).toMatchObject({ total: input.length * 2, done: input.length * 2, failed: 0, cached: 0, modelCalls: 151 * 2 });
    expect(s.model.texts).toHaveLength(151 * 2);
    // At most batchSize, and at most 1 % of the job's items (but one host group at least).
    expect(batchSizeFor(input.length * 2, 64)).toBe(32);
    expect(s.model.calls).toBe(2 * Math.ceil(151 / 32));
    const results = await textJobResults(s.queue, id);
    expect(results['fr']![3]).toBe('fr:LINE 3');
    expect(results['es']![300]).toBe('es:LINE 0');
    s.close();
  });

  it('keeps pipelineDepth batches on the model at once, in both languages, and each text once', async () => {
    let running = 0;
    let peak = 0;
    const fake = new FakeTranslator({ delayMs: 15 });
    const counting = {
      async translate(request: Parameters<FakeTranslator['translate']>[0], signal?: AbortSignal) {
        running++;
        peak = Math.max(peak, running);
        try {
          return await fake.translate(request, signal);
        } finally {
          running--;
        }
      },
    };
    const s = openState(tmp(), fake, { batchSize: 20, pipelineDepth: 2 });
    // openState wires the fake in as the engine; put the counter in front of it.
    (s.runner as unknown as { o: { translator: unknown } }).o.translator = counting;
    const { id } = await s.queue.create({ from: 'en', to: ['es', 'fr'], spec: { texts: texts(90) } });
    const record = await s.runner.run(id);
    expect(record.progress).toMatchObject({ done: 180, failed: 0, modelCalls: 180 });
    expect(peak).toBe(2);
    expect(fake.texts).toHaveLength(180);
    // Each text went to the model once per language: no batch was fetched twice while in flight.
    const sent = new Map<string, number>();
    for (const t of fake.texts) sent.set(t, (sent.get(t) ?? 0) + 1);
    expect([...sent.values()].every((n) => n === 2)).toBe(true);
    expect(sent.size).toBe(90);
    const results = await textJobResults(s.queue, id);
    expect(results['fr']![89]).toBe('fr:LINE 89');
    s.close();
  });

  it('asks the cache first: a second job over the same texts makes no model call', async () => {
    const s = openState(tmp());
    const a = await s.queue.create({ from: 'en', to: ['es'], spec: { texts: texts(100) } });
    await s.runner.run(a.id);
    const calls = s.model.calls;
    const b = await s.queue.create({ from: 'en', to: ['es'], spec: { texts: [...texts(100), 'new one'] } });
    const record = await s.runner.run(b.id);
    expect(record.progress).toMatchObject({ done: 101, cached: 100, modelCalls: 1 });
    expect(s.model.calls).toBe(calls + 1);
    expect(s.model.texts.at(-1)).toBe('new one');
    s.close();
  });

  it('retries with exponential backoff, then fails the item while the job goes on', async () => {
    const clock = fakeClock();
    const model = new FakeTranslator({ failOn: (t, attempt) => t === 'poison' || (t === 'flaky' && attempt < 2) });
    const s = openState(tmp(), model, { now: clock.now, sleep: clock.sleep, maxAttempts: 4, backoffMs: 100 });
    const { id } = await s.queue.create({ from: 'en', to: ['es'], spec: { texts: ['ok 1', 'poison', 'flaky', 'ok 2', 'poison'] } });
    const record = await s.runner.run(id);
    expect(record.status).toBe('done');
    expect(record.progress).toMatchObject({ total: 5, done: 3, failed: 2 });
    const results = await textJobResults(s.queue, id);
    expect(results['es']).toEqual(['es:OK 1', null, 'es:FLAKY', 'es:OK 2', null]);
    // poison: attempt 1 in the batch, then alone after 100, 200, 400 ms.
    expect(clock.sleeps.filter((ms) => ms > 0).sort((x, y) => x - y)).toEqual(expect.arrayContaining([100, 200, 400]));
    s.close();
  });

  it('retry-failed sends failed items back to the model', async () => {
    let broken = true;
    const clock = fakeClock();
    const s = openState(tmp(), new FakeTranslator({ failOn: (t) => broken && t === 'bad' }), { now: clock.now, sleep: clock.sleep });
    const { id } = await s.queue.create({ from: 'en', to: ['es'], spec: { texts: ['good', 'bad'] } });
    expect((await s.runner.run(id)).progress.failed).toBe(1);
    broken = false;
    const record = await s.runner.retry(id);
    expect(record).toMatchObject({ status: 'done', progress: { done: 2, failed: 0 } });
    s.close();
  });

  it('marks a job failed when every item failed', async () => {
    const clock = fakeClock();
    const s = openState(tmp(), new FakeTranslator({ failOn: () => true }), { now: clock.now, sleep: clock.sleep, maxAttempts: 2 });
    const { id } = await s.queue.create({ from: 'en', to: ['es'], spec: { texts: ['a', 'b'] } });
    const record = await s.runner.run(id);
    expect(record.status).toBe('failed');
    expect(record.error?.code).toBe('INTERNAL');
    s.close();
  });

  it('pauses between batches and resumes to the end, with progress events', async () => {
    const s = openState(tmp(), new FakeTranslator({ delayMs: 5 }), { batchSize: 10 });
    const { id } = await s.queue.create({ from: 'en', to: ['es'], spec: { texts: texts(100) } });
    const events: JobEvent[] = [];
    s.runner.on('event', (e) => {
      events.push(e);
      if (e.type === 'progress' && e.job.progress.done === 30) void s.runner.pause(id);
    });
    const paused = await s.runner.run(id);
    expect(paused.status).toBe('paused');
    expect(paused.progress.done).toBeLessThan(100);
    expect(events.at(-1)?.type).toBe('paused');
    const done = await s.runner.resume(id);
    expect(done.status).toBe('done');
    expect(done.progress.done).toBe(100);
    expect(s.model.texts).toHaveLength(100);
    const progress = events.filter((e) => e.type === 'progress' && e.job.progress.done > 0);
    expect(progress.some((e) => e.job.progress.rate > 0 && e.job.progress.etaSeconds !== null)).toBe(true);
    expect(events.at(-1)?.type).toBe('done');
    s.close();
  });

  it('cancels a running job, aborting the batch in flight', async () => {
    const s = openState(tmp(), new FakeTranslator({ delayMs: 20 }), { batchSize: 10 });
    const { id } = await s.queue.create({ from: 'en', to: ['es'], spec: { texts: texts(100) } });
    s.runner.on('event', (e) => {
      if (e.type === 'progress' && e.job.progress.done === 20) void s.runner.cancel(id);
    });
    const record = await s.runner.run(id);
    expect(record.status).toBe('canceled');
    expect(record.progress.done).toBe(20);
    expect((await s.runner.resume(id)).status).toBe('canceled');
    s.close();
  });

  it('resumes after a simulated kill: nothing lost, nothing translated or counted twice', async () => {
    const dir = tmp();
    const input = [...texts(300), ...texts(300)];
    const first = openState(dir, new FakeTranslator(), { batchSize: 32, owner: { id: 'killed', pid: 4_194_305 } });
    const { id } = await first.queue.create({ from: 'en', to: ['es'], spec: { texts: input } });
    const kill = new AbortController();
    let commits = 0;
    first.runner.on('event', (e) => {
      // "kill -9" right after the third batch commits, while the next ones are in flight.
      if (e.type === 'progress' && e.job.progress.done > 0 && ++commits === 3) kill.abort();
    });
    await first.runner.run(id, kill.signal);
    const partial = (await first.queue.get(id))!.record.progress;
    expect(partial.done).toBe(3 * 32 * 2);
    first.close();

    const second = openState(dir);
    const record = await second.runner.run(id);
    expect(record.status).toBe('done');
    expect(record.progress).toMatchObject({ total: 600, done: 600, failed: 0 });
    // Texts committed before the kill were not sent again. The batches in flight at the kill
    // (up to pipelineDepth) were translated but not committed: they run again, from the cache.
    expect(new Set(second.model.texts).size).toBe(second.model.texts.length);
    expect(second.model.texts.length + record.progress.cached).toBe(300 - 3 * 32);
    expect(record.progress.cached).toBeLessThanOrEqual(RUNNER_DEFAULTS.pipelineDepth * 32);
    expect(record.progress.modelCalls + record.progress.cached).toBe(300);
    const results = (await textJobResults(second.queue, id))['es']!;
    expect(results.every((t, i) => t === `es:${input[i]!.toUpperCase()}`)).toBe(true);
    second.close();
  });

  it('re-ingests a job killed halfway through ingestion', async () => {
    const dir = tmp();
    const first = openState(dir);
    const { id } = await first.queue.create({ from: 'en', to: ['es'], spec: { texts: texts(10) } });
    await first.queue.addTexts(id, [{ lang: 'es', key: 'stale', source: 'half-ingested' }]);
    first.close();
    const second = openState(dir);
    const record = await second.runner.run(id);
    expect(record.progress).toMatchObject({ total: 10, done: 10 });
    expect(second.model.texts).not.toContain('half-ingested');
    second.close();
  });

  it('records one history entry per finished job', async () => {
    const s = openState(tmp());
    const { id } = await s.queue.create({ from: 'en', to: ['es'], spec: { texts: texts(50) } });
    await s.runner.run(id);
    const entries = s.history.list();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ door: 'batch', from: 'en', to: 'es' });
    s.close();
  });
});
