// Spreadsheet jobs: the plan in the job spec says what to read and where to write.
import { ParlaError } from '../../shared/errors.js';
import type { StoredJob } from '../queue/backend.js';
import type { JobSource } from '../jobs/source.js';
import type { SheetPlan } from './plan.js';
import { ingestInWorker, writeInWorker } from './worker-client.js';

export function sheetPlanOf(job: StoredJob): SheetPlan {
  const plan = job.spec['plan'];
  if (!plan || typeof plan !== 'object') throw new ParlaError('INTERNAL', `job ${job.record.id} has no spreadsheet plan`);
  return plan as SheetPlan;
}

export function sheetJobSource(job: StoredJob): JobSource {
  const plan = sheetPlanOf(job);
  return {
    ingest: (add, signal) => ingestInWorker(plan, add, signal),
    writeOutput: (lookup, signal) => writeInWorker(plan, lookup, signal),
  };
}
