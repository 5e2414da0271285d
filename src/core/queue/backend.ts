// The job queue seam: SQLite on one machine, BullMQ on Redis for a team. A job's items are its
// distinct texts per target language (repeats only raise a text's `count`), so a text is
// translated once per job however often it occurs. Both backends pass test/state/queue-contract.ts.
import type { ErrorInfo } from '../../shared/errors.js';
import type { JobInput, JobRecord, JobStatus } from '../../shared/jobs.js';

export interface NewJob {
  /** Identifies "the same batch again" (input path+size+mtime, output, options) for resuming. */
  key?: string;
  from: string;
  to: string[];
  input?: JobInput;
  output?: string;
  /** What the runner needs to rebuild the job's source after a restart (JSON-safe). */
  spec: Record<string, unknown>;
}

export interface StoredJob {
  record: JobRecord;
  key?: string;
  spec: Record<string, unknown>;
  /** All items were added; until then a restarted runner re-ingests from scratch. */
  ingested: boolean;
}

export interface NewText {
  lang: string;
  /** Dedupe key within (job, lang): a hash of the normalised source. */
  key: string;
  source: string;
  /** Occurrences this call adds (defaults to 1). */
  count?: number;
}

export interface PendingText {
  id: number;
  lang: string;
  source: string;
  attempts: number;
}

export type TextOutcome =
  | { id: number; ok: true; text: string; cached: boolean }
  /** `final`: no attempts left, the item is failed; otherwise it waits `retryAt` (epoch ms). */
  | { id: number; ok: false; error: ErrorInfo; final: boolean; retryAt: number };

export interface JobOwner {
  id: string;
  pid: number;
}

export interface QueueBackend {
  create(job: NewJob): Promise<JobRecord>;
  get(id: string): Promise<StoredJob | undefined>;
  /** Newest first. */
  list(): Promise<JobRecord[]>;
  /** The newest unfinished (not done/canceled) job with this key. */
  findResumable(key: string): Promise<JobRecord | undefined>;

  /** Drops items of a half-ingested job so ingestion can start over. */
  resetItems(jobId: string): Promise<void>;
  addTexts(jobId: string, texts: readonly NewText[]): Promise<void>;
  /** Marks ingestion complete; progress.total becomes the sum of counts. */
  finishIngest(jobId: string): Promise<void>;

  /**
   * Up to `limit` pending texts of one target language due at `now`: fresh texts first (in
   * insertion order), then retries. A retried text is returned alone, so one bad
   * text cannot fail a whole batch again.
   */
  nextTexts(jobId: string, limit: number, now: number): Promise<PendingText[]>;
  /** Epoch ms of the earliest pending retry, or undefined when none waits. */
  nextRetryAt(jobId: string): Promise<number | undefined>;
  /** Applies one batch's outcomes and the progress counters in one atomic step. */
  commit(jobId: string, outcomes: readonly TextOutcome[]): Promise<void>;
  /** Failed items go back to pending with fresh attempts; returns how many texts. */
  retryFailed(jobId: string): Promise<number>;
  /** Translations aligned with `keys` (undefined where not done). */
  lookup(jobId: string, lang: string, keys: readonly string[]): Promise<(string | undefined)[]>;

  setStatus(jobId: string, status: JobStatus, patch?: { error?: ErrorInfo | null; output?: string }): Promise<JobRecord>;

  /** Deletes the job and its items (its files are the caller's); false when there was no such job. */
  remove(jobId: string): Promise<boolean>;

  /** Takes the job's run lease unless a live owner holds it. */
  acquire(jobId: string, owner: JobOwner): Promise<boolean>;
  release(jobId: string, ownerId: string): Promise<void>;
  close(): Promise<void>;
}
