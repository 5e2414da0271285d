// The glossary in the data dir's parla.db, beside the cache whose keys hold its versions. Each
// pair has a counter bumped in the same transaction as every change of its entries, so a reader
// sees entries and version in step, and a translation cached before a change never matches after.
// Its tables are made and changed by the ordered migrations in src/core/migrations.ts.
import { pairTextFilter } from '../pair-filter.js';
import type { GlossaryEntry, GlossaryPage, GlossaryQuery, NewGlossaryEntry } from '../../shared/glossary.js';
import { openDb, writeTransaction, type Db } from '../db.js';
import { lastPerTerm, normalizeEntry, type GlossaryBackend } from './backend.js';

interface Row {
  id: string;
  src_lang: string;
  tgt_lang: string;
  source: string;
  target: string;
  dnt: number;
  case_sensitive: number;
  whole_word: number;
  created_at: number;
}

function fromRow(r: Row): GlossaryEntry {
  return {
    id: r.id,
    from: r.src_lang,
    to: r.tgt_lang,
    source: r.source,
    target: r.target,
    doNotTranslate: r.dnt === 1,
    caseSensitive: r.case_sensitive === 1,
    wholeWord: r.whole_word === 1,
    createdAt: r.created_at,
  };
}

export interface SqliteGlossaryOptions {
  /** A shared handle (local state's); or `file` to open one that the glossary owns. */
  db?: Db;
  file?: string;
  now?: () => number;
}

export class SqliteGlossary implements GlossaryBackend {
  private readonly db: Db;
  private readonly ownsDb: boolean;
  private readonly now: () => number;
  /** The last loaded entries of each pair, reused while the pair's version is unchanged. */
  private readonly loaded = new Map<string, { version: string; entries: readonly GlossaryEntry[] }>();
  private readonly st;
  private readonly addAll: (entries: readonly GlossaryEntry[]) => GlossaryEntry[];
  private readonly removeOne: (id: string) => boolean;
  private readonly clearPair: (from: string, to: string) => number;
  private readonly readPair: (from: string, to: string, known: string | undefined) => { version: string; entries?: GlossaryEntry[] };

  constructor(options: SqliteGlossaryOptions) {
    this.ownsDb = !options.db;
    this.db = options.db ?? openDb(options.file ?? ':memory:');
    this.now = options.now ?? Date.now;
    this.st = {
      insert: this.db.prepare<Record<string, string | number>, { id: string; created_at: number }>(
        `INSERT INTO glossary (id, src_lang, tgt_lang, source, target, dnt, case_sensitive, whole_word, created_at)
         VALUES (@id, @from, @to, @source, @target, @dnt, @cs, @ww, @createdAt)
         ON CONFLICT (src_lang, tgt_lang, source) DO UPDATE SET
           target = excluded.target, dnt = excluded.dnt, case_sensitive = excluded.case_sensitive, whole_word = excluded.whole_word
         RETURNING id, created_at`,
      ),
      bump: this.db.prepare(
        `INSERT INTO glossary_versions (src_lang, tgt_lang, version) VALUES (?, ?, 1)
         ON CONFLICT (src_lang, tgt_lang) DO UPDATE SET version = version + 1`,
      ),
      version: this.db.prepare<[string, string], { version: number }>('SELECT version FROM glossary_versions WHERE src_lang = ? AND tgt_lang = ?'),
      pair: this.db.prepare<[string, string], Row>('SELECT * FROM glossary WHERE src_lang = ? AND tgt_lang = ? ORDER BY source, id'),
      byId: this.db.prepare<[string], Row>('SELECT * FROM glossary WHERE id = ?'),
      remove: this.db.prepare('DELETE FROM glossary WHERE id = ?'),
      clear: this.db.prepare('DELETE FROM glossary WHERE src_lang = ? AND tgt_lang = ?'),
    };
    const st = this.st;
    this.addAll = writeTransaction(this.db, (entries: readonly GlossaryEntry[]) => {
      const pairs = new Map<string, [string, string]>();
      const stored = entries.map((e) => {
        // An existing term keeps its id (and creation time): references to it stay valid.
        const kept = st.insert.get({
          id: e.id, from: e.from, to: e.to, source: e.source, target: e.target,
          dnt: +e.doNotTranslate, cs: +e.caseSensitive, ww: +e.wholeWord, createdAt: e.createdAt,
        })!;
        pairs.set(`${e.from}>${e.to}`, [e.from, e.to]);
        return { ...e, id: kept.id, createdAt: kept.created_at };
      });
      for (const [from, to] of pairs.values()) st.bump.run(from, to);
      return stored;
    });
    this.removeOne = writeTransaction(this.db, (id: string) => {
      const row = st.byId.get(id);
      if (!row) return false;
      st.remove.run(id);
      st.bump.run(row.src_lang, row.tgt_lang);
      return true;
    });
    this.clearPair = writeTransaction(this.db, (from: string, to: string) => {
      const n = st.clear.run(from, to).changes;
      if (n > 0) st.bump.run(from, to);
      return n;
    });
    // Version and entries from one snapshot, so they are always in step.
    this.readPair = this.db.transaction((from: string, to: string, known: string | undefined) => {
      const version = String(st.version.get(from, to)?.version ?? 0);
      return version === known ? { version } : { version, entries: st.pair.all(from, to).map(fromRow) };
    });
  }

  async add(entries: readonly NewGlossaryEntry[]): Promise<GlossaryEntry[]> {
    const now = this.now();
    const normalized = entries.map((e) => normalizeEntry(e, now));
    const stored = new Map(this.addAll(lastPerTerm(normalized)).map((e) => [`${e.from}>${e.to}>${e.source}`, e]));
    return normalized.map((e) => stored.get(`${e.from}>${e.to}>${e.source}`)!);
  }

  async list(query: GlossaryQuery): Promise<GlossaryPage> {
    const { clause: filter, args } = pairTextFilter(query);
    const total = (this.db.prepare(`SELECT count(*) AS n FROM glossary ${filter}`).get(...args) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT * FROM glossary ${filter} ORDER BY src_lang, tgt_lang, source, id LIMIT ? OFFSET ?`)
      .all(...args, query.limit ?? -1, query.offset ?? 0) as Row[];
    return { entries: rows.map(fromRow), total };
  }

  async remove(id: string): Promise<boolean> {
    return this.removeOne(id);
  }

  async clear(from: string, to: string): Promise<number> {
    return this.clearPair(from, to);
  }

  async forPair(from: string, to: string): Promise<{ version: string; entries: readonly GlossaryEntry[] }> {
    // One indexed read per call: another process (the CLI, the API) may have changed the pair.
    const key = `${from}>${to}`;
    const known = this.loaded.get(key);
    const read = this.readPair(from, to, known?.version);
    if (!read.entries) return known!;
    const fresh = { version: read.version, entries: read.entries };
    this.loaded.set(key, fresh);
    return fresh;
  }

  async close(): Promise<void> {
    if (this.ownsDb) this.db.close();
  }
}
