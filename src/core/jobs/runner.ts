// The job runner: drives one job from its queue backend to the end. Distinct texts go to the
// translator (normally a CachedTranslator) in model-sized batches; each batch's outcomes are
// committed atomically, so a killed process resumes at the last committed batch. Pause and cancel
// may come from another process: the runner re-reads the job's status between batches.
import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ParlaError, toErrorInfo } from '../../shared/errors.js';
import { isFinalStatus, type JobRecord } from '../../shared/jobs.js';
import type { Translator } from '../../shared/translation.js';
import { minConfidenceOf, requestForJob } from './job-request.js';
import { itemOutcome } from './review-outcome.js';
import type { HistoryStore } from '../history/store.js';
import type { JobOwner, PendingText, QueueBackend, TextOutcome } from '../queue/backend.js';
import { JobControl, type RunClock } from './job-control.js';
import type { SourceFactory } from './source.js';

export interface JobRunnerOptions {
  queue: QueueBackend;
  translator: Translator;
  sourceFor: SourceFactory;
  /** Gets one summary entry per finished job. */
  history?: HistoryStore;
  /** Distinct texts per model call. */
  batchSize?: number;
  /**
   * Model calls in flight at once. With 2, the next batch is already on the model host while
   * the last one's results are being committed, and the host's lanes never wait for the runner.
   */
  pipelineDepth?: number;
  /** Tries per text before it is marked failed. */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** How often to look at a job another live process is running. */
  pollMs?: number;
  owner?: JobOwner;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const RUNNER_DEFAULTS = {
  // Big enough that the model host splits one call into several groups and keeps all its lanes
  // busy (64 left one lane idle at the end of every call: bench:batch 4.4 s vs 5.0 s for 1,000
  // rows); small enough that pause and progress still answer within about a second.
  batchSize: 256,
  pipelineDepth: 2,
  maxAttempts: 3,
  backoffMs: 500,
  maxBackoffMs: 30_000,
  pollMs: 250,
} as const;

/**
 * Progress promise: an event at least every second, and at least every 1 % of a job. A batch
 * is at most 1 % of the job's items (a 6,000-row job moves in 60-row steps, not 2 × 256), but
 * never under one full model-host group (maxBatchSentences), so the host's lanes stay fed.
 */
export const PROGRESS_EVERY_MS = 1000;
const PROGRESS_STEP = 0.01;
const MIN_BATCH = 32;

/** Texts per model call for a job of `total` items. */
export function batchSizeFor(total: number, batchSize: number): number {
  return Math.min(batchSize, Math.max(MIN_BATCH, Math.ceil(total * PROGRESS_STEP)));
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Waits for `work`, calling `beat` every PROGRESS_EVERY_MS meanwhile. A wall-clock timer, not
 * the injected sleep: a test's sleep that only advances a fake clock would spin here.
 */
async function heartbeat<T>(work: Promise<T>, beat: () => void): Promise<T> {
  const timer = setInterval(beat, PROGRESS_EVERY_MS);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

export class JobRunner extends JobControl {
  private readonly o: Required<Omit<JobRunnerOptions, 'history'>> & Pick<JobRunnerOptions, 'history'>;
  /** In-process runs, so cancel can abort the batch in flight instead of waiting for it. */
  private readonly active = new Map<string, AbortController>();

  constructor(options: JobRunnerOptions) {
    const o = {
      ...RUNNER_DEFAULTS,
      owner: { id: randomUUID(), pid: process.pid },
      now: Date.now,
      sleep: defaultSleep,
      ...options,
    };
    super(o.queue, o.history, o.now);
    this.o = o;
  }

  /** Runs (or resumes) a job until it is done, failed, paused or canceled; returns its record. */
  async run(jobId: string, signal?: AbortSignal): Promise<JobRecord> {
    const { queue, owner } = this.o;
    const stored = await this.mustGet(jobId);
    if (isFinalStatus(stored.record.status)) return stored.record;
    if (!(await queue.acquire(jobId, owner))) return this.follow(jobId, signal);

    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    this.active.set(jobId, controller);
    let unlock = () => {};
    try {
      // Before it counts as running: a second job onto one output fails here, its output untouched.
      unlock = this.lockOutput(stored.record);
      await queue.setStatus(jobId, 'running', { error: null });
      return await this.drive(jobId, controller.signal);
    } catch (error) {
      if (controller.signal.aborted) return (await this.mustGet(jobId)).record;
      const record = await queue.setStatus(jobId, 'failed', { error: toErrorInfo(error) });
      this.publish('failed', record);
      return record;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      unlock();
      this.active.delete(jobId);
      await queue.release(jobId, owner.id);
    }
  }

  /** Aborts the batch in flight instead of waiting for it. */
  protected onCanceled(jobId: string): void {
    this.active.get(jobId)?.abort(new ParlaError('CANCELED', `job ${jobId} canceled`));
  }

  private async drive(jobId: string, signal: AbortSignal): Promise<JobRecord> {
    const { queue } = this.o;
    // A run starts from the request that created the job: its reply goes out before the work
    // of reading the job (a text job's spec holds every text) begins.
    await nextTurn();
    let job = await this.mustGet(jobId);
    const source = this.o.sourceFor(job);
    // The model loads (host start, weights) while the file is read, not after. Best effort: a
    // failure to load shows up again, with its message, on the first batch.
    const { from, to } = job.record;
    if (to[0]) {
      const { spec } = job;
      void this.o.translator.warm?.(requestForJob(from, spec, to[0])).catch(() => undefined);
    }
    if (!job.ingested) {
      await queue.resetItems(jobId);
      await source.ingest((texts) => queue.addTexts(jobId, texts), signal);
      await queue.finishIngest(jobId);
      job = await this.mustGet(jobId);
    }
    const p = job.record.progress;
    const clock: RunClock = { startedAt: this.o.now(), settledAtStart: p.done + p.failed };
    this.publish('progress', this.withRate(job.record, clock));
    // Heartbeats re-read the job: a pause or cancel from any door must not be shown as running
    // again. One that reads before a batch lands and answers after it stays quiet.
    let landed = 0;
    const beat = () => {
      const seen = landed;
      void this.mustGet(jobId).then(
        ({ record }) => record.status === 'running' && seen === landed && this.publish('progress', this.withRate(record, clock)),
        () => undefined,
      );
    };
    const batchSize = batchSizeFor(p.total, this.o.batchSize);

    // Batches in flight, oldest first; each is committed in turn once its translations are in.
    const flights: { batch: PendingText[]; outcomes: Promise<TextOutcome[]> }[] = [];
    const inFlight = new Set<PendingText['id']>();
    const land = async (): Promise<boolean> => {
      const flight = flights.shift()!;
      // A batch that takes long still gives a progress event (rate, ETA) every second.
      const outcomes = await heartbeat(flight.outcomes, beat);
      if (signal.aborted) return false;
      landed += 1;
      await queue.commit(jobId, outcomes);
      for (const t of flight.batch) inFlight.delete(t.id);
      this.publish('progress', this.withRate((await this.mustGet(jobId)).record, clock));
      return true;
    };
    for (;;) {
      // A batch answered from the cache never waits on I/O: without this turn, a job of cached
      // texts would hold the event loop (and every request to this process) to its end.
      await nextTurn();
      const status = (await this.mustGet(jobId)).record.status;
      if (status === 'paused' || status === 'canceled') {
        // What is already translating still lands: nothing is asked of the model twice.
        while (flights.length && (await land()));
        const record = (await this.mustGet(jobId)).record;
        this.publish(status, record);
        return record;
      }
      while (flights.length < this.o.pipelineDepth) {
        // The queue does not know what is in flight: ask for that many more and skip them.
        const fetched = await queue.nextTexts(jobId, batchSize + inFlight.size, this.o.now());
        const batch = fetched.filter((t) => !inFlight.has(t.id)).slice(0, batchSize);
        if (batch.length === 0) break;
        for (const t of batch) inFlight.add(t.id);
        flights.push({ batch, outcomes: this.translateBatch(job.record.from, job.spec, batch, signal) });
      }
      if (flights.length) {
        if (!(await land())) return (await this.mustGet(jobId)).record;
        continue;
      }
      const retryAt = await queue.nextRetryAt(jobId);
      if (retryAt === undefined) break;
      await this.o.sleep(Math.max(0, retryAt - this.o.now()), signal);
      if (signal.aborted) return (await this.mustGet(jobId)).record;
    }

    if (source.writeOutput) await source.writeOutput((lang, keys) => queue.lookup(jobId, lang, keys), signal);
    return this.finish(jobId, clock);
  }

  private async translateBatch(
    from: string,
    spec: Record<string, unknown>,
    batch: PendingText[],
    signal: AbortSignal,
  ): Promise<TextOutcome[]> {
    const lang = (batch[0] as PendingText).lang;
    try {
      const results = await this.o.translator.translate({ ...requestForJob(from, spec, lang), texts: batch.map((t) => t.source) }, signal);
      if (results.length !== batch.length) {
        throw new ParlaError('INTERNAL', `translator returned ${results.length} results for ${batch.length} texts`);
      }
      const minConfidence = minConfidenceOf(spec);
      return batch.map((t, i) => ({ id: t.id, ...itemOutcome(results[i]!, minConfidence) }));
    } catch (error) {
      const info = toErrorInfo(error);
      const now = this.o.now();
      return batch.map((t) => ({
        id: t.id,
        ok: false,
        error: info,
        final: t.attempts + 1 >= this.o.maxAttempts,
        retryAt: now + Math.min(this.o.maxBackoffMs, this.o.backoffMs * 2 ** t.attempts),
      }));
    }
  }

  /** Watches a job that another live process is running, until it stops. */
  private async follow(jobId: string, signal?: AbortSignal): Promise<JobRecord> {
    for (;;) {
      const { record } = await this.mustGet(jobId);
      if (isFinalStatus(record.status) || record.status === 'paused' || signal?.aborted) return record;
      this.publish('progress', record);
      await this.o.sleep(this.o.pollMs, signal);
      // The other process may have died without finishing: take the job over.
      if (await this.o.queue.acquire(jobId, this.o.owner)) {
        await this.o.queue.release(jobId, this.o.owner.id);
        return this.run(jobId, signal);
      }
    }
  }
}
