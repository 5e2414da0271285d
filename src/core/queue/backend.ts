// The job queue seam: SQLite on one machine, BullMQ on Redis for a team. A job's items are its
// distinct texts per target language (repeats only raise a text's `count`), so a text is
// translated once per job however often it occurs. Both backends pass test/state/queue-contract.ts.
import type { ErrorInfo } from '../../shared/errors.js';
import type { ItemTranslation, JobInput, JobRecord, JobStatus } from '../../shared/jobs.js';
import type { TranslationFlag } from '../../shared/translation.js';

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
  /** A translation with review flags counts towards `progress.flagged`. */
  | { id: number; ok: true; text: string; cached: boolean; memory?: boolean; flags?: TranslationFlag[]; confidence?: number }
  /** `final`: no attempts left, the item is failed; otherwise it waits `retryAt` (epoch ms). */
  | { id: number; ok: false; error: ErrorInfo; final: boolean; retryAt: number };

export interface FailureGroup {
  lang: string;
  error: ErrorInfo;
  /** Items (occurrences) that failed this way. */
  count: number;
}

/** A stored item error (JSON) as ErrorInfo; a missing or unreadable one is said so, not hidden. */
export function parseError(stored: string | null | undefined): ErrorInfo {
  try {
    const e = JSON.parse(stored ?? '') as Partial<ErrorInfo>;
    if (typeof e.code === 'string' && typeof e.message === 'string') return { name: e.name ?? 'ParlaError', code: e.code, message: e.message };
  } catch {
    // falls through
  }
  return { name: 'Error', code: 'INTERNAL', message: 'no reason was recorded' };
}

/** What the queue keeps of an item's review: its flags and confidence (JSON), null when there is nothing to keep. */
export function storedReview(o: { flags?: readonly TranslationFlag[]; confidence?: number }): string | null {
  const flags = o.flags ?? [];
  if (flags.length === 0 && o.confidence === undefined) return null;
  return JSON.stringify({ flags, ...(o.confidence !== undefined ? { confidence: o.confidence } : {}) });
}

/** A done item as its translation and review; a missing or unreadable review reads as clean. */
export function itemTranslation(text: string, review: string | null | undefined): ItemTranslation {
  if (!review) return { text, flags: [] };
  try {
    const r = JSON.parse(review) as { flags?: unknown; confidence?: unknown };
    const flags = Array.isArray(r.flags) ? (r.flags.filter((f) => typeof f === 'string') as TranslationFlag[]) : [];
    return { text, flags, ...(typeof r.confidence === 'number' ? { confidence: r.confidence } : {}) };
  } catch {
    return { text, flags: [] };
  }
}

/** Groups sorted most rows first, then by language: the order a person should read them in. */
export function sortFailures(groups: FailureGroup[]): FailureGroup[] {
  return groups.sort((a, b) => b.count - a.count || a.lang.localeCompare(b.lang) || a.error.message.localeCompare(b.error.message));
}

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
  /** Why items failed: one group per target language and error, with the rows it covers, most first. */
  failures(jobId: string): Promise<FailureGroup[]>;
  /** Translations with their flags, aligned with `keys` (undefined where not done). */
  lookup(jobId: string, lang: string, keys: readonly string[]): Promise<(ItemTranslation | undefined)[]>;

  setStatus(jobId: string, status: JobStatus, patch?: { error?: ErrorInfo | null; output?: string }): Promise<JobRecord>;

  /** Deletes the job and its items (its files are the caller's); false when there was no such job. */
  remove(jobId: string): Promise<boolean>;

  /** Takes the job's run lease unless a live owner holds it. */
  acquire(jobId: string, owner: JobOwner): Promise<boolean>;
  release(jobId: string, ownerId: string): Promise<void>;
  close(): Promise<void>;
}
