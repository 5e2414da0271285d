// What a door asks of the job queue: create a text or file job, act on a job. The job record
// itself is in jobs.ts.
import type { JobStatus } from './jobs.js';

export const JOB_ACTIONS = ['pause', 'resume', 'cancel', 'retry'] as const;
export type JobAction = (typeof JOB_ACTIONS)[number];

export interface TextJobRequest {
  texts: string[];
  to: string;
  from?: string;
}

export interface FileJobRequest {
  fileName: string;
  bytes: Uint8Array;
  to: string[];
  from?: string;
  /** Header names or column letters; all text columns when absent. */
  columns?: string[];
  sheet?: string;
  /** A review column right of each translated column; true when absent. */
  review?: boolean;
  /** Translations less confident than this (0–1) are left empty and flagged low_confidence. */
  minConfidence?: number;
  /** Localization files: redo entries that already hold a translation. */
  overwrite?: boolean;
  /** PO: mark machine translations fuzzy; true when absent. */
  fuzzy?: boolean;
}

/** A file to preview before a job: what the drop zone shows. */
export interface FilePreviewRequest {
  fileName: string;
  bytes: Uint8Array;
  /** With a target language, the preview also counts `characters` (a full read of the file). */
  to?: string;
}

/** One text of a localization file (a PO entry, a plural form, a JSON key, a cue). */
export interface PreviewUnit {
  id: string;
  source: string;
  /** The translation the file already holds (kept unless overwrite). */
  existing?: string;
  /** msgctxt, a note, a key path. */
  context?: string;
}

export interface FilePreview {
  /** The format the file was read as (by content, then extension): csv, xlsx, po, xliff, json, srt, vtt. */
  format: string;
  /** Units in the file; 0 for spreadsheets, whose rows and columns the app previews itself. */
  total: number;
  /** Units without a translation: what a job translates by default. */
  missing: number;
  /** The first units, in file order. */
  units: PreviewUnit[];
  /**
   * Only when asked with `to`: characters of the texts a job of this file into that language
   * translates with its default options, each occurrence counted (what DeepL's document API bills).
   */
  characters?: number;
}

export interface JobDeleted {
  id: string;
  deleted: true;
}

export interface JobCreated {
  id: string;
  status: 'queued';
}

/**
 * Which actions make sense in a status; the UI offers only these, the queue answers CONFLICT to
 * the rest. A job done with failed rows (`failedRows` > 0) can retry them.
 */
export function allowedActions(status: JobStatus, failedRows = 0): JobAction[] {
  switch (status) {
    case 'queued':
    case 'running':
      return ['pause', 'cancel'];
    case 'paused':
      return ['resume', 'cancel'];
    case 'failed':
    case 'canceled':
      return ['retry'];
    case 'done':
      return failedRows > 0 ? ['retry'] : [];
  }
}
