// The job record every door shows (`parla batch --json`, `parla jobs show`, GET /api/v1/jobs/:id).
// Shape fixed by DESIGN.md; timestamps are ISO-8601 strings.
import type { ErrorCode } from './errors.js';

export const JOB_STATUSES = ['queued', 'running', 'paused', 'done', 'failed', 'canceled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const JOB_ACTIONS = ['pause', 'resume', 'cancel', 'retry'] as const;
export type JobAction = (typeof JOB_ACTIONS)[number];

export interface JobProgress {
  total: number;
  done: number;
  failed: number;
  cached: number;
  /** Texts that reached the model (not cache hits, not repeats). */
  modelCalls: number;
  /** Texts per second over the recent window. */
  rate: number;
  etaSeconds: number | null;
}

export interface JobInput {
  file: string;
  sheet?: string;
  columns: string[];
}

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
}

export interface TextJobRequest {
  texts: string[];
  to: string;
  from?: string;
}

export interface FileJobRequest {
  fileName: string;
  bytes: Uint8Array;
  to: string[];
  from?: string;
  /** Header names or column letters; all text columns when absent. */
  columns?: string[];
  sheet?: string;
}

export interface JobCreated {
  id: string;
  status: 'queued';
}

export function isTerminal(status: JobStatus): boolean {
  return status === 'done' || status === 'failed' || status === 'canceled';
}

/** Which actions make sense in a status; the UI greys out the rest, the queue answers CONFLICT. */
export function allowedActions(status: JobStatus): JobAction[] {
  switch (status) {
    case 'queued':
    case 'running':
      return ['pause', 'cancel'];
    case 'paused':
      return ['resume', 'cancel'];
    case 'failed':
    case 'canceled':
      return ['retry'];
    case 'done':
      return [];
  }
}
