// The memory seam: SQLite on one machine, Redis for a team (with the SQLite copy for offline use,
// TieredMemory). Both pass test/memory/memory-contract.ts.
import { randomUUID } from 'node:crypto';
import { ParlaError } from '../../shared/errors.js';
import { LIMITS } from '../../shared/limits.js';
import {
  MEMORY_ORIGINS,
  type MemoryEntry,
  type MemoryPage,
  type MemoryQuery,
  type MemoryRevision,
  type MemorySuggestion,
  type NewMemoryEntry,
} from '../../shared/memory.js';
import { checkLang } from '../glossary/backend.js';
import { memoryKey } from './match.js';

export interface SuggestOptions {
  /** Lowest similarity shown, in (0, 1]. */
  threshold: number;
  limit: number;
}

export interface MemoryBackend {
  /**
   * Adds entries. An entry whose pair and key (memoryKey) are already there is merged with it
   * (mergeEntries: the latest edit wins, the other is kept in history). Returns the stored
   * entries, aligned with `entries`.
   */
  add(entries: readonly NewMemoryEntry[]): Promise<MemoryEntry[]>;
  /** Many entries as one change: all of them are in, or (a crash, an error) none is. */
  import(entries: readonly NewMemoryEntry[], onProgress?: (done: number) => void): Promise<number>;
  /** The entry each source matches exactly (by memoryKey), aligned with `sources`. */
  lookup(from: string, to: string, sources: readonly string[]): Promise<(MemoryEntry | undefined)[]>;
  /** The closest entries of the pair at or above the threshold, best first. */
  suggest(from: string, to: string, source: string, options: SuggestOptions): Promise<MemorySuggestion[]>;
  /** Entries ordered by pair, then source; `q` matches source or target (any case). */
  list(query: MemoryQuery): Promise<MemoryPage>;
  get(id: string): Promise<MemoryEntry | undefined>;
  /** False when no entry has that id. */
  remove(id: string): Promise<boolean>;
  close(): Promise<void>;
}

export const MEMORY_LIMITS = { textChars: LIMITS.textChars, noteChars: 4000 } as const;

/** Validates an entry and fills in its defaults (author, time, origin) and a fresh id. */
export function normalizeMemoryEntry(entry: NewMemoryEntry, defaults: { who: string; now: number }): MemoryEntry {
  checkLang(entry.from, 'from');
  checkLang(entry.to, 'to');
  const source = entry.source.trim();
  const target = entry.target.trim();
  if (!source) throw new ParlaError('BAD_INPUT', 'a memory entry needs a source text');
  if (!target) throw new ParlaError('BAD_INPUT', `memory entry "${source.slice(0, 40)}" needs a target text`);
  if (source.length > MEMORY_LIMITS.textChars || target.length > MEMORY_LIMITS.textChars) {
    throw new ParlaError('BAD_INPUT', `memory texts are at most ${MEMORY_LIMITS.textChars} characters ("${source.slice(0, 40)}…")`);
  }
  const origin = entry.origin ?? 'typed';
  if (!MEMORY_ORIGINS.includes(origin)) throw new ParlaError('BAD_INPUT', `origin must be one of ${MEMORY_ORIGINS.join(', ')}, got "${String(origin)}"`);
  const note = entry.note?.trim();
  if (note && note.length > MEMORY_LIMITS.noteChars) throw new ParlaError('BAD_INPUT', `a memory note is at most ${MEMORY_LIMITS.noteChars} characters`);
  return {
    // 60 random bits (randomUUID draws from a pooled buffer: an import makes 100,000 of them).
    id: randomUUID().replace(/-/g, '').slice(0, 16),
    from: entry.from,
    to: entry.to,
    source,
    target,
    who: entry.who?.trim() || defaults.who,
    when: entry.when ?? defaults.now,
    origin,
    ...(note ? { note } : {}),
    history: entry.history ?? [],
  };
}

/** Where an entry lives: its pair and key. Two entries with one place are one entry. */
export function placeOf(e: Pick<MemoryEntry, 'from' | 'to' | 'source'>): string {
  return `${pairOf(e.from, e.to)}\u0000${memoryKey(e.source)}`;
}

export function pairOf(from: string, to: string): string {
  return `${from}>${to}`;
}

function revisionOf(e: MemoryEntry): MemoryRevision {
  return { target: e.target, who: e.who, when: e.when, origin: e.origin };
}

const revisionKey = (r: MemoryRevision) => `${r.when}\u0000${r.target}\u0000${r.who}`;

/**
 * Two versions of one entry (same place) as one: the later edit (`when`; on a tie the incoming
 * one) is the entry, every version with another text is in its history, each once. Merging a version that is
 * already there changes nothing, so a sync may push the same entry twice. The Redis backend's
 * Lua `merge` does the same; the contract suite holds both to it.
 */
export function mergeEntries(stored: MemoryEntry, incoming: MemoryEntry): MemoryEntry {
  const winner = incoming.when >= stored.when ? incoming : stored;
  const versions = new Map<string, MemoryRevision>();
  for (const r of [...stored.history, ...incoming.history, revisionOf(stored), revisionOf(incoming)]) {
    if (!versions.has(revisionKey(r))) versions.set(revisionKey(r), r);
  }
  // The history holds other texts: the winner's own text, however often saved, is the entry.
  const history = [...versions.values()]
    .filter((r) => r.target !== winner.target).sort((a, b) => a.when - b.when || cmp(a.target, b.target) || cmp(a.who, b.who));
  const { note: _note, ...rest } = winner;
  const note = winner.note ?? stored.note;
  return { ...rest, id: stored.id, ...(note ? { note } : {}), history };
}

/** Within one call, later entries for a place merge into earlier ones (as later adds would). */
export function mergeWithin(entries: readonly MemoryEntry[]): Map<string, MemoryEntry> {
  const byPlace = new Map<string, MemoryEntry>();
  for (const e of entries) {
    const place = placeOf(e);
    const seen = byPlace.get(place);
    byPlace.set(place, seen ? mergeEntries(seen, e) : e);
  }
  return byPlace;
}

export function matchesMemoryQuery(e: MemoryEntry, q: string | undefined): boolean {
  if (!q) return true;
  const needle = q.toLowerCase();
  return e.source.toLowerCase().includes(needle) || e.target.toLowerCase().includes(needle);
}

export function byPairAndSource(a: MemoryEntry, b: MemoryEntry): number {
  return cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.source, b.source) || cmp(a.id, b.id);
}

function cmp(x: string, y: string): number {
  return x === y ? 0 : x < y ? -1 : 1;
}

/** An entry read back from storage (JSON written by either backend; Lua writes `{}` for []). */
export function parseStoredEntry(json: string): MemoryEntry {
  const e = JSON.parse(json) as MemoryEntry;
  if (!Array.isArray(e.history)) e.history = [];
  return e;
}
