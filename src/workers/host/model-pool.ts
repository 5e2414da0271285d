// The models the host has loaded: one load per (folder, quantized), shared by every client;
// unloaded when idle too long or when the host is over its memory budget.
import { availableParallelism } from 'node:os';
import { LARGE_MODEL_BYTES, laneLayout, type EngineSettings } from '../../shared/engine-settings.js';
import type { LoadedModelStats } from '../../shared/host-protocol.js';
import type { DecodeOptions } from '../../shared/translation.js';
import { MarianLanes } from '../marian/lanes.js';
import { MarianModel, modelGraphBytes, type BatchLimits, type LoadOptions, type TranslatedText } from '../marian/marian-model.js';

/** A model ready to translate: in this thread, or tokenized here and decoded on lanes. */
export interface LoadedModel {
  translate(texts: readonly string[], to: string, options: DecodeOptions, limits: BatchLimits, from?: string): Promise<TranslatedText[]>;
  /** True once it can no longer translate (a lane died): the pool loads it afresh. */
  readonly broken: boolean;
  /** Batches it can decode at once. */
  readonly lanes: number;
  dispose(): Promise<void>;
}

/**
 * Loads a model. With a lane entry (the host's own module, which serves lanes when started as
 * a worker), its sessions live on `engineLanes` worker threads; without one, in this thread.
 */
export async function loadModel(
  dir: string,
  quantized: boolean,
  settings: EngineSettings,
  laneEntry?: string | URL,
  userThreads = 0,
): Promise<LoadedModel> {
  const bytes = await modelGraphBytes(dir, quantized);
  const { lanes, threadsPerLane } = laneLayout(settings, availableParallelism(), userThreads, bytes);
  const load: LoadOptions = {
    quantized,
    // A large model's float32 weights (page-aligned external data) are used where they are mapped
    // instead of being repacked into private copies: measured on an OPUS-MT-size model, load
    // 1.0 s instead of 3.0-6.8 s and 210 MB instead of 525 MB once loaded, throughput within
    // the run-to-run noise (bench/results/engine-realsize.md). Small models keep prepacking.
    ...(!quantized && bytes >= LARGE_MODEL_BYTES ? { sessionConfig: { 'session.disable_prepacking': '1' } } : {}),
    intraOpNumThreads: threadsPerLane,
    interOpNumThreads: settings.interOpNumThreads,
    intraOpSpinning: settings.intraOpSpinning !== 0,
    cpuMemArena: settings.cpuMemArena !== 0,
  };
  if (!laneEntry) {
    const model = await MarianModel.load(dir, load);
    return { translate: (...args) => model.translate(...args), broken: false, lanes: 1, dispose: () => model.dispose() };
  }
  // The front (tokenizer, config) and the lanes (sessions) load side by side; the front's error
  // names what is wrong with a folder best, so it wins when both fail.
  const [frontLoad, lanesStart] = await Promise.allSettled([MarianModel.load(dir, { ...load, sessions: false }), MarianLanes.start(laneEntry, dir, load, lanes)]);
  if (frontLoad.status === 'rejected') {
    if (lanesStart.status === 'fulfilled') await lanesStart.value.close();
    throw frontLoad.reason;
  }
  if (lanesStart.status === 'rejected') throw lanesStart.reason;
  const front = frontLoad.value;
  const runner = lanesStart.value;
  return {
    translate: (texts, to, options, limits, from) => front.translate(texts, to, options, limits, from, runner),
    get broken() {
      return runner.broken;
    },
    lanes: runner.lanes,
    dispose: () => runner.close(),
  };
}

interface Entry {
  modelId: string;
  dir: string;
  quantized: boolean;
  model: Promise<LoadedModel>;
  /** Set once the model has loaded. */
  lanes?: number;
  lastUsedMs: number;
  inUse: number;
}

export class ModelPool {
  private readonly entries = new Map<string, Entry>();
  loadCount = 0;
  private readonly sweeper: NodeJS.Timeout;

  /** `userThreads`: the user's Threads setting, read at each load (0 = all cores). */
  constructor(
    private readonly settings: EngineSettings,
    private readonly laneEntry?: string | URL,
    private readonly userThreads: () => number = () => 0,
  ) {
    this.sweeper = setInterval(() => void this.sweep(), Math.min(settings.modelIdleMs, 30_000) || 30_000);
    this.sweeper.unref();
  }

  /** Runs `fn` with the model loaded and marked in use (so a sweep cannot unload it). */
  async use<T>(modelId: string, dir: string, quantized: boolean, fn: (m: LoadedModel) => Promise<T>): Promise<T> {
    const key = `${dir}\u0000${quantized}`;
    let entry = this.entries.get(key);
    if (!entry) {
      this.loadCount++;
      const model = loadModel(dir, quantized, this.settings, this.laneEntry, this.userThreads());
      entry = { modelId, dir, quantized, model, lastUsedMs: Date.now(), inUse: 0 };
      this.entries.set(key, entry);
      const loaded = entry;
      model.then(
        (m) => (loaded.lanes = m.lanes),
        () => this.entries.delete(key),
      );
    }
    entry.inUse++;
    const current = entry;
    try {
      return await fn(await current.model);
    } finally {
      current.inUse--;
      current.lastUsedMs = Date.now();
      const model = await current.model.catch(() => undefined);
      if (model?.broken && this.entries.get(key) === current) {
        this.entries.delete(key);
        void model.dispose().catch(() => undefined);
      }
    }
  }

  stats(): LoadedModelStats[] {
    return [...this.entries.values()].map((e) => ({
      modelId: e.modelId,
      modelDir: e.dir,
      quantized: e.quantized,
      lastUsedMs: e.lastUsedMs,
      ...(e.lanes ? { lanes: e.lanes } : {}),
    }));
  }

  /** Unloads idle models; over budget, also the least recently used ones not in use. */
  async sweep(now = Date.now()): Promise<void> {
    const idle = [...this.entries].filter(([, e]) => e.inUse === 0).sort((a, b) => a[1].lastUsedMs - b[1].lastUsedMs);
    for (const [key, e] of idle) {
      const overBudget = this.settings.memoryBudgetBytes > 0 && process.memoryUsage.rss() > this.settings.memoryBudgetBytes;
      if (now - e.lastUsedMs < this.settings.modelIdleMs && !overBudget) continue;
      this.entries.delete(key);
      await (await e.model).dispose().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map(async (e) => (await e.model.catch(() => undefined))?.dispose()));
  }
}
