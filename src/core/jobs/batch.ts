// `parla batch` as a library call: plan the file (any format of the registry), find the unfinished job for the same
// input/output/options (to resume it) or create one, then run it to the end.
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ParlaError } from '../../shared/errors.js';
import type { JobRecord, JobStatus } from '../../shared/jobs.js';
import type { DecodeOptions } from '../../shared/translation.js';
import type { QueueBackend } from '../queue/backend.js';
import type { JobControl } from './job-control.js';
import { lockConflict, outputLockHolder } from '../output-file.js';
import { checkPairCodes } from '../safe-path.js';
import { planFileJob } from '../formats/registry.js';

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
  /** Localization files: redo entries that already hold a translation. */
  overwrite?: boolean;
  /** PO: mark machine translations fuzzy; true when absent. */
  fuzzy?: boolean;
  /** Replace output files that exist already (`--force`); without it such a job is refused before it exists. */
  force?: boolean;
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
  if (req.overwrite) key.push('overwrite');
  if (req.fuzzy === false) key.push('no-fuzzy');
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
  const { format, plan } = await planFileJob({
    file: req.file,
    to: req.to,
    ...(req.columns ? { columns: req.columns } : {}),
    ...(req.sheet !== undefined ? { sheet: req.sheet } : {}),
    ...(req.out !== undefined ? { output: req.out } : {}),
    ...(req.overwrite !== undefined ? { overwrite: req.overwrite } : {}),
    ...(req.fuzzy !== undefined ? { fuzzy: req.fuzzy } : {}),
  });
  const key = batchKey(req, plan.output);
  const output = resolve(plan.output);
  const outputs = format.outputs(plan).map((o) => resolve(o));
  const existing = await queue.findResumable(key);
  // The same batch again resumes its job; another job onto an output that an unfinished job
  // (here, or in any process, by its lock) will write is refused before it exists.
  for (const file of outputs) {
    const holder = outputLockHolder(file);
    if (holder && holder.job !== existing?.id) throw lockConflict(file, holder);
  }
  if (existing) return { job: existing, resumed: true };
  // A new job never replaces a file that is there already unless asked to: it may be the
  // person's own file, or the result of an earlier run they meant to keep.
  const taken = req.force ? [] : outputs.filter((file) => existsSync(file));
  if (taken.length > 0) {
    const more = taken.length > 1 ? ` (and ${taken.length - 1} more output ${taken.length === 2 ? 'file' : 'files'})` : '';
    throw new ParlaError('BAD_INPUT', `${taken[0]} exists${more}; add --force to replace it, or choose another --out`);
  }
  const writer = (await queue.list()).find((job) => job.output !== undefined && outputs.includes(job.output) && OPEN_STATUSES.includes(job.status));
  if (writer) {
    throw new ParlaError('CONFLICT', `${writer.output} is the output of job ${writer.id}, which is ${writer.status}; wait for it, cancel it (parla jobs cancel ${writer.id}), or choose another --out`);
  }
  const job = await queue.create({
    key,
    from: req.from ?? '',
    to: req.to,
    input: {
      file: resolve(req.file),
      ...(req.sheet !== undefined ? { sheet: req.sheet } : {}),
      columns: format.columns(plan),
    },
    output,
    spec: {
      kind: 'file',
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
