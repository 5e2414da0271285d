// Issue 10, item 7: queuing a 200,000-text job blocked `/healthz` for 7.6 s. The texts are now
// hashed and inserted in short steps with the event loop's turn between them, and the runner
// reads a job's record between batches without its megabytes of spec. A real server on a port,
// a real SQLite local API; the fake translator stands at the model-host edge.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import { LIMITS } from '../../src/shared/limits.js';
import { JobRunner } from '../../src/core/jobs/runner.js';
import { textJobResults, textJobSource } from '../../src/core/jobs/text-source.js';
import { FakeTranslator } from '../state/helpers/fake-translator.js';
import { openState } from '../state/helpers/state.js';
import { useApiServer } from '../helpers/api-server.js';
import { useTmpDirs } from '../state/helpers/tmp.js';

const tmp = useTmpDirs('parla-loop-');
const TOKEN = 'loop-test-token-0123456789';
const served = useApiServer(TOKEN);

it('the event loop keeps turning while a 200,000-text job is queued and starts (slow)', async () => {
  const { api, url } = await served.start(tmp(), async () => new FakeTranslator());
  expect(LIMITS.jobTexts).toBe(200_000);
  // Short texts keep the body (and Fastify's one JSON.parse of it) small: the work measured is
  // what grows with the number of texts.
  const texts = Array.from({ length: LIMITS.jobTexts }, (_, i) => `Text ${i}.`);
  const body = JSON.stringify({ texts, to: 'es' });

  const delay = monitorEventLoopDelay({ resolution: 10 });
  const healthz: number[] = [];
  let polling = true;
  const poll = (async () => {
    while (polling) {
      const started = performance.now();
      await fetch(`${url}/healthz`);
      healthz.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  delay.enable();
  const started = performance.now();
  const res = await fetch(`${url}/api/v1/jobs`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  const answeredMs = performance.now() - started;
  // Until every text is in and the first batches have been translated and committed.
  for (;;) {
    const { progress } = await api.getJob(id);
    if (progress.done >= 2_000) {
      expect(progress.total).toBe(LIMITS.jobTexts);
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const queuedMs = performance.now() - started;
  polling = false;
  await poll;
  delay.disable();

  const maxDelayMs = delay.max / 1e6;
  const sorted = [...healthz].sort((a, b) => a - b);
  console.log(
    `200,000-text job: 202 after ${answeredMs.toFixed(0)} ms, queued and running after ${queuedMs.toFixed(0)} ms; ` +
      `event loop max delay ${maxDelayMs.toFixed(0)} ms; /healthz ${healthz.length} polls, p50 ${sorted[sorted.length >> 1]!.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`,
  );
  expect(healthz.length).toBeGreaterThan(10);
  // The loop's own delay, not /healthz round trips (those also wait on the machine's other
  // processes). Before, it was held for the whole time the job took to queue (7.6 s, and 22 to
  // 36 s on this shared 2-core machine under load). Now it is held for one step at a time:
  // under 150 ms on an idle machine; under load, where every step slows alike (parsing the body,
  // the one step that cannot be split, slows tenfold), a small part of the time to queue.
  expect(maxDelayMs).toBeLessThan(Math.max(150, queuedMs / 20));
}, 180_000);

it('a text job cut off while its texts go in is not run half-queued, and is queued again whole', async () => {
  const dir = tmp();
  const first = openState(dir);
  const texts = Array.from({ length: 5_000 }, (_, i) => `line ${i % 4_000}`);
  const { id } = await first.queue.create({ from: 'en', to: ['es', 'fr'], spec: { kind: 'texts', texts } });
  // Cut the run (as a crash would) once four chunks, not all, are in.
  const cut = new AbortController();
  let chunks = 0;
  const queue = Object.create(first.queue) as typeof first.queue;
  queue.addTexts = async (jobId, items) => {
    await first.queue.addTexts(jobId, items);
    if (++chunks === 4) cut.abort();
  };
  const runner = new JobRunner({ queue, translator: first.model, sourceFor: textJobSource });
  await runner.run(id, cut.signal);
  const stopped = (await first.queue.get(id))!;
  expect(stopped.ingested).toBe(false);
  expect(stopped.record.progress.total).toBe(4 * 250);
  expect(first.model.calls).toBe(0);
  first.close();

  const second = openState(dir);
  const record = await second.runner.run(id);
  expect(record.status).toBe('done');
  expect(record.progress).toMatchObject({ total: texts.length * 2, done: texts.length * 2, failed: 0 });
  expect(second.model.texts).toHaveLength(4_000 * 2);
  const results = await textJobResults(second.queue, id);
  expect(results['fr']![4_321]).toBe('fr:LINE 321');
  second.close();
});
