// File jobs (any format of the registry): the plan in the job spec says what to read and where
// to write; its format does both.
import type { StoredJob } from '../queue/backend.js';
import type { JobSource } from '../jobs/source.js';
import { filePlanOf } from './registry.js';

export function fileJobSource(job: StoredJob): JobSource {
  const { format, plan } = filePlanOf(job);
  return {
    ingest: (add, signal) => format.ingest(plan, add, signal),
    async writeOutput(lookup, signal) {
      await format.write(plan, lookup, signal);
    },
  };
}
