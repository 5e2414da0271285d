// History contract: one entry per translation (a batch job records one summary entry).
import { ParlaError } from './errors.js';
import type { TranslationFlag } from './translation.js';

export type HistoryDoor = 'cli' | 'api' | 'app' | 'batch';

export interface NewHistoryEntry {
  source: string;
  text: string;
  from: string;
  to: string;
  model: string;
  door: HistoryDoor;
  /** ISO 8601; defaults to now. */
  createdAt?: string;
  /** The translation's review flags (docs/review.md); absent when clean. */
  flags?: TranslationFlag[];
  /** A batch job's summary (door `batch`): the job it stands for. */
  job?: HistoryJob;
}

/**
 * The job a batch summary entry stands for: enough to show it as a job (its file, size and
 * outcome) and to open it, without the paths of the machine that ran it.
 */
export interface HistoryJob {
  id: string;
  /** The input file's name (no folder); absent for a job of texts. */
  file?: string;
  /** Items (cell or text × target language), as in the job's progress. */
  items: number;
  done: number;
  failed: number;
  flagged?: number;
}

export interface HistoryEntry extends Required<Omit<NewHistoryEntry, 'flags' | 'job'>> {
  id: number;
  /** Present when the translation was flagged for review. */
  flags?: TranslationFlag[];
  /** Present on a batch job's summary recorded since jobs were kept with it. */
  job?: HistoryJob;
}

/**
 * A translation a door recorded itself (`addHistory`): the app records a draft once the user
 * settles on it (a pause, a copy, leaving the field), not each as-you-type request.
 */
export type HistoryDraft = Pick<NewHistoryEntry, 'source' | 'text' | 'from' | 'to' | 'model' | 'flags'>;

export interface HistoryQuery {
  /** Full-text query (any language, diacritics-insensitive). */
  q?: string;
  from?: string;
  to?: string;
  /** Inclusive bounds on createdAt: ISO 8601 times, or dates (a whole UTC day; see historyTimeBound). */
  since?: string;
  until?: string;
  /** Only entries flagged for review ("needs review"). */
  flagged?: boolean;
  limit?: number;
  offset?: number;
}

export type HistoryExportFormat = 'csv' | 'json';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/u;

/**
 * A since/until bound as the ISO time createdAt is compared with. A date alone (2026-11-29)
 * means the whole UTC day: since its first instant, until its last. Anything that is not a date
 * or an ISO time is refused, so a typo never reads as "no entries".
 */
export function historyTimeBound(value: string, side: 'since' | 'until'): string {
  const dateOnly = DATE_ONLY.test(value);
  const ms = /^\d{4}-\d{2}-\d{2}/u.test(value) ? Date.parse(dateOnly ? `${value}T00:00:00.000Z` : value) : NaN;
  // Date.parse rolls 2026-02-30 over to March 2: a date must read back as itself.
  if (Number.isNaN(ms) || (dateOnly && new Date(ms).toISOString().slice(0, 10) !== value)) {
    throw new ParlaError('BAD_INPUT', `${side} must be a date like 2026-11-29 or an ISO time like 2026-11-29T08:00:00Z, not "${value}"`);
  }
  return new Date(dateOnly && side === 'until' ? ms + 86_400_000 - 1 : ms).toISOString();
}
