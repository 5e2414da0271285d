// The models the host has loaded: one load per (folder, quantized), shared by every client;
// unloaded when idle too long or when the host is over its memory budget.
import { availableParallelism } from 'node:os';
import { LARGE_MODEL_BYTES, laneLayout, type EngineSettings } from '../../shared/engine-settings.js';
import type { LoadedModelStats } from '../../shared/host-protocol.js';
import type { DecodeOptions, LaneLayout } from '../../shared/translation.js';
import { MarianLanes } from '../marian/lanes.js';
import { MarianModel, modelWeightBytes, type BatchLimits, type LoadOptions, type TranslatedText } from '../marian/marian-model.js';

/** A model ready to translate: in this thread, or tokenized here and decoded on lanes. */
export interface LoadedModel {
  translate(texts: readonly string[], to: string, options: DecodeOptions, limits: BatchLimits, from?: string): Promise<TranslatedText[]>;
  /** True once it can no longer translate (a lane died): the pool loads it afresh. */
  readonly broken: boolean;
  /** Batches it can decode at once. */
  readonly lanes: number;
  /** onnxruntime intra-op threads in each lane. */
  readonly threadsPerLane: number;
  /** The precision it runs in: int8 when asked and present, or the only one the folder holds. */
  readonly quantized: boolean;
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
  const { total: bytes } = await modelWeightBytes(dir, quantized);
  const { lanes, threadsPerLane } = laneLayout(settings, availableParallelism(), userThreads, bytes);
  // A large model's float32 weights are used where they are mapped instead of being repacked into
  // private copies per session: measured on an OPUS-MT-size model, load 0.5-0.9 s instead of
  // 2.5-5 s and RSS growth ~550 MB instead of ~1,100 MB (two prepacked lanes), at 0.7-1.1× their
  // throughput (bench/results/engine-realsize.md). Small models and int8 graphs keep prepacking.
  const unpacked = !quantized && bytes >= LARGE_MODEL_BYTES;
  const load: LoadOptions = {
    quantized,
    ...(unpacked ? { sessionConfig: { 'session.disable_prepacking': '1' } } : {}),
    intraOpNumThreads: threadsPerLane,
    interOpNumThreads: settings.interOpNumThreads,
    intraOpSpinning: settings.intraOpSpinning !== 0,
    cpuMemArena: settings.cpuMemArena !== 0,
  };
  if (!laneEntry) {
    const model = await MarianModel.load(dir, load);
    return { translate: (...args) => model.translate(...args), broken: false, lanes: 1, threadsPerLane, quantized: model.quantized, dispose: () => model.dispose() };
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
    threadsPerLane,
    quantized: front.quantized,
    dispose: () => runner.close(),
  };
}

/** What the pool needs to know of the models' memory (src/core/models/model-memory.ts). */
export interface PoolMemory {
  /** A model's memory as measured before (this host or an earlier one). */
  known(dir: string, quantized: boolean): number | undefined;
  /** A new measurement: the host's RSS growth with this model the only one loaded, on these lanes. */
  record(dir: string, quantized: boolean, bytes: number, layout: LaneLayout): void;
}

export interface PoolOptions {
  /** The host's own module, which serves lanes when started as a worker (see loadModel). */
  laneEntry?: string | URL;
  /** The user's Threads setting, read at each load (0 = all cores). */
  userThreads?: () => number;
  /** The memory budget in bytes, read at each load and sweep (0 = none); default the engine setting. */
  memoryBudget?: () => number;
  memory?: PoolMemory;
  /** How a model loads (a seam for tests); loadModel by default. */
  load?: typeof loadModel;
}

interface Entry {
  modelId: string;
  dir: string;
  quantized: boolean;
  model: Promise<LoadedModel>;
  /** Set once the model has loaded: its lanes and the precision it runs in. */
  layout?: LaneLayout;
  runsQuantized?: boolean;
  lastUsedMs: number;
  inUse: number;
  /**
   * The host's RSS just before this model started loading, kept while it is the only model
   * loaded: its memory is the growth since (the largest seen after a batch).
   */
  rssBefore?: number;
  memoryBytes?: number;
}

/** A measurement is written again only when it grew by more than this share. */
const MEMORY_RECORD_STEP = 0.02;

export class ModelPool {
  private readonly entries = new Map<string, Entry>();
  loadCount = 0;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly settings: EngineSettings,
    private readonly options: PoolOptions = {},
  ) {
    this.sweeper = setInterval(() => void this.sweep(), Math.min(settings.modelIdleMs, 30_000) || 30_000);
    this.sweeper.unref();
  }

  private budget(): number {
    return this.options.memoryBudget?.() || this.settings.memoryBudgetBytes;
  }

  /** A loaded (or loading) model's memory: measured here, else as measured before, else unknown (0). */
  private memoryOf(e: Pick<Entry, 'dir' | 'quantized' | 'runsQuantized' | 'memoryBytes'>): number {
    return e.memoryBytes ?? this.options.memory?.known(e.dir, e.runsQuantized ?? e.quantized) ?? 0;
  }

  /** Runs `fn` with the model loaded and marked in use (so a sweep cannot unload it). */
  async use<T>(modelId: string, dir: string, quantized: boolean, fn: (m: LoadedModel) => Promise<T>): Promise<T> {
    const key = `${dir}\u0000${quantized}`;
    let entry = this.entries.get(key);
    if (!entry) {
      this.loadCount++;
      // Measured only alone: with another model loaded or loading, RSS says nothing of this one.
      const alone = this.entries.size === 0;
      for (const other of this.entries.values()) delete other.rssBefore;
      const load = this.options.load ?? loadModel;
      const model = this.makeRoom(key, dir, quantized).then(() => load(dir, quantized, this.settings, this.options.laneEntry, this.options.userThreads?.() ?? 0));
      entry = { modelId, dir, quantized, model, lastUsedMs: Date.now(), inUse: 0, ...(alone ? { rssBefore: process.memoryUsage.rss() } : {}) };
      this.entries.set(key, entry);
      const loaded = entry;
      model.then(
        (m) => {
          loaded.layout = { lanes: m.lanes, threadsPerLane: m.threadsPerLane };
          loaded.runsQuantized = m.quantized;
          this.measure(loaded);
        },
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
      this.measure(current);
      const model = await current.model.catch(() => undefined);
      if (model?.broken && this.entries.get(key) === current) {
        this.entries.delete(key);
        void model.dispose().catch(() => undefined);
      }
    }
  }

  /** Updates a lone model's memory from the host's RSS growth since it began loading. */
  private measure(e: Entry): void {
    if (e.rssBefore === undefined || e.runsQuantized === undefined || !e.layout || this.entries.size !== 1) return;
    const growth = process.memoryUsage.rss() - e.rssBefore;
    if (growth <= (e.memoryBytes ?? 0)) return;
    const recorded = e.memoryBytes;
    e.memoryBytes = growth;
    if (recorded === undefined || growth > recorded * (1 + MEMORY_RECORD_STEP)) this.options.memory?.record(e.dir, e.runsQuantized, growth, e.layout);
  }

  /**
   * Before a load under a memory budget: unloads idle models, least recently used first, until
   * the loaded models' memory plus the new one's (each as measured; unknown counts 0) fits.
   */
  private async makeRoom(key: string, dir: string, quantized: boolean): Promise<void> {
    const budget = this.budget();
    if (budget <= 0) return;
    const need = this.options.memory?.known(dir, quantized) ?? 0;
    const others = () => [...this.entries].filter(([k]) => k !== key);
    const idle = others()
      .filter(([, e]) => e.inUse === 0)
      .sort((a, b) => a[1].lastUsedMs - b[1].lastUsedMs);
    for (const [otherKey, e] of idle) {
      const used = others().reduce((sum, [, o]) => sum + this.memoryOf(o), 0);
      if (used + need <= budget) return;
      await this.unload(otherKey, e);
    }
  }

  private async unload(key: string, e: Entry): Promise<void> {
    if (this.entries.get(key) !== e) return;
    this.entries.delete(key);
    await (await e.model.catch(() => undefined))?.dispose().catch(() => undefined);
  }

  stats(): LoadedModelStats[] {
    return [...this.entries.values()].map((e) => ({
      modelId: e.modelId,
      modelDir: e.dir,
      quantized: e.runsQuantized ?? e.quantized,
      state: e.layout ? 'ready' : 'loading',
      lastUsedMs: e.lastUsedMs,
      ...(e.layout ? { lanes: e.layout.lanes, threadsPerLane: e.layout.threadsPerLane } : {}),
      ...(this.memoryOf(e) ? { memoryBytes: this.memoryOf(e) } : {}),
    }));
  }

  /**
   * Unloads idle models; over budget (the loaded models' measured memory, or the host's RSS,
   * above it), also the least recently used ones not in use.
   */
  async sweep(now = Date.now()): Promise<void> {
    const idle = [...this.entries].filter(([, e]) => e.inUse === 0).sort((a, b) => a[1].lastUsedMs - b[1].lastUsedMs);
    for (const [key, e] of idle) {
      const budget = this.budget();
      const used = [...this.entries.values()].reduce((sum, o) => sum + this.memoryOf(o), 0);
      const overBudget = budget > 0 && (used > budget || process.memoryUsage.rss() > budget);
      if (now - e.lastUsedMs < this.settings.modelIdleMs && !overBudget) continue;
      await this.unload(key, e);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map(async (e) => (await e.model.catch(() => undefined))?.dispose()));
  }
}
