// The model host: owns every loaded model on this machine for this user and data dir, serves
// any number of clients over `HostPort`s, batches their requests together, and reports stats.
// Transport-agnostic: the socket entry (main.ts) and a future Electron utilityProcess attach ports.
import { ParlaError, toErrorInfo } from '../../shared/errors.js';
import type { EngineSettings } from '../../shared/engine-settings.js';
import { isClientMessage, type HostApi, type HostRequest, type HostStats, type HostTranslation } from '../../shared/host-protocol.js';
import type { DecodeOptions } from '../../shared/translation.js';
import { Batcher, canceledError, type BatchJob } from './batcher.js';
import type { HostPort } from './host-port.js';
import { ModelPool, type PoolOptions } from './model-pool.js';

interface BatchKey {
  modelId: string;
  modelDir: string;
  to: string;
  from?: string;
  options: DecodeOptions;
}

export class ModelHost {
  private readonly pool: ModelPool;
  private readonly batcher: Batcher<HostTranslation>;
  private readonly ports = new Set<HostPort>();
  private readonly started = Date.now();
  private batches = 0;
  private texts = 0;
  private stopping = false;
  /** Called when the last client leaves and when shutdown completes; the entry decides what to do. */
  onIdle: () => void = () => undefined;
  onShutdown: () => void = () => undefined;

  /**
   * `pool.laneEntry`: the module lanes run (see ModelPool); without it models decode on this
   * thread. The user's settings and the measured model memory come in through `pool` too.
   */
  constructor(
    private readonly settings: EngineSettings,
    pool: PoolOptions = {},
  ) {
    this.pool = new ModelPool(settings, pool);
    this.batcher = new Batcher(settings.batchWindowMs, (key, texts) => this.runBatch(JSON.parse(key) as BatchKey, texts));
  }

  get clientCount(): number {
    return this.ports.size;
  }

  attach(port: HostPort): void {
    this.ports.add(port);
    const inFlight = new Map<number, BatchJob<HostTranslation>>();
    port.onClose(() => {
      this.ports.delete(port);
      for (const job of inFlight.values()) job.canceled = true;
      if (this.ports.size === 0) this.onIdle();
    });
    port.onMessage((message) => {
      if (!isClientMessage(message)) return;
      if (message.kind === 'cancel') {
        const job = inFlight.get(message.target);
        if (job) {
          job.canceled = true;
          inFlight.delete(message.target);
          port.send({ kind: 'response', seq: message.target, ok: false, error: toErrorInfo(canceledError()) });
        }
        return;
      }
      void this.handle(message, port, inFlight);
    });
  }

  private async handle(request: HostRequest, port: HostPort, inFlight: Map<number, BatchJob<HostTranslation>>): Promise<void> {
    const { seq } = request;
    try {
      let result: HostApi[typeof request.method]['result'];
      if (request.method === 'translate') {
        if (this.stopping) throw new ParlaError('HOST_CRASHED', 'the model host is shutting down');
        const p = request.params;
        const key: BatchKey = { modelId: p.modelId, modelDir: p.modelDir, to: p.to, from: p.from, options: p.options ?? {} };
        result = await new Promise<HostTranslation[]>((resolve, reject) => {
          const job: BatchJob<HostTranslation> = { texts: p.texts, resolve, reject, canceled: false };
          inFlight.set(seq, job);
          this.batcher.submit(JSON.stringify(key), job);
        });
        if (!inFlight.delete(seq)) return; // canceled: the cancel already answered
      } else if (request.method === 'stats') {
        result = this.stats();
      } else {
        result = { ok: true };
        port.send({ kind: 'response', seq, ok: true, result });
        await this.shutdown();
        return;
      }
      port.send({ kind: 'response', seq, ok: true, result });
    } catch (error) {
      inFlight.delete(seq);
      port.send({ kind: 'response', seq, ok: false, error: toErrorInfo(error) });
    }
  }

  private async runBatch(key: BatchKey, texts: string[]): Promise<HostTranslation[]> {
    this.batches++;
    this.texts += texts.length;
    const { options } = key;
    return this.pool.use(key.modelId, key.modelDir, options.quantized ?? this.settings.quantized === 1, (model) =>
      model.translate(texts, key.to, options, this.settings, key.from),
    );
  }

  stats(): HostStats {
    return {
      pid: process.pid,
      clients: this.ports.size,
      modelsLoaded: this.pool.stats(),
      loadCount: this.pool.loadCount,
      batches: this.batches,
      texts: this.texts,
      rssBytes: process.memoryUsage.rss(),
      uptimeMs: Date.now() - this.started,
    };
  }

  /** Stops taking work, lets pending batches finish, unloads models. */
  async shutdown(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await this.batcher.idle();
    await this.pool.close();
    this.onShutdown();
  }
}
