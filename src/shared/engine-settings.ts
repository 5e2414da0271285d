// Engine settings: one documented interface, one DEFAULTS object, validation up front.

export interface EngineSettings {
  /**
   * Model lanes: worker threads that each hold a copy of a loaded model and decode batches side
   * by side (0 = one per core, at most 4, for a small model; one for a model of LARGE_MODEL_BYTES
   * or more). Small-batch decoding keeps one core busy at most,
   * so lanes are how the host uses the rest; each costs one more copy of the model's weights.
   */
  engineLanes: number;
  /** onnxruntime intra-op threads per session (0 = the cores shared out among the lanes). */
  intraOpNumThreads: number;
  /** onnxruntime inter-op threads per session (0 = let ORT decide). */
  interOpNumThreads: number;
  /**
   * 1 = onnxruntime's intra-op threads spin-wait between ops (lowest latency on an idle machine);
   * 0 = they sleep. Spinning threads fight any other busy process for the cores and can make a
   * run several times slower, so the host, which shares the machine with the app, does not spin.
   */
  intraOpSpinning: number;
  /**
   * 1 = onnxruntime's CPU memory arena: keeps the largest batch's buffers for good. 0 = plain
   * allocations, returned when a run ends, so the host shrinks back after a big merged batch;
   * measured at the same speed on the tiny model.
   */
  cpuMemArena: number;
  /**
   * 1 = translate with a model's int8 graphs (`*_quantized.onnx`) where it has them, unless a
   * request asks otherwise; 0 = fp32 where present. A model holding one precision only (a
   * `--quantized` download) runs in that one either way.
   */
  quantized: number;
  /** How long the host collects requests before running them as one batch. */
  batchWindowMs: number;
  /** Upper bound on (rows × source tokens) in one encoder/decoder batch. */
  maxBatchTokens: number;
  /** Upper bound on sentences in one batch (before beams multiply rows). */
  maxBatchSentences: number;
  /** A loaded model not used for this long is unloaded. */
  modelIdleMs: number;
  /** When the host's RSS exceeds this, least-recently-used idle models are unloaded (0 = no budget). */
  memoryBudgetBytes: number;
  /** The host exits after this long with no connected clients. */
  hostIdleMs: number;
  /** Default per-request timeout on the client side. */
  requestTimeoutMs: number;
}

export const ENGINE_DEFAULTS: Readonly<EngineSettings> = Object.freeze({
  engineLanes: 0,
  intraOpNumThreads: 0,
  interOpNumThreads: 1,
  intraOpSpinning: 0,
  cpuMemArena: 0,
  quantized: 0,
  batchWindowMs: 5,
  maxBatchTokens: 8192,
  // Measured on the tiny model (bench/engine.mjs): 32 rows beat 64 and 128 per token (the
  // per-step working set stays in cache); with 2 lanes 16 to 48 measure the same, and a single
  // lane (a team worker of one core) wants fewer, fuller groups.
  maxBatchSentences: 32,
  modelIdleMs: 10 * 60_000,
  memoryBudgetBytes: 0,
  hostIdleMs: 10 * 60_000,
  requestTimeoutMs: 10 * 60_000,
});

/** Merges overrides onto the defaults, rejecting unknown keys and non-numeric or negative values. */
export function resolveEngineSettings(overrides: Record<string, unknown> = {}): EngineSettings {
  const out: EngineSettings = { ...ENGINE_DEFAULTS };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in ENGINE_DEFAULTS)) throw new Error(`unknown engine setting "${key}"`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`engine setting "${key}" must be a number ≥ 0`);
    }
    out[key as keyof EngineSettings] = value;
  }
  return out;
}

/**
 * A model whose graphs and weights weigh at least this much gets one lane with every thread by
 * default. Measured on an OPUS-MT-size model (bench/results/engine-realsize.md) on a quiet
 * 2-core machine: fp32 with its weights mapped (shared by lanes, no prepacking), one lane × 2
 * threads gave 1.4× the throughput of 2 lanes × 1 thread and the same memory (2 lanes were
 * 1.07× faster only while another process held a core); int8, whose prepacked weights are
 * private to each lane, 1.3× the throughput at 0.6× the memory. Small models (the bundled one is
 * 22 MB of float16 weights, 36 MB with its int8 graphs) gain from more lanes.
 */
export const LARGE_MODEL_BYTES = 100e6;

/**
 * Lanes and intra-op threads per lane once the automatic values (0) are worked out for `cores`,
 * or for `userThreads` when the user's Threads setting caps the cores the host may use, and
 * for a model of `modelBytes` (its graphs and weights on disk; 0 = unknown, treated as small).
 */
export function laneLayout(
  settings: Pick<EngineSettings, 'engineLanes' | 'intraOpNumThreads'>,
  cores: number,
  userThreads = 0,
  modelBytes = 0,
): { lanes: number; threadsPerLane: number } {
  const budget = userThreads > 0 ? userThreads : cores;
  const lanes = settings.engineLanes || (modelBytes >= LARGE_MODEL_BYTES ? 1 : Math.max(1, Math.min(4, budget)));
  const threadsPerLane = settings.intraOpNumThreads || Math.max(1, Math.floor(budget / lanes));
  return { lanes, threadsPerLane };
}
