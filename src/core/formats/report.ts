// What a finished localization-file job wrote, for the batch summary: its files (one per
// language), and how many entries got a translation, kept theirs, or got none. Counted from the
// file and the job's translations (the same render the write did), so nothing extra is stored.
import type { QueueBackend } from '../queue/backend.js';
import { FILE_JOB_KINDS } from '../jobs/sources.js';
import { filePlanOf } from './registry.js';
import type { UnitCounts } from './text-format.js';

export interface FileJobReport {
  /** Every file the job writes (one per language for localization files). */
  outputs: string[];
  /** Localization files: entries translated, kept (already translated) and skipped (no translation), all languages together. */
  entries?: UnitCounts;
}

export async function fileJobReport(queue: QueueBackend, jobId: string): Promise<FileJobReport | undefined> {
  const stored = await queue.get(jobId);
  if (!stored || !FILE_JOB_KINDS.includes(stored.spec['kind'])) return undefined;
  const { format, plan } = filePlanOf(stored);
  // A spreadsheet job's record already says all (its one output): its --json stays as it was.
  if (!format.filePerLanguage) return undefined;
  const entries = format.counts ? await format.counts(plan, (lang, keys) => queue.lookup(jobId, lang, keys)) : undefined;
  return { outputs: format.outputs(plan), ...(entries ? { entries } : {}) };
}
