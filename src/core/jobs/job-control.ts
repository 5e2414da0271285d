// What the local JobRunner and the team's TeamRunner share: reading a job, the JobEvents every
// door listens to, pause/resume/cancel/retry over the queue backend, the progress rate, and the
// end of a job (done, or failed when nothing got done, with one history summary). Each runner
// supplies `run` and what cancel and pause must also do on its side.
import { EventEmitter } from 'node:events';
import { ParlaError } from '../../shared/errors.js';
import { isFinalStatus, type JobEvent, type JobEventType, type JobRecord } from '../../shared/jobs.js';
import type { HistoryStore } from '../history/store.js';
import type { FailureGroup, QueueBackend, StoredJob } from '../queue/backend.js';
import { lockOutput } from '../output-file.js';
import { jobSummaryEntry } from './summary.js';

/** Where a run started, for its rate: the time and the items already settled then. */
export interface RunClock {
  startedAt: number;
  settledAtStart: number;
}

export declare interface JobControl {
  on(event: 'event', listener: (event: JobEvent) => void): this;
  emit(event: 'event', payload: JobEvent): boolean;
}

export abstract class JobControl extends EventEmitter {
  /** `summaryBy` ends the history summary's text (" by the team"). */
  constructor(
    private readonly jobs: QueueBackend,
    private readonly history: HistoryStore | undefined,
    protected readonly now: () => number,
    private readonly summaryBy = '',
  ) {
    super();
  }

  /** Runs (or resumes) a job until it is done, failed, paused or canceled; returns its record. */
  abstract run(jobId: string, signal?: AbortSignal): Promise<JobRecord>;

  /** What else a cancel does on this runner's side once the job is marked canceled. */
  protected abstract onCanceled(jobId: string): Promise<void> | void;

  /** Called after pause and cancel change the status, for a runner that waits on its job. */
  protected onStatusChanged(_jobId: string): void {}

  async pause(jobId: string): Promise<JobRecord> {
    const job = await this.mustGet(jobId);
    if (isFinalStatus(job.record.status)) return job.record;
    const record = await this.jobs.setStatus(jobId, 'paused');
    this.onStatusChanged(jobId);
    return record;
  }

  /** Sets a paused (or interrupted) job going again and returns when it ends. */
  async resume(jobId: string, signal?: AbortSignal): Promise<JobRecord> {
    const job = await this.mustGet(jobId);
    if (job.record.status === 'paused') await this.jobs.setStatus(jobId, 'queued');
    return this.run(jobId, signal);
  }

  async cancel(jobId: string): Promise<JobRecord> {
    const job = await this.mustGet(jobId);
    if (isFinalStatus(job.record.status)) return job.record;
    const record = await this.jobs.setStatus(jobId, 'canceled');
    await this.onCanceled(jobId);
    this.publish('canceled', record);
    this.onStatusChanged(jobId);
    return record;
  }

  /**
   * Puts failed items back in the queue and runs the job again: a failed job retries its failed
   * rows, a canceled one also translates the rows it never reached (its work so far is kept).
   */
  async retry(jobId: string, signal?: AbortSignal): Promise<JobRecord> {
    await this.mustGet(jobId);
    await this.jobs.retryFailed(jobId);
    await this.jobs.setStatus(jobId, 'queued', { error: null });
    return this.run(jobId, signal);
  }

  /** Jobs this process runs now (it holds their lease), as opposed to ones it only follows. */
  private readonly runningHere = new Set<string>();

  /** True while this process runs the job; a job another process runs (or none) is not ours to pause on close. */
  drives(jobId: string): boolean {
    return this.runningHere.has(jobId);
  }

  /**
   * Takes the lock on the job's output file for the run (a CONFLICT naming the job that holds
   * it otherwise); returns its release. Jobs without an output file lock nothing. Every runner
   * takes it once it holds the job's lease and releases it when the run ends: that span is
   * what `drives` reports.
   */
  protected lockOutput(record: JobRecord): () => void {
    const release = record.output ? lockOutput(record.output, record.id) : () => {};
    this.runningHere.add(record.id);
    return () => {
      this.runningHere.delete(record.id);
      release();
    };
  }

  /**
   * Once every item is settled: done, or failed when nothing got done; one history summary. A job
   * with failed items keeps why in `error` (done with failures: the reasons grouped, most rows first).
   */
  protected async finish(jobId: string, clock: RunClock): Promise<JobRecord> {
    const { progress } = (await this.mustGet(jobId)).record;
    const allFailed = progress.total > 0 && progress.done === 0 && progress.failed > 0;
    const failures = progress.failed > 0 ? await this.jobs.failures(jobId) : [];
    const record = await this.jobs.setStatus(jobId, allFailed ? 'failed' : 'done', {
      error: failures.length ? { name: 'ParlaError', code: failures[0]!.error.code, message: describeFailures(failures) } : null,
    });
    this.history?.record([jobSummaryEntry(record, this.summaryBy)]);
    const final = this.withRate(record, clock);
    this.publish(allFailed ? 'failed' : 'done', final);
    return final;
  }

  /** The record with its rate (items settled per second this run) and ETA filled in. */
  protected withRate(record: JobRecord, clock: RunClock): JobRecord {
    const p = record.progress;
    const seconds = (this.now() - clock.startedAt) / 1000;
    const rate = seconds > 0 ? (p.done + p.failed - clock.settledAtStart) / seconds : 0;
    const left = p.total - p.done - p.failed;
    return { ...record, progress: { ...p, rate, etaSeconds: rate > 0 ? left / rate : left === 0 ? 0 : null } };
  }

  protected publish(type: JobEventType, job: JobRecord): void {
    this.emit('event', { type, job });
  }

  protected async mustGet(jobId: string): Promise<StoredJob> {
    const job = await this.jobs.get(jobId);
    if (!job) throw new ParlaError('NOT_FOUND', `no job ${jobId}`);
    return job;
  }
}

/** "es: 400 rows: no model for en→fr …; fr: 2 rows: timeout": at most three reasons, the rest counted. */
export function describeFailures(groups: readonly FailureGroup[]): string {
  const rows = (n: number) => `${n} ${n === 1 ? 'row' : 'rows'}`;
  const shown = groups.slice(0, 3).map((g) => `${g.lang}: ${rows(g.count)}: ${g.error.message}`);
  const rest = groups.slice(3).reduce((n, g) => n + g.count, 0);
  return shown.join('; ') + (rest ? `; ${rows(rest)} more for other reasons` : '');
}
