// The models the host has loaded: one load per (folder, quantized), shared by every client;
// unloaded when idle too long or when the host is over its memory budget.
import type { EngineSettings } from '../../shared/engine-settings.js';
import type { LoadedModelStats } from '../../shared/host-protocol.js';
import { MarianModel } from '../marian/marian-model.js';

interface Entry {
  modelId: string;
  dir: string;
  quantized: boolean;
  model: Promise<MarianModel>;
  lastUsedMs: number;
  inUse: number;
}

export class ModelPool {
  private readonly entries = new Map<string, Entry>();
  loadCount = 0;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly settings: EngineSettings) {
    this.sweeper = setInterval(() => void this.sweep(), Math.min(settings.modelIdleMs, 30_000) || 30_000);
    this.sweeper.unref();
  }

  /** Runs `fn` with the model loaded and marked in use (so a sweep cannot unload it). */
  async use<T>(modelId: string, dir: string, quantized: boolean, fn: (m: MarianModel) => Promise<T>): Promise<T> {
    const key = `${dir}\u0000${quantized}`;
    let entry = this.entries.get(key);
    if (!entry) {
      this.loadCount++;
      const model = MarianModel.load(dir, {
        quantized,
        intraOpNumThreads: this.settings.intraOpNumThreads,
        interOpNumThreads: this.settings.interOpNumThreads,
        intraOpSpinning: this.settings.intraOpSpinning !== 0,
        cpuMemArena: this.settings.cpuMemArena !== 0,
      });
      entry = { modelId, dir, quantized, model, lastUsedMs: Date.now(), inUse: 0 };
      this.entries.set(key, entry);
      model.catch(() => this.entries.delete(key));
    }
    entry.inUse++;
    try {
      return await fn(await entry.model);
    } finally {
      entry.inUse--;
      entry.lastUsedMs = Date.now();
    }
  }

  stats(): LoadedModelStats[] {
    return [...this.entries.values()].map((e) => ({ modelId: e.modelId, modelDir: e.dir, quantized: e.quantized, lastUsedMs: e.lastUsedMs }));
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
