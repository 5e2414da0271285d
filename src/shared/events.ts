// Events pushed from the services to every door: job progress (SSE, IPC) and model downloads.
import type { JobRecord } from './jobs.js';

export type ParlaEvent =
  | { type: 'job'; job: JobRecord }
  | { type: 'model-progress'; id: string; receivedBytes: number; totalBytes: number | null }
  | { type: 'model-done'; id: string }
  | { type: 'model-failed'; id: string; error: { code: string; message: string } };

export interface EventFilter {
  /** Only events about this job. */
  jobId?: string;
}

export type Unsubscribe = () => void;

export function matchesFilter(event: ParlaEvent, filter: EventFilter | undefined): boolean {
  if (!filter?.jobId) return true;
  return event.type === 'job' && event.job.id === filter.jobId;
}

/** The SSE event name docs/contracts.md gives a job event: progress, done or failed (canceled ends as failed). */
export function sseNameFor(job: JobRecord): 'progress' | 'done' | 'failed' {
  if (job.status === 'done') return 'done';
  if (job.status === 'failed' || job.status === 'canceled') return 'failed';
  return 'progress';
}
