// The memory in the data dir's parla.db: entries keyed by pair and memoryKey, and a word index
// (memory_words) that fuzzy suggestions read instead of scanning. Tables: src/core/migrations.ts.
import { pairTextFilter } from '../pair-filter.js';
import type { MemoryEntry, MemoryPage, MemoryQuery, MemorySuggestion, NewMemoryEntry } from '../../shared/memory.js';
import { DEFAULT_MEMORY_AUTHOR } from '../../shared/memory.js';
import { openDb, writeTransaction, type Db } from '../db.js';
import { mergeEntries, mergeWithin, normalizeMemoryEntry, pairOf, placeOf, type MemoryBackend, type SuggestOptions } from './backend.js';
import { candidateWords, FUZZY_LIMITS, indexWords, memoryKey, rankCandidates, scoreCandidates } from './match.js';

interface Row {
  n: number;
  id: string;
  src_lang: string;
  tgt_lang: string;
  source: string;
  target: string;
  who: string;
  at: number;
  origin: MemoryEntry['origin'];
  note: string | null;
  history: string;
  synced: number;
  key: string;
}

function fromRow(r: Row): MemoryEntry {
  const history = JSON.parse(r.history) as unknown;
  return {
    id: r.id, from: r.src_lang, to: r.tgt_lang, source: r.source, target: r.target, who: r.who, when: r.at, origin: r.origin,
    ...(r.note ? { note: r.note } : {}),
    history: Array.isArray(history) ? (history as MemoryEntry['history']) : [],
  };
}

/**
 * How a write marks what it stores. `local`: a solo memory's own entry. `unsynced`: the team's
 * local copy, edited while the team was away. `team`: an entry as the team holds it, copied
 * here; it keeps the team's id, so ids agree on every member.
 */
type WriteMode = 'local' | 'unsynced' | 'team';

export interface SqliteMemoryOptions {
  /** A shared handle (local state's); or `file` to open one that the memory owns. */
  db?: Db;
  file?: string;
  /** Who new entries are by when they name no one (the `memoryAuthor` setting). */
  author?: () => string;
  now?: () => number;
}

/** Progress is reported every this many entries of an import. */
const PROGRESS_EVERY = 1000;

export class SqliteMemory implements MemoryBackend {
  private readonly db: Db;
  private readonly ownsDb: boolean;
  private readonly author: () => string;
  private readonly now: () => number;
  private readonly st;
  private readonly write: (entries: readonly MemoryEntry[], mode: WriteMode, onProgress?: (done: number) => void) => Map<string, MemoryEntry>;

  constructor(options: SqliteMemoryOptions) {
    this.ownsDb = !options.db;
    this.db = options.db ?? openDb(options.file ?? ':memory:');
    this.author = options.author ?? (() => DEFAULT_MEMORY_AUTHOR);
    this.now = options.now ?? Date.now;
    const db = this.db;
    this.st = {
      atPlace: db.prepare<[string, string, string], Row>('SELECT * FROM memory WHERE src_lang = ? AND tgt_lang = ? AND key = ?'),
      // A batch's keys in one statement (a JSON array): one lookup per call, not one per text.
      atPlaces: db.prepare<[string, string, string], Row>('SELECT * FROM memory WHERE src_lang = ? AND tgt_lang = ? AND key IN (SELECT value FROM json_each(?))'),
      insert: db.prepare<Record<string, string | number | null>, { n: number }>(
        `INSERT INTO memory (id, src_lang, tgt_lang, key, source, target, who, at, origin, note, history, synced)
         VALUES (@id, @from, @to, @key, @source, @target, @who, @when, @origin, @note, @history, @synced) RETURNING n`,
      ),
      update: db.prepare<Record<string, string | number | null>>(
        `UPDATE memory SET source = @source, target = @target, who = @who, at = @when, origin = @origin, note = @note,
           history = @history, synced = @synced, id = @id WHERE id = @old`,
      ),
      word: db.prepare<[string, string, number]>('INSERT OR IGNORE INTO memory_words (pair, word, entry) VALUES (?, ?, ?)'),
      frequency: db.prepare<[string, string, number], { f: number }>(
        'SELECT count(*) AS f FROM (SELECT 1 FROM memory_words WHERE pair = ? AND word = ? LIMIT ?)',
      ),
      posting: db.prepare<[string, string, number], { entry: number }>('SELECT entry FROM memory_words WHERE pair = ? AND word = ? LIMIT ?'),
      // What scoring a candidate needs, and no more (a suggestion scores up to 200 of them).
      candidate: db.prepare<[number], { id: string; source: string; target: string; when: number }>('SELECT id, source, target, at AS "when" FROM memory WHERE n = ?'),
      byId: db.prepare<[string], Row>('SELECT * FROM memory WHERE id = ?'),
      // By the entry's words (its key's), on the primary key: no second index to keep up on every insert.
      removeWord: db.prepare<[string, string, number]>('DELETE FROM memory_words WHERE pair = ? AND word = ? AND entry = ?'),
      remove: db.prepare<[number]>('DELETE FROM memory WHERE n = ?'),
      unsynced: db.prepare<[number], Row>('SELECT * FROM memory WHERE synced = 0 LIMIT ?'),
      markSynced: db.prepare<[string, number]>('UPDATE memory SET synced = 1 WHERE id = ? AND at = ?'),
      seq: db.prepare<[string], { seq: number }>('SELECT seq FROM memory_sync WHERE team = ?'),
      setSeq: db.prepare<[string, number]>('INSERT INTO memory_sync (team, seq) VALUES (?, ?) ON CONFLICT (team) DO UPDATE SET seq = excluded.seq'),
    };
    const st = this.st;
    this.write = writeTransaction(db, (entries: readonly MemoryEntry[], mode: WriteMode, onProgress?: (done: number) => void) => {
      const stored = new Map<string, MemoryEntry>();
      let done = 0;
      const synced = mode !== 'unsynced';
      for (const [place, e] of mergeWithin(entries)) {
        const key = memoryKey(e.source);
        const row = st.atPlace.get(e.from, e.to, key);
        if (row) {
          const merged = mergeEntries(fromRow(row), e);
          if (mode === 'team') merged.id = e.id;
          // An offline edit that is newer than the team's copy still has to reach the team.
          const stillUnsynced = row.synced === 0 && (mode !== 'team' || merged.when > e.when);
          st.update.run({ ...params(merged, key, synced && !stillUnsynced), old: row.id });
          stored.set(place, merged);
        } else {
          const { n } = st.insert.get(params(e, key, synced))!;
          const pair = pairOf(e.from, e.to);
          for (const word of indexWords(key)) st.word.run(pair, word, n);
          stored.set(place, e);
        }
        if (onProgress && ++done % PROGRESS_EVERY === 0) onProgress(done);
      }
      onProgress?.(done);
      return stored;
    });
  }

  async add(entries: readonly NewMemoryEntry[]): Promise<MemoryEntry[]> {
    return this.addSync(entries, 'local');
  }

  addSync(entries: readonly NewMemoryEntry[], mode: Exclude<WriteMode, 'team'>): MemoryEntry[] {
    const defaults = { who: this.author(), now: this.now() };
    const normalized = entries.map((e) => normalizeMemoryEntry(e, defaults));
    const stored = this.write(normalized, mode);
    return normalized.map((e) => stored.get(placeOf(e))!);
  }

  async import(entries: readonly NewMemoryEntry[], onProgress?: (done: number) => void): Promise<number> {
    return this.importSync(entries, 'local', onProgress);
  }

  importSync(entries: readonly NewMemoryEntry[], mode: Exclude<WriteMode, 'team'>, onProgress?: (done: number) => void): number {
    const defaults = { who: this.author(), now: this.now() };
    return this.write(entries.map((e) => normalizeMemoryEntry({ origin: 'imported', ...e }, defaults)), mode, onProgress).size;
  }

  /** Entries as the team holds them (ids, times and history kept), merged into this copy. */
  storeTeamEntries(entries: readonly MemoryEntry[]): MemoryEntry[] {
    const stored = this.write(entries, 'team');
    return entries.map((e) => stored.get(placeOf(e))!);
  }

  async lookup(from: string, to: string, sources: readonly string[]): Promise<(MemoryEntry | undefined)[]> {
    if (sources.length === 0) return [];
    const keys = sources.map(memoryKey);
    const byKey = new Map(this.st.atPlaces.all(from, to, JSON.stringify([...new Set(keys)])).map((row) => [row.key, fromRow(row)]));
    return keys.map((key) => byKey.get(key));
  }

  async suggest(from: string, to: string, source: string, options: SuggestOptions): Promise<MemorySuggestion[]> {
    const key = memoryKey(source);
    const pair = pairOf(from, to);
    const words = candidateWords(key, options.threshold, (w) => this.st.frequency.get(pair, w, FUZZY_LIMITS.posting)!.f);
    const postings = words.map((w) => this.st.posting.all(pair, w, FUZZY_LIMITS.posting).map((r) => String(r.entry)));
    const candidates = rankCandidates(postings, FUZZY_LIMITS.candidates).map((n) => this.st.candidate.get(Number(n))!);
    return scoreCandidates(key, candidates, options.threshold, options.limit).map(({ entry, score }) => ({
      id: entry.id, source: entry.source, target: entry.target, score,
    }));
  }

  async list(query: MemoryQuery): Promise<MemoryPage> {
    const { clause, args } = pairTextFilter(query);
    const total = this.db.prepare<(string | number)[], { c: number }>(`SELECT count(*) AS c FROM memory ${clause}`).get(...args)!.c;
    const rows = this.db
      .prepare<(string | number)[], Row>(`SELECT * FROM memory ${clause} ORDER BY src_lang, tgt_lang, source, id LIMIT ? OFFSET ?`)
      .all(...args, query.limit ?? -1, query.offset ?? 0);
    return { entries: rows.map(fromRow), total };
  }

  async get(id: string): Promise<MemoryEntry | undefined> {
    const row = this.st.byId.get(id);
    return row ? fromRow(row) : undefined;
  }

  async remove(id: string): Promise<boolean> {
    return writeTransaction(this.db, () => {
      const row = this.st.byId.get(id);
      if (!row) return false;
      const pair = pairOf(row.src_lang, row.tgt_lang);
      for (const word of indexWords(row.key)) this.st.removeWord.run(pair, word, row.n);
      this.st.remove.run(row.n);
      return true;
    })();
  }

  /** Entries edited while the team was away, to send it. */
  unsynced(limit: number): MemoryEntry[] {
    return this.st.unsynced.all(limit).map(fromRow);
  }

  /** Marks entries sent, unless edited again since (their `when` moved on). */
  markSynced(entries: readonly MemoryEntry[]): void {
    writeTransaction(this.db, () => {
      for (const e of entries) this.st.markSynced.run(e.id, e.when);
    })();
  }

  /** How far this copy has read the team's changes. */
  syncedSeq(team: string): number {
    return this.st.seq.get(team)?.seq ?? 0;
  }

  setSyncedSeq(team: string, seq: number): void {
    this.st.setSeq.run(team, seq);
  }

  async close(): Promise<void> {
    if (this.ownsDb) this.db.close();
  }
}

function params(e: MemoryEntry, key: string, synced: boolean): Record<string, string | number | null> {
  return {
    id: e.id, from: e.from, to: e.to, key, source: e.source, target: e.target, who: e.who, when: e.when, origin: e.origin,
    note: e.note ?? null, history: JSON.stringify(e.history), synced: synced ? 1 : 0,
  };
}
