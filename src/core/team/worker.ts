// `parla worker` as a library (no Electron): a BullMQ consumer of the team's chunks. Each chunk's
// still-pending texts go through the Translator (team cache first, so only misses reach the model)
// and are committed to the RedisQueue in one idempotent step. A chunk whose job is paused or
// canceled is aborted (BullMQ cancelJob); a chunk that throws is retried by BullMQ with backoff
// and, on its last attempt, translated text by text so one bad text fails alone.
import { Worker, type Job } from 'bullmq';
import { join } from 'node:path';
import { ParlaError, toErrorInfo } from '../../shared/errors.js';
import type { Translator } from '../../shared/translation.js';
import { minConfidenceOf, requestForJob } from '../jobs/job-request.js';
import { SqliteCache } from '../cache/sqlite.js';
import type { PendingText, TextOutcome } from '../queue/backend.js';
import { itemOutcome } from '../jobs/review-outcome.js';
import { memorySettings, translationPipeline, type EngineContext, type EngineTranslator } from '../state.js';
import { CHUNK_QUEUE, type ChunkData, type ChunkResult } from './chunks.js';
import type { Redis } from 'ioredis';
import { connectRedis, within, resolveTeamOptions, teamError, teamPrefix, trackDuplicates, type ResolvedTeamOptions, type TeamOptions } from './connection.js';
import { TeamLink } from './link.js';
import { redactUrl } from './redact.js';
import { RedisCache } from './redis-cache.js';
import { RedisGlossary } from './redis-glossary.js';
import { RedisMemory } from './redis-memory.js';
import { RedisQueue } from './redis-queue.js';
import { TieredCache } from './tiered-cache.js';

export interface TeamWorkerOptions extends TeamOptions {
  /** The engine without a cache in front (the worker puts the team cache there); it enforces `context.glossary`. */
  openEngine: (context: EngineContext) => Promise<EngineTranslator>;
  /** Local L1 cache lives here (`<dataDir>/parla.db`). */
  dataDir: string;
  /** Chunks translated at once by this worker. */
  concurrency?: number;
  /** BullMQ lock: a worker silent this long has its chunk taken back (stalled) and redone. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  maxStalledCount?: number;
  /** How often running chunks look at their job's status (pause/cancel reach them this fast). */
  statusPollMs?: number;
  log?: (line: string) => void;
}

export const WORKER_DEFAULTS = {
  concurrency: 1,
  lockDurationMs: 30_000,
  stalledIntervalMs: 15_000,
  maxStalledCount: 3,
  statusPollMs: 250,
} as const;

type ResolvedWorkerOptions = ResolvedTeamOptions & {
  -readonly [K in keyof typeof WORKER_DEFAULTS]: number;
} & Pick<TeamWorkerOptions, 'openEngine' | 'dataDir'> & { log: (line: string) => void };

export interface WorkerCounters {
  chunks: number;
  texts: number;
  cached: number;
  failedChunks: number;
}

export class TeamWorker {
  readonly counters: WorkerCounters = { chunks: 0, texts: 0, cached: 0, failedChunks: 0 };
  private readonly active = new Map<string, string>();
  private statusTimer: NodeJS.Timeout | undefined;
  private checking = false;
  private worker!: Worker<ChunkData, ChunkResult>;
  /** BullMQ treats a connection it is given as shared and never closes it: this worker does. */
  private workerConnection!: Redis & { dropDuplicates(): void };

  private constructor(
    private readonly o: ResolvedWorkerOptions,
    private readonly queue: RedisQueue,
    private readonly cache: TieredCache,
    private readonly translator: Translator,
    readonly link: TeamLink,
    private readonly closeEngine: () => Promise<void>,
  ) {}

  static async start(options: TeamWorkerOptions): Promise<TeamWorker> {
    const o: ResolvedWorkerOptions = {
      concurrency: options.concurrency ?? WORKER_DEFAULTS.concurrency,
      lockDurationMs: options.lockDurationMs ?? WORKER_DEFAULTS.lockDurationMs,
      stalledIntervalMs: options.stalledIntervalMs ?? WORKER_DEFAULTS.stalledIntervalMs,
      maxStalledCount: options.maxStalledCount ?? WORKER_DEFAULTS.maxStalledCount,
      statusPollMs: options.statusPollMs ?? WORKER_DEFAULTS.statusPollMs,
      ...resolveTeamOptions(options),
      openEngine: options.openEngine,
      dataDir: options.dataDir,
      log: options.log ?? (() => undefined),
    };
    if (!Number.isInteger(o.concurrency) || o.concurrency < 1) throw new ParlaError('BAD_INPUT', '--concurrency must be a whole number ≥ 1');
    const prefix = teamPrefix(o.team);
    // A worker without Redis has nothing to do: connection and auth errors end it with one line.
    const queueClient = await connectRedis(o, 'queue');
    const cacheClient = await connectRedis(o, 'cache');
    const link = new TeamLink(cacheClient, o.url);
    const cache = new TieredCache({
      local: new SqliteCache({ file: join(o.dataDir, 'parla.db') }),
      remote: new RedisCache({ client: cacheClient, prefix, ownsClient: true }),
      link,
    });
    // The team's glossary, enforced on every chunk and part of every cache key, as on each member.
    // The team's memory answers a chunk's texts before the caches, as on every member. A worker
    // only works while Redis answers, so it reads the team's memory directly, without a copy.
    // A job with `from: "auto"`: each text detected here, in front of the memory and team cache (as locally).
    const pipeline = translationPipeline(o.openEngine, {
      cache,
      glossary: new RedisGlossary({ client: queueClient, prefix }),
      glossaryReachable: () => link.status === 'online',
      memory: new RedisMemory({ client: cacheClient, prefix }),
      threshold: memorySettings(o.dataDir).threshold,
    });
    const queue = new RedisQueue({ client: queueClient, prefix, ownsClient: true });
    const self = new TeamWorker(o, queue, cache, pipeline.translator, link, () => pipeline.close());
    self.workerConnection = trackDuplicates(queueClient.duplicate());
    self.worker = new Worker<ChunkData, ChunkResult>(CHUNK_QUEUE, (job, _token, signal) => self.process(job, signal), {
      connection: self.workerConnection,
      prefix,
      concurrency: o.concurrency,
      lockDuration: o.lockDurationMs,
      stalledInterval: o.stalledIntervalMs,
      maxStalledCount: o.maxStalledCount,
    });
    self.worker.on('error', (error) => o.log(`worker: ${teamError(error, o.url).message}`));
    self.worker.on('failed', (job, error) => {
      self.counters.failedChunks += 1;
      o.log(`chunk ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${error.message}`);
    });
    self.statusTimer = setInterval(() => void self.checkStatuses(), o.statusPollMs);
    await self.worker.waitUntilReady();
    o.log(`worker ready: team ${o.team} on ${redactUrl(o.url)}, concurrency ${o.concurrency}`);
    return self;
  }

  /**
   * Stops taking chunks and lets running ones finish; after `graceMs` it stops anyway and the
   * unfinished chunks go back to the team (their locks lapse and another worker redoes them).
   */
  async close(graceMs = 30_000): Promise<void> {
    clearInterval(this.statusTimer);
    let inTime = false;
    await within(graceMs, this.worker.close().then(() => (inTime = true)));
    if (!inTime) {
      this.o.log(`handing back ${this.active.size} unfinished chunk(s)`);
      await within(Math.min(2000, graceMs), this.worker.close(true));
    }
    this.workerConnection.dropDuplicates();
    this.workerConnection.disconnect();
    await this.cache.close();
    await this.queue.close();
    await this.closeEngine();
  }

  private async process(job: Job<ChunkData, ChunkResult>, signal?: AbortSignal): Promise<ChunkResult> {
    const { jobId, lang, ids } = job.data;
    const stored = await this.queue.get(jobId);
    if (!stored || stored.record.status !== 'running') return { committed: 0, cached: 0, skipped: stored?.record.status ?? 'gone' };
    const items = await this.queue.pendingItems(jobId, ids);
    if (items.length === 0) return { committed: 0, cached: 0 };
    const started = performance.now();
    this.active.set(job.id as string, jobId);
    let outcomes: TextOutcome[];
    try {
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      outcomes = await this.translateChunk(stored.record.from, stored.spec, lang, items, last, signal);
    } finally {
      this.active.delete(job.id as string);
    }
    if (signal?.aborted) return { committed: 0, cached: 0, skipped: 'aborted' };
    await this.queue.commit(jobId, outcomes);
    const cached = outcomes.filter((o) => o.ok && o.cached).length;
    this.counters.chunks += 1;
    this.counters.texts += outcomes.length;
    this.counters.cached += cached;
    await job.updateProgress({ committed: outcomes.length, cached });
    this.o.log(`chunk ${job.id}: ${outcomes.length} texts → ${lang} (${cached} cached) in ${Math.round(performance.now() - started)} ms`);
    return { committed: outcomes.length, cached };
  }

  private async translateChunk(
    from: string,
    spec: Record<string, unknown>,
    lang: string,
    items: PendingText[],
    lastAttempt: boolean,
    signal?: AbortSignal,
  ): Promise<TextOutcome[]> {
    const request = (texts: string[]) => ({ ...requestForJob(from, spec, lang), texts });
    const minConfidence = minConfidenceOf(spec);
    try {
      const results = await this.translator.translate(request(items.map((t) => t.source)), signal);
      if (results.length !== items.length) throw new ParlaError('INTERNAL', `translator returned ${results.length} results for ${items.length} texts`);
      return items.map((t, i) => ({ id: t.id, ...itemOutcome(results[i]!, minConfidence) }));
    } catch (error) {
      // BullMQ retries the chunk with backoff; only the last attempt settles failures.
      if (!lastAttempt || signal?.aborted) throw error;
    }
    const outcomes: TextOutcome[] = [];
    for (const t of items) {
      try {
        const [r] = await this.translator.translate(request([t.source]), signal);
        outcomes.push({ id: t.id, ...itemOutcome(r!, minConfidence) });
      } catch (error) {
        if (signal?.aborted) throw error;
        outcomes.push({ id: t.id, ok: false, error: toErrorInfo(error), final: true, retryAt: 0 });
      }
    }
    return outcomes;
  }

  /** Aborts running chunks whose job is no longer running (paused or canceled elsewhere). */
  private async checkStatuses(): Promise<void> {
    // While Redis is away a look blocks until it is back; one look at a time is enough.
    if (this.checking) return;
    this.checking = true;
    try {
      for (const [chunkId, jobId] of this.active) {
        const status = await this.queue.status(jobId).catch(() => 'running' as const);
        if (status !== 'running') this.worker.cancelJob(chunkId, `job ${jobId} ${status ?? 'gone'}`);
      }
    } finally {
      this.checking = false;
    }
  }
}

/** SIGTERM/SIGINT: finish (or hand back) running chunks, then exit; a second signal exits at once. */
export function stopOnSignals(worker: TeamWorker, log: (line: string) => void, graceMs = 30_000): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (sig: NodeJS.Signals) => {
      if (stopping) process.exit(1);
      stopping = true;
      log(`${sig}: finishing running chunks (again to stop now)`);
      void worker.close(graceMs).then(resolve, (error: unknown) => {
        log(`shutdown: ${toErrorInfo(error).message}`);
        resolve();
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
