// Slow: model lanes (worker threads with their own sessions) on the tiny model, started from the
// built host entry as the host starts them. The golden outputs must come back unchanged however
// the groups are spread over the lanes, while another isolate runs sessions at the same time.
import { existsSync, readFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_DEFAULTS, laneLayout } from '../../src/shared/engine-settings.js';
import { hostEntry } from '../../src/core/host/spawn-host.js';
import { memoryReleases } from '../../src/workers/marian/release-memory.js';
import { MarianLanes } from '../../src/workers/marian/lanes.js';
import { MarianModel, modelWeightBytes } from '../../src/workers/marian/marian-model.js';
import { loadModel } from '../../src/workers/host/model-pool.js';
import { ensureBuilt } from './host-helpers.js';
import { HAVE_GOLDEN, MODEL_DIR, loadGolden, type Golden } from './model-fixture.js';

describe.skipIf(!HAVE_GOLDEN)('model lanes (slow)', () => {
  let golden: Golden;
  let front: MarianModel;
  let local: MarianModel;
  let lanes: MarianLanes;

  beforeAll(async () => {
    ensureBuilt();
    golden = loadGolden();
    front = await MarianModel.load(MODEL_DIR, { sessions: false });
    local = await MarianModel.load(MODEL_DIR, { intraOpNumThreads: 1 });
    lanes = await MarianLanes.start(hostEntry(), MODEL_DIR, { intraOpNumThreads: 1 }, 2);
  }, 60_000);

  afterAll(async () => {
    await lanes?.close();
    await local?.dispose();
  });

  it('reproduces the golden greedy ids over two lanes while this thread decodes too', async () => {
    const sources = golden.items.map((i) => i.inputIds);
    const options = { beam: 1, maxLength: golden.maxLength };
    // Groups of 4 sentences: a dozen groups, so both lanes take several each.
    const [onLanes, here] = await Promise.all([
      front.generateBatched(sources, options, { maxBatchTokens: 8192, maxBatchSentences: 4 }, lanes),
      local.generateBatched(sources, options, { maxBatchTokens: 8192, maxBatchSentences: 8 }),
    ]);
    golden.items.forEach((item, i) => {
      expect(onLanes[i]![0]!.ids, item.source).toEqual(item.greedy.ids);
      expect(here[i]![0]!.ids, item.source).toEqual(item.greedy.ids);
    });
  });

  it('translates whole texts through the front tokenizer like a single in-thread model', async () => {
    const texts = ['Open the file.', 'Save changes?\nThe disk is full.', ''];
    const limits = { maxBatchTokens: 8192, maxBatchSentences: 2 };
    expect(await front.translate(texts, 'es', {}, limits, undefined, lanes)).toEqual(await local.translate(texts, 'es', {}, limits));
  });

  it('groups by length into even groups under the caps and runs them longest first', async () => {
    const sizes: number[][] = [];
    const recorder = {
      lanes: 1,
      async generate(group: readonly number[][]) {
        sizes.push(group.map((g) => g.length));
        return group.map((g) => [{ ids: [g.length], score: 0 }]);
      },
    };
    const sources = Array.from({ length: 50 }, (_, i) => Array<number>(1 + (i % 25)).fill(7));
    const out = await front.generateBatched(sources, { beam: 1 }, { maxBatchTokens: 8192, maxBatchSentences: 24 }, recorder);
    expect(sizes.map((g) => g.length)).toEqual([16, 17, 17]);
    expect(Math.min(...sizes[0]!)).toBeGreaterThanOrEqual(Math.max(...sizes[1]!)); // longest first
    expect(out.map((h) => h[0]!.ids[0])).toEqual(sources.map((s) => s.length)); // back in input order
    // A token budget that the even split would break keeps the greedy groups.
    sizes.length = 0;
    await front.generateBatched(sources, { beam: 1 }, { maxBatchTokens: 200, maxBatchSentences: 24 }, recorder);
    expect(sizes.every((g) => g.length * Math.max(...g) <= 200)).toBe(true);
  });

  it('loads a lane without a tokenizer: token ids in, token ids out', async () => {
    const bare = await MarianModel.load(MODEL_DIR, { intraOpNumThreads: 1, tokenizer: false });
    try {
      const item = golden.items[0]!;
      const [hyps] = await bare.generate([item.inputIds], { beam: 1, maxLength: golden.maxLength });
      expect(hyps![0]!.ids).toEqual(item.greedy.ids);
      expect(() => bare.encode('Open the file.')).toThrow(/without its tokenizer/);
    } finally {
      await bare.dispose();
    }
  });

  it("frees a batch's output buffers once the batch is done, not when V8 next gets to them", async () => {
    // 64 rows × 47 steps × 8,000 logits: ~96 MB of output tensors, each holding native memory
    // that V8 counts as external and would leave for a later collection (up to ~64 MB of it).
    const anon = () => Number(/^RssAnon:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
    const sources = Array.from({ length: 64 }, (_, i) => golden.items[i % golden.items.length]!.inputIds);
    const options = { beam: 1, maxLength: 48 };
    const limits = { maxBatchTokens: 1 << 20, maxBatchSentences: 64 };
    await front.generateBatched(sources, options, limits, lanes); // the lane's buffers and caches at their size
    await new Promise((r) => setTimeout(r, 500));
    const before = anon();
    const released = memoryReleases();
    await front.generateBatched(sources, options, limits, lanes);
    await new Promise((r) => setTimeout(r, 500));
    // Kept, the ~96 MB of outputs would stay (64 MB or more, measured); run to run, the
    // process's other allocations move the figure by up to ~25 MB.
    expect((anon() - before) / 1e6).toBeLessThan(40);
    // Once the lane had collected and no batch was running, what malloc held free went back (glibc).
    if (process.platform === 'linux') expect(memoryReleases()).toBeGreaterThan(released);
  });

  it("measures a model's weights: Parla's exports keep nearly all of them in external files that lanes share", async () => {
    for (const quantized of [false, true]) {
      const { total, external } = await modelWeightBytes(MODEL_DIR, quantized);
      expect(total).toBeGreaterThan(5e6);
      expect(external / total).toBeGreaterThan(0.9);
    }
    expect(await modelWeightBytes('/nonexistent', false)).toEqual({ total: 0, external: 0 });
  });

  it('answers a bad request with an error and keeps serving', async () => {
    await expect(lanes.generate([[10 ** 6, 0]], { beam: 1 })).rejects.toThrow();
    expect(lanes.broken).toBe(false);
    const [again] = await lanes.generate([golden.items[0]!.inputIds], { beam: 1, maxLength: golden.maxLength });
    expect(again![0]!.ids).toEqual(golden.items[0]!.greedy.ids);
  });

  it('fails calls with HOST_CRASHED once a lane dies, and says it is broken', async () => {
    const doomed = await MarianLanes.start(hostEntry(), MODEL_DIR, { intraOpNumThreads: 1 }, 1);
    const failed = expect(doomed.generate([golden.items[0]!.inputIds], { beam: 4, maxLength: golden.maxLength })).rejects.toMatchObject({ code: 'HOST_CRASHED' });
    // Reaching into the pool to kill its only worker, as a crash (or an OOM kill of the thread) would.
    await (doomed as unknown as { all: { worker: Worker }[] }).all[0]!.worker.terminate();
    await failed;
    expect(doomed.broken).toBe(true);
    await expect(doomed.generate([[5, 0]], { beam: 1 })).rejects.toMatchObject({ code: 'HOST_CRASHED' });
    await doomed.close();
  });

  it('fails a call still running when the lanes close, instead of leaving it hanging', async () => {
    const closing = await MarianLanes.start(hostEntry(), MODEL_DIR, { intraOpNumThreads: 1 }, 1);
    // The expectation is attached before close, so the rejection is handled when it happens.
    const failed = expect(closing.generate([golden.items[0]!.inputIds], { beam: 4, maxLength: golden.maxLength })).rejects.toMatchObject({ code: 'HOST_CRASHED' });
    await closing.close();
    await failed;
  });

  it('loads a model onto lanes from the host settings and rejects a folder that is not a model', async () => {
    const { lanes: count } = laneLayout(ENGINE_DEFAULTS, 2);
    expect(count).toBe(2);
    expect(existsSync(hostEntry())).toBe(true);
    const model = await loadModel(MODEL_DIR, false, { ...ENGINE_DEFAULTS, engineLanes: 2, intraOpNumThreads: 1 }, hostEntry());
    try {
      const [out] = await model.translate([golden.items[1]!.source], 'es', { maxLength: golden.maxLength }, { maxBatchTokens: 8192, maxBatchSentences: 8 });
      expect(out!.text).toBe(golden.items[1]!.greedy.text);
    } finally {
      await model.dispose();
    }
    await expect(loadModel('/nonexistent-model', false, ENGINE_DEFAULTS, hostEntry())).rejects.toMatchObject({ code: 'MODEL_INVALID' });
  });
});
