// Translation memory: human translations (typed, imported from TMX, or a machine translation a
// person approved) that answer before the cache and the model, in every door. docs/memory.md.

export const MEMORY_ORIGINS = ['typed', 'imported', 'approved'] as const;
/** How an entry got into the memory. */
export type MemoryOrigin = (typeof MEMORY_ORIGINS)[number];

/** An earlier version of an entry, kept when a later edit replaced it. */
export interface MemoryRevision {
  target: string;
  who: string;
  /** Epoch ms of that edit. */
  when: number;
  origin: MemoryOrigin;
}

export interface MemoryEntry {
  id: string;
  from: string;
  to: string;
  source: string;
  target: string;
  /** Who made the entry: the `memoryAuthor` setting, the team member in team mode. */
  who: string;
  /** Epoch ms of the edit that made the entry what it is (the latest edit wins). */
  when: number;
  origin: MemoryOrigin;
  /** A note carried with the entry (TMX `<note>`); absent when none. */
  note?: string;
  /** Earlier versions, oldest first. */
  history: MemoryRevision[];
}

export interface NewMemoryEntry {
  from: string;
  to: string;
  source: string;
  target: string;
  /** Defaults: the store's author, now, `typed`. */
  who?: string;
  when?: number;
  origin?: MemoryOrigin;
  note?: string;
  /** Earlier versions, as a TMX file exported by Parla carries them. */
  history?: MemoryRevision[];
}

export interface MemoryQuery {
  from?: string;
  to?: string;
  /** Matches source or target, any case. */
  q?: string;
  limit?: number;
  offset?: number;
}

export interface MemoryPage {
  entries: MemoryEntry[];
  /** All entries matching the query, ignoring limit and offset. */
  total: number;
}

/** A memory entry close to a text that has no exact match; `score` in [0, 1]. */
export interface MemorySuggestion {
  id: string;
  source: string;
  target: string;
  score: number;
}

export interface MemoryImported {
  imported: number;
  ms: number;
}

/** Shown where no name is set (Settings' `memoryAuthor`, or the team member in team mode). */
export const DEFAULT_MEMORY_AUTHOR = 'me';
/** Fuzzy suggestions below this similarity are not shown. */
export const DEFAULT_FUZZY_THRESHOLD = 0.75;
