// What a job reads and writes. The runner knows nothing of files: a source feeds it texts and,
// at the end, turns the job's translations into output (a spreadsheet, or nothing for text jobs).
import type { ItemTranslation } from '../../shared/jobs.js';
import type { NewText, StoredJob } from '../queue/backend.js';

export type Lookup = (lang: string, keys: readonly string[]) => Promise<(ItemTranslation | undefined)[]>;

export interface JobSource {
  /** Streams every item into `add`; called again from scratch if a crash interrupted it. */
  ingest(add: (texts: readonly NewText[]) => Promise<void>, signal: AbortSignal): Promise<void>;
  /** Writes the job's output from its translations; must be all-or-nothing (temp file + rename). */
  writeOutput?(lookup: Lookup, signal: AbortSignal): Promise<void>;
}

export type SourceFactory = (job: StoredJob) => JobSource;
