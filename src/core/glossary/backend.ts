// The glossary seam: SQLite on one machine, Redis for a team (so every member enforces the same
// terms). Both pass test/glossary/glossary-contract.ts.
import { randomBytes } from 'node:crypto';
import { ParlaError } from '../../shared/errors.js';
import { LIMITS } from '../../shared/limits.js';
import type { GlossaryEntry, GlossaryLookup, GlossaryPage, GlossaryQuery, NewGlossaryEntry } from '../../shared/glossary.js';

export interface GlossaryBackend extends GlossaryLookup {
  /**
   * Adds entries; an entry whose pair and source term are already there replaces that one (same
   * id). Returns the stored entries, aligned with `entries`. The pairs touched get a new version.
   */
  add(entries: readonly NewGlossaryEntry[]): Promise<GlossaryEntry[]>;
  /** Entries ordered by pair, then source term; `q` matches source or target (any case). */
  list(query: GlossaryQuery): Promise<GlossaryPage>;
  /** False when no entry has that id. */
  remove(id: string): Promise<boolean>;
  /** Removes a pair's entries; returns how many. */
  clear(from: string, to: string): Promise<number>;
  close(): Promise<void>;
}

// Language tags as the rest of Parla takes them ("en", "pt-BR", "zh-Hant").
const LANG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const TERM_MAX_CHARS = LIMITS.termChars;

export function checkLang(lang: string, name: 'from' | 'to'): string {
  if (!LANG.test(lang)) throw new ParlaError('BAD_INPUT', `--${name} must be a language code like "en" or "pt-BR", got "${lang}"`);
  return lang;
}

/** Validates and fills in an entry's defaults; `now` and a fresh id come from the store. */
export function normalizeEntry(entry: NewGlossaryEntry, now: number): GlossaryEntry {
  checkLang(entry.from, 'from');
  checkLang(entry.to, 'to');
  const source = entry.source.trim();
  const doNotTranslate = entry.doNotTranslate ?? false;
  const target = doNotTranslate ? source : (entry.target ?? '').trim();
  if (!source) throw new ParlaError('BAD_INPUT', 'a glossary entry needs a source term');
  if (!target) throw new ParlaError('BAD_INPUT', `glossary entry "${source}" needs a target term (or do-not-translate)`);
  if (source.length > TERM_MAX_CHARS || target.length > TERM_MAX_CHARS) {
    throw new ParlaError('BAD_INPUT', `glossary terms are at most ${TERM_MAX_CHARS} characters ("${source.slice(0, 40)}…")`);
  }
  return {
    id: newEntryId(),
    from: entry.from,
    to: entry.to,
    source,
    target,
    doNotTranslate,
    caseSensitive: entry.caseSensitive ?? false,
    wholeWord: entry.wholeWord ?? true,
    createdAt: now,
  };
}

/** 64 random bits: unique across a team's members without coordination, short enough to type. */
export function newEntryId(): string {
  return randomBytes(8).toString('hex');
}

/** Within a batch, the last entry for a pair and source term wins (as a later add would). */
export function lastPerTerm(entries: readonly GlossaryEntry[]): GlossaryEntry[] {
  const byTerm = new Map<string, GlossaryEntry>();
  for (const e of entries) byTerm.set(termKey(e), e);
  return [...byTerm.values()];
}

export function termKey(e: Pick<GlossaryEntry, 'from' | 'to' | 'source'>): string {
  return `${e.from}\u0000${e.to}\u0000${e.source}`;
}

export function matchesQuery(e: GlossaryEntry, q: string | undefined): boolean {
  if (!q) return true;
  const needle = q.toLowerCase();
  return e.source.toLowerCase().includes(needle) || e.target.toLowerCase().includes(needle);
}

/** Code-unit order, as SQLite's BINARY collation for these (BMP) texts. */
export function byPairAndSource(a: GlossaryEntry, b: GlossaryEntry): number {
  return cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.source, b.source) || cmp(a.id, b.id);
}

function cmp(x: string, y: string): number {
  return x === y ? 0 : x < y ? -1 : 1;
}
