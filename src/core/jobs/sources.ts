// Which source a stored job reads from, by the kind recorded in its spec.
import { ParlaError } from '../../shared/errors.js';
import type { StoredJob } from '../queue/backend.js';
import { sheetJobSource } from '../sheets/sheet-source.js';
import type { JobSource } from './source.js';
import { textJobSource } from './text-source.js';

export function sourceForJob(job: StoredJob): JobSource {
  switch (job.spec['kind']) {
    case 'sheet':
      return sheetJobSource(job);
    case 'texts':
    case undefined:
      return textJobSource(job);
    default:
      throw new ParlaError('INTERNAL', `job ${job.record.id} has unknown kind ${String(job.spec['kind'])}`);
  }
}
