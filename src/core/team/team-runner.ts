// The submitter's side of a team job. It ingests the input where the file is (this machine),
// splits the job's pending items into BullMQ chunks for the team's workers, follows progress
// (QueueEvents wake it; the RedisQueue's counters are the truth), re-sends chunks BullMQ gave up
// on or lost, and once every item is settled writes the output here, like the local JobRunner.
// It emits the same JobEvents as JobRunner, so every door shows a team job like a local one.
import { randomUUID } from 'node:crypto';
import type { Queue, QueueEvents } from 'bullmq';
import { toErrorInfo } from '../../shared/errors.js';
import { isFinalStatus, type JobRecord } from '../../shared/jobs.js';
import type { HistoryStore } from '../history/store.js';
import { JobControl } from '../jobs/job-control.js';
import type { SourceFactory } from '../jobs/source.js';
import type { JobOwner } from '../queue/backend.js';
import { CHUNK_DEFAULTS, chunkIdPrefix, chunkJobOptions, splitChunks, type ChunkData, type ChunkPolicy, type ChunkResult } from './chunks.js';
import type { RedisQueue } from './redis-queue.js';

export interface TeamRunnerOptions extends Partial<ChunkPolicy> {
  queue: RedisQueue;
  chunks: Queue<ChunkData, ChunkResult>;
  /** Wakes the runner as chunks progress; without it the runner only polls. */
  events?: QueueEvents;
  sourceFor: SourceFactory;
  history?: HistoryStore;
  /** Longest wait between looks at the job's counters. */
  pollMs?: number;
  /** How often to check that every unsettled item still has a live chunk. */
  reconcileMs?: number;
  owner?: JobOwner;
}

export const TEAM_RUNNER_DEFAULTS = { pollMs: 500, reconcileMs: 3000 } as const;

interface LiveChunk {
  lang: string;
  ids: number[];
}

export class TeamRunner extends JobControl {
  private readonly o: Required<Omit<TeamRunnerOptions, 'history' | 'events'>> & Pick<TeamRunnerOptions, 'history' | 'events'>;
  /** Chunks sent per job by this process, so they can be checked, re-sent or withdrawn. */
  private readonly live = new Map<string, Map<string, LiveChunk>>();
  private readonly wakers = new Map<string, () => void>();

  constructor(options: TeamRunnerOptions) {
    const o = {
      ...CHUNK_DEFAULTS,
      ...TEAM_RUNNER_DEFAULTS,
      owner: { id: randomUUID(), pid: process.pid },
      ...options,
    };
    super(o.queue, o.history, Date.now, ' by the team');
    this.o = o;
    this.o.events?.on('progress', ({ jobId }) => this.wake(jobId));
    this.o.events?.on('completed', ({ jobId }) => this.wake(jobId));
    this.o.events?.on('failed', ({ jobId }) => this.wake(jobId));
  }

  async run(jobId: string, signal?: AbortSignal): Promise<JobRecord> {
    const { queue, owner } = this.o;
    const stored = await this.mustGet(jobId);
    if (isFinalStatus(stored.record.status)) return stored.record;
    if (!(await queue.acquire(jobId, owner))) return this.follow(jobId, signal);
    // The lease expires unless renewed, so a dead submitter's job can be resumed elsewhere.
    const renew = setInterval(() => void queue.acquire(jobId, owner).catch(() => undefined), Math.max(1000, queue.leaseMs / 3));
    let unlock = () => {};
    try {
      // Before it counts as running: a second job onto one output fails here, its output untouched.
      unlock = this.lockOutput(stored.record);
      await queue.setStatus(jobId, 'running', { error: null });
      return await this.drive(jobId, signal);
    } catch (error) {
      if (signal?.aborted) return (await this.mustGet(jobId)).record;
      const record = await queue.setStatus(jobId, 'failed', { error: toErrorInfo(error) });
      this.publish('failed', record);
      return record;
    } finally {
      clearInterval(renew);
      unlock();
      this.live.delete(jobId);
      await queue.release(jobId, owner.id).catch(() => undefined);
    }
  }

  /** Withdraws the job's waiting chunks (workers abort its running ones on seeing the status). */
  protected onCanceled(jobId: string): Promise<void> {
    return this.withdraw(jobId);
  }

  /** The runner naps between looks at its job: a pause or cancel wakes it. */
  protected override onStatusChanged(jobId: string): void {
    this.wake(jobId);
  }

  private async drive(jobId: string, signal?: AbortSignal): Promise<JobRecord> {
    const { queue } = this.o;
    let job = await this.mustGet(jobId);
    const source = this.o.sourceFor(job);
    const abort = signal ?? new AbortController().signal;
    if (!job.ingested) {
      await queue.resetItems(jobId);
      await source.ingest((texts) => queue.addTexts(jobId, texts), abort);
      await queue.finishIngest(jobId);
      job = await this.mustGet(jobId);
    }
    const clock = { startedAt: this.now(), settledAtStart: job.record.progress.done + job.record.progress.failed };
    await this.send(jobId, await queue.pendingIds(jobId));
    this.publish('progress', this.withRate(job.record, clock));

    let lastSettled = -1;
    let reconcileAt = Date.now() + this.o.reconcileMs;
    for (;;) {
      const { record } = await this.mustGet(jobId);
      if (record.status === 'paused' || record.status === 'canceled') {
        if (record.status === 'canceled') await this.withdraw(jobId);
        this.publish(record.status, record);
        return record;
      }
      const p = record.progress;
      if (p.done + p.failed !== lastSettled) {
        lastSettled = p.done + p.failed;
        this.publish('progress', this.withRate(record, clock));
        // Chunks are only checked once progress stalls: a busy team costs no extra round trips.
        reconcileAt = Date.now() + this.o.reconcileMs;
      }
      if (p.done + p.failed >= p.total) break;
      if (signal?.aborted) return record;
      if (Date.now() >= reconcileAt) {
        await this.reconcile(jobId);
        reconcileAt = Date.now() + this.o.reconcileMs;
      }
      await this.nap(jobId, signal);
    }

    if (source.writeOutput) await source.writeOutput((lang, keys) => queue.lookup(jobId, lang, keys), abort);
    return this.finish(jobId, clock);
  }

  /** Adds chunks for these items; each chunk id is new, so a re-send never collides with an old chunk. */
  private async send(jobId: string, items: readonly { id: number; lang: string }[]): Promise<void> {
    if (items.length === 0) return;
    const live = this.live.get(jobId) ?? new Map<string, LiveChunk>();
    this.live.set(jobId, live);
    const batch = splitChunks(items, this.o.chunkSize).map((c) => {
      const id = `${chunkIdPrefix(jobId)}${c.ids[0]}_${randomUUID().slice(0, 8)}`;
      live.set(id, c);
      return { name: 'chunk', data: { jobId, lang: c.lang, ids: c.ids }, opts: chunkJobOptions(this.o, id) };
    });
    await this.o.chunks.addBulk(batch);
  }

  /**
   * Re-sends the unsettled items of chunks BullMQ no longer holds (completed without committing,
   * lost in a Redis restart) or gave up on (failed after stalling too often). Commits are
   * idempotent, so an item that ends up in two chunks is still counted and written once.
   */
  private async reconcile(jobId: string): Promise<void> {
    const live = this.live.get(jobId);
    if (!live) return;
    const resend: { id: number; lang: string }[] = [];
    for (const [chunkId, chunk] of [...live]) {
      const state = await this.o.chunks.getJobState(chunkId);
      if (state !== 'unknown' && state !== 'failed' && state !== 'completed') continue;
      live.delete(chunkId);
      const pending = await this.o.queue.pendingItems(jobId, chunk.ids);
      resend.push(...pending.map((t) => ({ id: t.id, lang: t.lang })));
    }
    await this.send(jobId, resend);
  }

  private async withdraw(jobId: string): Promise<void> {
    const live = this.live.get(jobId);
    if (!live) return;
    for (const chunkId of live.keys()) {
      // An active chunk is locked and cannot be removed; its worker aborts it on seeing the status.
      await this.o.chunks.remove(chunkId).catch(() => 0);
    }
    live.clear();
  }

  /** Watches a job another live submitter is running, until it stops or its lease lapses. */
  private async follow(jobId: string, signal?: AbortSignal): Promise<JobRecord> {
    for (;;) {
      const { record } = await this.mustGet(jobId);
      if (isFinalStatus(record.status) || record.status === 'paused' || signal?.aborted) return record;
      this.publish('progress', record);
      await this.nap(jobId, signal);
      if (await this.o.queue.acquire(jobId, this.o.owner)) {
        await this.o.queue.release(jobId, this.o.owner.id);
        return this.run(jobId, signal);
      }
    }
  }

  private nap(jobId: string, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(jobId);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, this.o.pollMs);
      this.wakers.set(jobId, done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private wake(chunkOrJobId: string): void {
    const jobId = chunkOrJobId.includes('_') ? chunkOrJobId.slice(0, chunkOrJobId.indexOf('_')) : chunkOrJobId;
    this.wakers.get(jobId)?.();
  }
}
