// History contract: one entry per translation (a batch job records one summary entry).

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
}

export interface HistoryEntry extends Required<NewHistoryEntry> {
  id: number;
}

export interface HistoryQuery {
  /** Full-text query (any language, diacritics-insensitive). */
  q?: string;
  from?: string;
  to?: string;
  /** Inclusive ISO 8601 bounds on createdAt. */
  since?: string;
  until?: string;
  limit?: number;
  offset?: number;
}

export type HistoryExportFormat = 'csv' | 'json';
