// Job record contract (docs/contracts.md): `parla batch --json`, `parla jobs show ID --json`,
// `GET /api/v1/jobs/:id` and IPC all return exactly this shape.
import type { ErrorCode } from './errors.js';
import type { TranslationFlag } from './translation.js';

export const JOB_STATUSES = ['queued', 'running', 'paused', 'done', 'failed', 'canceled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses a job never leaves on its own. */
export const FINAL_STATUSES: readonly JobStatus[] = ['done', 'failed', 'canceled'];

export interface JobProgress {
  /** Items (cell × target language, or text × target language) in the job. */
  total: number;
  /** Items translated so far (repeats of one text count once each). */
  done: number;
  /** Items whose text failed after every retry. */
  failed: number;
  /**
   * Items whose translation carries a review flag (docs/review.md), or that were left empty
   * under the job's minimum confidence. Absent from records made before flags were counted.
   */
  flagged?: number;
  /** Unique texts answered by the cache. */
  cached: number;
  /** Unique texts answered by the translation memory (docs/memory.md). Absent from records made before it. */
  memory?: number;
  /** Unique texts that reached the model (not cache hits, not repeats). */
  modelCalls: number;
  /** Items per second over the current run. */
  rate: number;
  /** null until a rate is known. */
  etaSeconds: number | null;
}

export interface JobInput {
  file: string;
  sheet?: string;
  columns: string[];
}

/** Where a job's items are translated: this machine's queue, or the team's (team mode). */
export type JobPlace = 'local' | 'team';

export interface JobRecord {
  id: string;
  status: JobStatus;
  createdAt: string;
  updatedAt: string;
  from: string;
  to: string[];
  input?: JobInput;
  output?: string;
  progress: JobProgress;
  error?: { code: ErrorCode; message: string };
  /** 'team' for a job on the team's queue (shown by an app or server in team mode); absent for local jobs. */
  place?: JobPlace;
}

export type JobEventType = 'progress' | 'done' | 'failed' | 'paused' | 'canceled';

export interface JobEvent {
  type: JobEventType;
  job: JobRecord;
}

export function isFinalStatus(status: JobStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** A job item's translation as the queue keeps it: the text and why a person should look at it. */
export interface ItemTranslation {
  /** Empty when the job's minimum confidence left the item untranslated. */
  text: string;
  /** `[]` when clean. */
  flags: TranslationFlag[];
  confidence?: number;
}

/**
 * A text job's result (`GET /api/v1/jobs/:id/result`, a JSON file): each target language's
 * translations in the order of the job's texts; null where a text has none (it failed).
 */
export interface TextJobResult {
  id: string;
  translations: Record<string, (string | null)[]>;
}
