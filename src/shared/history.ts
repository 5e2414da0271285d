// History: every translation made through any door, searchable (SQLite FTS5 behind it).

export interface HistoryEntry {
  id: string;
  source: string;
  text: string;
  from: string;
  to: string;
  model: string;
  createdAt: string;
}

export interface HistoryQuery {
  q?: string;
  from?: string;
  to?: string;
  /** ISO-8601 bounds, inclusive. */
  since?: string;
  until?: string;
  limit: number;
  offset: number;
}

export interface HistoryPage {
  entries: HistoryEntry[];
  total: number;
}

/** Either some entries by id or everything matching a query. */
export type HistoryDeletion = { ids: string[] } | { query: Omit<HistoryQuery, 'limit' | 'offset'> };

export const HISTORY_EXPORT_FORMATS = ['csv', 'json'] as const;
export type HistoryExportFormat = (typeof HISTORY_EXPORT_FORMATS)[number];
