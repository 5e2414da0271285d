// Which source a stored job reads from, by the kind recorded in its spec.
import { ParlaError } from '../../shared/errors.js';
import { fileJobSource } from '../formats/file-source.js';
import type { StoredJob } from '../queue/backend.js';
import type { JobSource } from './source.js';
import { textJobSource } from './text-source.js';

/** Spec kinds of jobs that read and write a file; 'sheet' is how spreadsheet jobs were stored before other formats. */
export const FILE_JOB_KINDS: readonly unknown[] = ['file', 'sheet'];

export function sourceForJob(job: StoredJob): JobSource {
  const kind = job.spec['kind'];
  if (FILE_JOB_KINDS.includes(kind)) return fileJobSource(job);
  if (kind === 'texts' || kind === undefined) return textJobSource(job);
  throw new ParlaError('INTERNAL', `job ${job.record.id} has unknown kind ${String(kind)}`);
}
