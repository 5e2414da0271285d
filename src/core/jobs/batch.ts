// `parla batch` as a library call: plan the spreadsheet, find the unfinished job for the same
// input/output/options (to resume it) or create one, then run it to the end.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ParlaError } from '../../shared/errors.js';
import type { JobRecord, JobStatus } from '../../shared/jobs.js';
import type { DecodeOptions } from '../../shared/translation.js';
import type { QueueBackend } from '../queue/backend.js';
import type { JobControl } from './job-control.js';
import { lockConflict, outputLockHolder } from '../output-file.js';
import { checkPairCodes } from '../safe-path.js';
import { planInWorker } from '../sheets/worker-client.js';

/** A job in these will still write its output; `failed` waits for a retry the person may never ask for. */
const OPEN_STATUSES: readonly JobStatus[] = ['queued', 'running', 'paused'];

export interface BatchRequest {
  file: string;
  to: string[];
  from?: string;
  columns?: string[];
  sheet?: string;
  out?: string;
  model?: string;
  options?: DecodeOptions;
  /** A review column (the flags of each translation) right of each translated column; true when absent. */
  review?: boolean;
  /** Translations less confident than this are left empty and flagged low_confidence (0–1). */
  minConfidence?: number;
}

export interface BatchStart {
  job: JobRecord;
  resumed: boolean;
}

/** Same input file (path, size, mtime), same output, same options → same key. */
export function batchKey(req: BatchRequest, output: string): string {
  const file = resolve(req.file);
  const st = statSync(file);
  const key: unknown[] = [file, st.size, Math.floor(st.mtimeMs), resolve(output), req.to, req.from ?? '', req.columns ?? [], req.sheet ?? '', req.model ?? '', req.options ?? {}];
  // Appended only when not the default, so a job started before these options existed still resumes.
  if (req.review === false) key.push('no-review');
  if (req.minConfidence !== undefined) key.push({ minConfidence: req.minConfidence });
  return createHash('sha256').update(JSON.stringify(key)).digest('hex');
}

/** A minimum confidence must be a number in [0, 1]. */
export function checkMinConfidence(value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= 0 && value <= 1)) {
    throw new ParlaError('BAD_INPUT', `min-confidence must be a number from 0 to 1, not ${value}`);
  }
}

/**
 * Creates (or finds, to resume) the job for a batch request in any queue backend (SQLite here,
 * Redis for a team); throws BAD_INPUT/BAD_FILE before any job exists.
 */
export async function prepareBatch(queue: QueueBackend, req: BatchRequest): Promise<BatchStart> {
  checkPairCodes(req.to, req.from);
  checkMinConfidence(req.minConfidence);
  const plan = await planInWorker({
    file: req.file,
    to: req.to,
    ...(req.columns ? { columns: req.columns } : {}),
    ...(req.sheet !== undefined ? { sheet: req.sheet } : {}),
    ...(req.out !== undefined ? { output: req.out } : {}),
  });
  const key = batchKey(req, plan.output);
  const output = resolve(plan.output);
  const existing = await queue.findResumable(key);
  // The same batch again resumes its job; another job onto an output that an unfinished job
  // (here, or in any process, by its lock) will write is refused before it exists.
  const holder = outputLockHolder(output);
  if (holder && holder.job !== existing?.id) throw lockConflict(output, holder);
  if (existing) return { job: existing, resumed: true };
  const writer = (await queue.list()).find((job) => job.output === output && OPEN_STATUSES.includes(job.status));
  if (writer) {
    throw new ParlaError('CONFLICT', `${output} is the output of job ${writer.id}, which is ${writer.status}; wait for it, cancel it (parla jobs cancel ${writer.id}), or choose another --out`);
  }
  const job = await queue.create({
    key,
    from: req.from ?? '',
    to: req.to,
    input: {
      file: resolve(req.file),
      ...(req.sheet !== undefined ? { sheet: req.sheet } : {}),
      columns: plan.sheets.flatMap((s) => s.columns.map((c) => (plan.sheets.length > 1 ? `${s.name}!${c.header}` : c.header))),
    },
    output,
    spec: {
      kind: 'sheet',
      plan: { ...plan, review: req.review !== false },
      ...(req.model ? { model: req.model } : {}),
      ...(req.options ? { options: req.options } : {}),
      ...(req.minConfidence !== undefined ? { minConfidence: req.minConfidence } : {}),
    },
  });
  return { job, resumed: false };
}

/** Runs a prepared batch job on its runner: a failed job gets its failed items retried, others resume. */
export async function runBatch(runner: JobControl, job: JobRecord, signal?: AbortSignal): Promise<JobRecord> {
  if (job.status === 'failed') return runner.retry(job.id, signal);
  return runner.resume(job.id, signal);
}
