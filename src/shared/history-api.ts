// History as the doors page through it, delete from it and export it (entries are in history.ts).
import type { HistoryEntry, HistoryQuery } from './history.js';

export interface HistoryPage {
  entries: HistoryEntry[];
  total: number;
}

export type HistoryFilter = Omit<HistoryQuery, 'limit' | 'offset'>;

/** Either some entries by id or everything matching a filter. */
export type HistoryDeletion = { ids: number[] } | { query: HistoryFilter };

export const HISTORY_EXPORT_FORMATS = ['csv', 'json'] as const;
