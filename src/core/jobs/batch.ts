// `parla batch` as a library call: plan the spreadsheet, find the unfinished job for the same
// input/output/options (to resume it) or create one, then run it to the end.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { JobRecord } from '../../shared/jobs.js';
import type { DecodeOptions } from '../../shared/translation.js';
import type { QueueBackend } from '../queue/backend.js';
import type { JobControl } from './job-control.js';
import { planInWorker } from '../sheets/worker-client.js';

export interface BatchRequest {
  file: string;
  to: string[];
  from?: string;
  columns?: string[];
  sheet?: string;
  out?: string;
  model?: string;
  options?: DecodeOptions;
}

export interface BatchStart {
  job: JobRecord;
  resumed: boolean;
}

/** Same input file (path, size, mtime), same output, same options → same key. */
export function batchKey(req: BatchRequest, output: string): string {
  const file = resolve(req.file);
  const st = statSync(file);
  return createHash('sha256')
    .update(
      JSON.stringify([file, st.size, Math.floor(st.mtimeMs), resolve(output), req.to, req.from ?? '', req.columns ?? [], req.sheet ?? '', req.model ?? '', req.options ?? {}]),
    )
    .digest('hex');
}

/**
 * Creates (or finds, to resume) the job for a batch request in any queue backend (SQLite here,
 * Redis for a team); throws BAD_INPUT/BAD_FILE before any job exists.
 */
export async function prepareBatch(queue: QueueBackend, req: BatchRequest): Promise<BatchStart> {
  const plan = await planInWorker({
    file: req.file,
    to: req.to,
    ...(req.columns ? { columns: req.columns } : {}),
    ...(req.sheet !== undefined ? { sheet: req.sheet } : {}),
    ...(req.out !== undefined ? { output: req.out } : {}),
  });
  const key = batchKey(req, plan.output);
  const existing = await queue.findResumable(key);
  if (existing) return { job: existing, resumed: true };
  const job = await queue.create({
    key,
    from: req.from ?? '',
    to: req.to,
    input: {
      file: resolve(req.file),
      ...(req.sheet !== undefined ? { sheet: req.sheet } : {}),
      columns: plan.sheets.flatMap((s) => s.columns.map((c) => (plan.sheets.length > 1 ? `${s.name}!${c.header}` : c.header))),
    },
    output: resolve(plan.output),
    spec: { kind: 'sheet', plan, ...(req.model ? { model: req.model } : {}), ...(req.options ? { options: req.options } : {}) },
  });
  return { job, resumed: false };
}

/** Runs a prepared batch job on its runner: a failed job gets its failed items retried, others resume. */
export async function runBatch(runner: JobControl, job: JobRecord, signal?: AbortSignal): Promise<JobRecord> {
  if (job.status === 'failed') return runner.retry(job.id, signal);
  return runner.resume(job.id, signal);
}
