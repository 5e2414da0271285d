// Translation history: one row per translation, an FTS5 index over source and text so people can
// find "that sentence from last week" in any language, without caring about accents.
// Its tables are made and changed by the ordered migrations in src/core/migrations.ts.
import { stringify } from 'csv-stringify/sync';
import { historyTimeBound, type HistoryEntry, type HistoryJob, type HistoryExportFormat, type HistoryQuery, type NewHistoryEntry } from '../../shared/history.js';
import { ParlaError } from '../../shared/errors.js';
import { writeTransaction, type Db } from '../db.js';
import { checkOutputFile, writeWholeSync } from '../output-file.js';
import { EndOfTurn } from '../end-of-turn.js';

interface Row {
  id: number;
  /** Comma-separated review flags; null when clean (and in entries made before flags were kept). */
  flags: string | null;
  /** A batch summary's job as JSON (HistoryJob); null for translations and older summaries. */
  job: string | null;
  source: string;
  text: string;
  src_lang: string;
  tgt_lang: string;
  model: string;
  door: string;
  created_at: string;
}

const DEFAULT_LIMIT = 100;
const DAY_MS = 86_400_000;

function toEntry(r: Row): HistoryEntry {
  return {
    id: r.id,
    source: r.source,
    text: r.text,
    from: r.src_lang,
    to: r.tgt_lang,
    model: r.model,
    door: r.door as HistoryEntry['door'],
    createdAt: r.created_at,
    ...(r.flags ? { flags: r.flags.split(',') as HistoryEntry['flags'] } : {}),
    ...(r.job ? { job: JSON.parse(r.job) as HistoryJob } : {}),
  };
}

/** Histories made before review flags were kept gain the column; their entries read as clean. */
/**
 * Turns what a person types into an FTS5 query: every word must appear (prefix match), and
 * FTS5 syntax characters in the input are quoted away instead of raising a syntax error.
 */
export function toFtsQuery(q: string): string {
  const words = q.normalize('NFC').match(/[\p{L}\p{N}_]+/gu) ?? [];
  return words.map((w) => `"${w}"*`).join(' ');
}

/** An entry as written: `record` has stamped it. */
type StampedEntry = NewHistoryEntry & { createdAt: string };

export class HistoryStore {
  private readonly insert;
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    const stmt = db.prepare<[string, string, string, string, string, string, string, string | null, string | null]>(
      'INSERT INTO history (source, text, src_lang, tgt_lang, model, door, created_at, flags, job) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const newest = db.prepare<[], { source: string; text: string; tgt_lang: string; door: string }>(
      'SELECT source, text, tgt_lang, door FROM history ORDER BY id DESC LIMIT 1',
    );
    this.insert = writeTransaction(db, (entries: readonly StampedEntry[]) => {
      for (const e of entries) {
        // The same translation again right away (translate-as-you-type, a cache hit on a
        // re-run) is one entry, not a run of copies. Each batch job keeps its own summary.
        const last = e.door === 'batch' ? undefined : newest.get();
        if (last && last.source === e.source && last.text === e.text && last.tgt_lang === e.to && last.door === e.door) continue;
        stmt.run(e.source, e.text, e.from, e.to, e.model, e.door, e.createdAt, e.flags?.length ? e.flags.join(',') : null, e.job ? JSON.stringify(e.job) : null);
      }
    });
    // Retention is enforced whenever a door opens the history, not only when the setting changes.
    this.prune();
  }

  /** Entries recorded but not yet written: one transaction per turn of the event loop. */
  private pending: StampedEntry[] = [];
  private readonly pendingWrite = new EndOfTurn(() => this.flush(), 'history');

  /**
   * Records entries, stamped now. They are written together once the current turn of the event
   * loop is over (a burst of API requests costs one write, not one each); every read flushes
   * first, so a read never misses an entry recorded before it.
   */
  record(entries: readonly NewHistoryEntry[]): void {
    if (entries.length === 0) return;
    const at = this.now().toISOString();
    for (const e of entries) this.pending.push({ ...e, createdAt: e.createdAt ?? at });
    this.pendingWrite.request();
  }

  /** Writes the pending entries now (before reads, and before the database closes). */
  flush(): void {
    if (this.pending.length === 0 || !this.db.open) return;
    const entries = this.pending;
    this.pending = [];
    this.insert(entries);
  }

  /** Newest first; `q` searches source and translation. */
  list(query: HistoryQuery = {}): HistoryEntry[] {
    this.flush();
    const filter = this.filter(query);
    if (!filter) return [];
    const sql = `SELECT h.* FROM ${filter.from} ${filter.where} ORDER BY h.created_at DESC, h.id DESC LIMIT ? OFFSET ?`;
    return this.db
      .prepare<(string | number)[], Row>(sql)
      .all(...filter.params, query.limit ?? DEFAULT_LIMIT, query.offset ?? 0)
      .map(toEntry);
  }

  /** How many entries match (limit and offset ignored): the total a paged list shows. */
  count(query: HistoryQuery = {}): number {
    this.flush();
    const filter = this.filter(query);
    if (!filter) return 0;
    return this.db.prepare<(string | number)[], { n: number }>(`SELECT count(*) AS n FROM ${filter.from} ${filter.where}`).get(...filter.params)!.n;
  }

  /** FROM and WHERE of a query; undefined when the text query can match nothing. */
  private filter(query: HistoryQuery): { from: string; where: string; params: (string | number)[] } | undefined {
    const where: string[] = [];
    const params: (string | number)[] = [];
    let from = 'history h';
    if (query.q !== undefined && query.q.trim() !== '') {
      const fts = toFtsQuery(query.q);
      if (fts === '') return undefined;
      from = 'history_fts f JOIN history h ON h.id = f.rowid';
      where.push('history_fts MATCH ?');
      params.push(fts);
    }
    if (query.from) {
      where.push('h.src_lang = ?');
      params.push(query.from);
    }
    if (query.to) {
      // A batch into several languages leaves one summary whose target is the list ("es,fr").
      where.push(`(h.tgt_lang = ? OR (h.door = 'batch' AND ',' || h.tgt_lang || ',' LIKE '%,' || ? || ',%'))`);
      params.push(query.to, query.to);
    }
    if (query.flagged) where.push('h.flags IS NOT NULL');
    if (query.since) {
      where.push('h.created_at >= ?');
      params.push(historyTimeBound(query.since, 'since'));
    }
    if (query.until) {
      where.push('h.created_at <= ?');
      params.push(historyTimeBound(query.until, 'until'));
    }
    return { from, where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
  }

  search(q: string, query: Omit<HistoryQuery, 'q'> = {}): HistoryEntry[] {
    return this.list({ ...query, q });
  }

  get(id: number): HistoryEntry | undefined {
    this.flush();
    const row = this.db.prepare<[number], Row>('SELECT * FROM history WHERE id = ?').get(id);
    return row ? toEntry(row) : undefined;
  }

  delete(id: number): boolean {
    this.flush();
    return this.db.prepare('DELETE FROM history WHERE id = ?').run(id).changes > 0;
  }

  clear(): number {
    this.flush();
    const n = this.db.prepare('DELETE FROM history').run().changes;
    this.db.exec(`INSERT INTO history_fts (history_fts) VALUES ('rebuild')`);
    return n;
  }

  /** Retention in days; undefined keeps everything. */
  get retentionDays(): number | undefined {
    const row = this.db.prepare<[], { value: string }>(`SELECT value FROM settings WHERE name = 'history.retentionDays'`).get();
    return row ? Number(row.value) : undefined;
  }

  setRetentionDays(days: number | undefined): void {
    if (days === undefined) {
      this.db.prepare(`DELETE FROM settings WHERE name = 'history.retentionDays'`).run();
      return;
    }
    if (!Number.isInteger(days) || days < 1) throw new ParlaError('BAD_INPUT', `retention must be a whole number of days ≥ 1, got ${days}`);
    this.db
      .prepare(`INSERT INTO settings (name, value) VALUES ('history.retentionDays', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`)
      .run(String(days));
    this.prune();
  }

  /** Deletes entries older than the retention setting; returns how many went. */
  prune(): number {
    this.flush();
    const days = this.retentionDays;
    if (days === undefined) return 0;
    const cutoff = new Date(this.now().getTime() - days * DAY_MS).toISOString();
    return this.db.prepare('DELETE FROM history WHERE created_at < ?').run(cutoff).changes;
  }

  /** Writes matching entries (all by default) to `file`; temp file + rename, never half a file. */
  export(file: string, format: HistoryExportFormat, query: HistoryQuery = {}): number {
    checkOutputFile(file);
    const entries = this.list({ ...query, limit: query.limit ?? -1 });
    const body =
      format === 'json'
        ? JSON.stringify(entries, null, 2) + '\n'
        : stringify(entries, { header: true, columns: ['id', 'createdAt', 'from', 'to', 'model', 'door', 'source', 'text', 'flags'] });
    writeWholeSync(file, body);
    return entries.length;
  }
}
