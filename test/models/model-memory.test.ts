// Each model's real memory: the host measures its RSS growth while it is the only model loaded,
// records it in the data dir, the model list reports it, and the memory budget unloads idle
// models by it before a load. States (loading, ready) come with the host's stats.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modelMemoryOf, modelMemoryPath, readModelMemory, recordModelMemory } from '../../src/core/models/model-memory.js';
import { ModelStore } from '../../src/core/models/model-store.js';
import { ENGINE_DEFAULTS } from '../../src/shared/engine-settings.js';
import { ModelPool, type LoadedModel, type PoolMemory } from '../../src/workers/host/model-pool.js';
import { HAVE_MODEL, MODEL_DIR } from '../engine/model-fixture.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'parla-memory-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const fileMemory = (): PoolMemory => ({
  known: (dir, quantized) => modelMemoryOf(readModelMemory(dataDir), dir, quantized),
  record: (dir, quantized, bytes, layout) => recordModelMemory(dataDir, dir, quantized, bytes, layout),
});

describe('model memory records', () => {
  it('keeps each folder and precision apart, and ignores a file that is not what the host writes', async () => {
    recordModelMemory(dataDir, '/m/a', false, 700e6);
    recordModelMemory(dataDir, '/m/a', true, 250e6);
    recordModelMemory(dataDir, '/m/b', false, 20e6);
    expect(readModelMemory(dataDir)).toEqual({ '/m/a': { fp32: 700e6, int8: 250e6 }, '/m/b': { fp32: 20e6 } });
    await writeFile(modelMemoryPath(dataDir), '{"/m/a": {"fp32": "lots", "int8": -1}, "/m/c": 3');
    expect(readModelMemory(dataDir)).toEqual({});
    await writeFile(modelMemoryPath(dataDir), '{"/m/a": {"fp32": "lots", "int8": 5}}');
    expect(readModelMemory(dataDir)).toEqual({ '/m/a': { int8: 5 } });
  });

  it('keeps the lanes each precision was measured on, and drops a layout that is not a real one', async () => {
    recordModelMemory(dataDir, '/m/a', false, 560e6, { lanes: 1, threadsPerLane: 2 });
    recordModelMemory(dataDir, '/m/a', true, 290e6, { lanes: 2, threadsPerLane: 1 });
    expect(readModelMemory(dataDir)['/m/a']).toEqual({ fp32: 560e6, int8: 290e6, layout: { fp32: { lanes: 1, threadsPerLane: 2 }, int8: { lanes: 2, threadsPerLane: 1 } } });
    // Measured again without a layout: the old one no longer describes it.
    recordModelMemory(dataDir, '/m/a', false, 570e6);
    expect(readModelMemory(dataDir)['/m/a']).toEqual({ fp32: 570e6, int8: 290e6, layout: { int8: { lanes: 2, threadsPerLane: 1 } } });
    await writeFile(modelMemoryPath(dataDir), '{"/m/a": {"fp32": 5, "layout": {"fp32": {"lanes": 0.5, "threadsPerLane": 2}, "int8": {"lanes": 1, "threadsPerLane": 1}}}}');
    expect(readModelMemory(dataDir)).toEqual({ '/m/a': { fp32: 5 } });
  });
});

describe.skipIf(!HAVE_MODEL)('the host measures a model it loads (slow)', () => {
  it('records the RSS growth of the only loaded model, reports it and its state, and the model list shows it', async () => {
    const pool = new ModelPool(ENGINE_DEFAULTS, { memory: fileMemory() });
    try {
      let during: ReturnType<ModelPool['stats']> = [];
      const loading = pool.use('parla/tiny-en-es', MODEL_DIR, false, async (m) => {
        during = pool.stats();
        return m.translate(['Open the file.'], 'es', { beam: 1 }, ENGINE_DEFAULTS);
      });
      // Asked while the load is under way: the entry exists at once, its sessions do not yet.
      expect(pool.stats()).toEqual([expect.objectContaining({ modelId: 'parla/tiny-en-es', state: 'loading' })]);
      await loading;
      expect(during[0]).toMatchObject({ state: 'ready' });
      const measured = modelMemoryOf(readModelMemory(dataDir), MODEL_DIR, false);
      expect(measured).toBeGreaterThan(0);
      expect(pool.stats()[0]).toMatchObject({ state: 'ready', lanes: 1, threadsPerLane: expect.any(Number) });
      // The record is written again only when the growth rises by more than 2 % (MEMORY_RECORD_STEP).
      expect(pool.stats()[0]!.memoryBytes).toBeGreaterThanOrEqual(measured!);
      expect(pool.stats()[0]!.memoryBytes).toBeLessThanOrEqual(measured! * 1.02);
      const { threadsPerLane } = pool.stats()[0]!;
      const listed = (await new ModelStore(dataDir).list()).find((m) => m.id === 'parla/tiny-en-es');
      expect(listed?.memory).toEqual({ fp32: measured, layout: { fp32: { lanes: 1, threadsPerLane } } });
    } finally {
      await pool.close();
    }
  }, 60_000);
});

/** A stand-in model for the budget's bookkeeping (the budget never looks inside a model). */
function fakeModel(disposed: string[], name: string): LoadedModel {
  return { translate: async () => [], broken: false, lanes: 1, threadsPerLane: 1, quantized: false, dispose: async () => void disposed.push(name) };
}

describe('the memory budget uses each model’s measured memory', () => {
  it('unloads the least recently used idle models before a load that would not fit, and only as many as needed', async () => {
    recordModelMemory(dataDir, '/m/a', false, 300e6);
    recordModelMemory(dataDir, '/m/b', false, 300e6);
    recordModelMemory(dataDir, '/m/c', false, 500e6);
    const disposed: string[] = [];
    const loads: string[] = [];
    const pool = new ModelPool(ENGINE_DEFAULTS, {
      memory: fileMemory(),
      memoryBudget: () => 1000e6,
      load: async (dir) => {
        loads.push(dir);
        return fakeModel(disposed, dir);
      },
    });
    try {
      const run = (dir: string) => pool.use(dir, dir, false, async () => undefined);
      await run('/m/a');
      await run('/m/b');
      expect(disposed).toEqual([]); // 600 MB of 1000
      await run('/m/c'); // 600 + 500 > 1000: a (least recently used) goes, b stays
      expect(disposed).toEqual(['/m/a']);
      expect(pool.stats().map((s) => s.modelDir).sort()).toEqual(['/m/b', '/m/c']);
      expect(loads).toEqual(['/m/a', '/m/b', '/m/c']);
    } finally {
      await pool.close();
    }
  });

  it('never unloads a model in use, and loads anyway when nothing idle is left to unload', async () => {
    recordModelMemory(dataDir, '/m/a', false, 800e6);
    recordModelMemory(dataDir, '/m/b', false, 800e6);
    const disposed: string[] = [];
    const pool = new ModelPool(ENGINE_DEFAULTS, { memory: fileMemory(), memoryBudget: () => 1000e6, load: async (dir) => fakeModel(disposed, dir) });
    try {
      let release = () => {};
      const busy = pool.use('/m/a', '/m/a', false, () => new Promise<void>((r) => (release = r)));
      await pool.use('/m/b', '/m/b', false, async () => undefined);
      expect(disposed).toEqual([]);
      release();
      await busy;
    } finally {
      await pool.close();
    }
  });
});
