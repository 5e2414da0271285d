// One shape for every file format a batch job reads and writes (CSV/TSV, XLSX, PO, XLIFF, JSON,
// subtitles): sniff the file, plan the job, feed its texts to the queue, write its output. The
// plan is stored in the job spec (JSON), so a restarted process rebuilds the same job from it;
// every format passes test/formats/conformance.test.ts.
import type { NewText } from '../queue/backend.js';
import type { Lookup } from '../jobs/source.js';
import type { FilePreview } from '../../shared/job-requests.js';
import type { TextFormatId, UnitCounts } from './text-format.js';

export type FormatId = 'csv' | 'xlsx' | TextFormatId;

export interface FormatPlanRequest {
  file: string;
  to: string[];
  /** Spreadsheets only: header names or column letters. */
  columns?: string[];
  /** XLSX only. */
  sheet?: string;
  /** A file; for formats that write one file per language, a folder or a pattern with `{lang}`. */
  output?: string;
  /** Text formats: redo units that already hold a translation. */
  overwrite?: boolean;
  /** PO: mark machine translations fuzzy (true when absent). */
  fuzzy?: boolean;
}

/** What every plan holds, whatever its format; the rest is the format's own (JSON-safe). */
export interface FilePlan {
  format: FormatId;
  file: string;
  to: string[];
  /** The job record's output: the only file, or the first language's. */
  output: string;
}

export type AddTexts = (texts: readonly NewText[]) => Promise<void>;

export interface JobFormat<P extends FilePlan = FilePlan> {
  id: FormatId;
  /** Lower case, with the dot. */
  extensions: readonly string[];
  /** Each target language gets its own file (`--out` is then a folder or a pattern with `{lang}`); else one file holds them all. */
  filePerLanguage: boolean;
  /** True when the file's first bytes are this format, whatever it is called. */
  sniff(head: Buffer): boolean;
  /** Checks the file and the options (BAD_FILE / BAD_INPUT, one line) and says what the job does. */
  plan(request: FormatPlanRequest): Promise<P>;
  /** Every file the job writes (one per language for text formats). */
  outputs(plan: P): string[];
  /** The columns the job translates, for the job record (none for text formats). */
  columns(plan: P): string[];
  /** Streams the job's items into `add`; called again from scratch after a crash. */
  ingest(plan: P, add: AddTexts, signal: AbortSignal): Promise<void>;
  /** Writes every output whole (temp file + rename); returns what it wrote per unit, where counted. */
  write(plan: P, lookup: Lookup, signal: AbortSignal): Promise<UnitCounts | undefined>;
  /** What write would count, without writing (the batch summary). */
  counts?(plan: P, lookup: Lookup): Promise<UnitCounts>;
  /** The format and the first `limit` units, for the drop zone and `POST /api/v1/jobs/preview`. */
  preview(file: string, limit: number): Promise<FilePreview>;
}
