// A team job travels as BullMQ jobs ("chunks") on one queue per team: each names a slice of the
// job's items, which any worker picks up, translates and commits to the RedisQueue. BullMQ owns
// delivery, locks, retries with backoff and stalled-chunk recovery.
import { Queue, QueueEvents, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';

export const CHUNK_QUEUE = 'chunks';

export interface ChunkData {
  jobId: string;
  lang: string;
  /** Item ids (RedisQueue) this chunk covers; a worker translates those still pending. */
  ids: number[];
}

export interface ChunkResult {
  committed: number;
  cached: number;
  /** Why nothing was done: the job was paused, canceled or is gone. */
  skipped?: string;
}

export interface ChunkPolicy {
  /** Distinct texts per chunk: large enough for model batching, small enough to spread. */
  chunkSize: number;
  /** Tries per chunk before its texts are tried one by one and failures become final. */
  attempts: number;
  /** First retry delay (exponential backoff). */
  backoffMs: number;
}

export const CHUNK_DEFAULTS: ChunkPolicy = { chunkSize: 50, attempts: 3, backoffMs: 500 };

export function chunkJobOptions(policy: ChunkPolicy, jobId: string): JobsOptions {
  return {
    jobId,
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs },
    // Completed chunks carry nothing the RedisQueue does not hold; failed ones stay a while for diagnosis.
    removeOnComplete: true,
    removeOnFail: { age: 24 * 3600 },
  };
}

/** Chunk ids start with the job id, so a submitter can pick its own chunks out of the event stream. */
export function chunkIdPrefix(jobId: string): string {
  return `${jobId}_`;
}

export function openChunkQueue(connection: Redis, prefix: string): Queue<ChunkData, ChunkResult> {
  return new Queue<ChunkData, ChunkResult>(CHUNK_QUEUE, { connection, prefix });
}

export function openChunkEvents(connection: Redis, prefix: string): QueueEvents {
  return new QueueEvents(CHUNK_QUEUE, { connection, prefix });
}

/** Splits pending items into per-language chunks of at most `size`, in item order. */
export function splitChunks(items: readonly { id: number; lang: string }[], size: number): { lang: string; ids: number[] }[] {
  const byLang = new Map<string, number[]>();
  for (const item of items) {
    const ids = byLang.get(item.lang) ?? [];
    ids.push(item.id);
    byLang.set(item.lang, ids);
  }
  const out: { lang: string; ids: number[] }[] = [];
  for (const [lang, ids] of byLang) for (let i = 0; i < ids.length; i += size) out.push({ lang, ids: ids.slice(i, i + size) });
  return out;
}
