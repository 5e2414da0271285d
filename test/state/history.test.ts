import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/core/db.js';
import { HistoryStore } from '../../src/core/history/store.js';
import type { NewHistoryEntry } from '../../src/shared/history.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmp = useTmpDirs();

const entry = (source: string, text: string, from = 'en', to = 'es', createdAt?: string): NewHistoryEntry => ({
  source, text, from, to, model: 'm', door: 'cli', ...(createdAt ? { createdAt } : {}),
});

describe('HistoryStore', () => {
  it('searches any language, diacritics-insensitive, with prefix words', () => {
    const h = new HistoryStore(openDb(join(tmp(), 'parla.db')));
    h.record([
      entry('The coffee is hot', 'El café está caliente'),
      entry('Crème brûlée', 'Crema quemada', 'fr', 'es'),
      entry('Привет мир', 'Hola mundo', 'ru', 'es'),
      entry('日本語 テキスト', 'texto japonés', 'ja', 'es'),
    ]);
    expect(h.search('cafe').map((e) => e.source)).toEqual(['The coffee is hot']);
    expect(h.search('CREME brulee')).toHaveLength(1);
    expect(h.search('привет')).toHaveLength(1);
    expect(h.search('japones')).toHaveLength(1);
    expect(h.search('cal')).toHaveLength(1);
    expect(h.search('"unbalanced (quote* AND')).toEqual([]);
  });

  it('writes a burst of records in one go after the turn, and every read and close sees them', async () => {
    const file = join(tmp(), 'parla.db');
    const db = openDb(file);
    const h = new HistoryStore(db);
    h.record([entry('One', 'Uno')]);
    h.record([entry('Two', 'Dos')]);
    // Not written yet: another connection does not see them until the turn is over...
    const other = openDb(file);
    const rows = () => other.prepare<[], { n: number }>('SELECT count(*) AS n FROM history').get()!.n;
    expect(rows()).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(rows()).toBe(2);
    // ...while this store's own reads always do, and so does a flush before closing.
    h.record([entry('Three', 'Tres')]);
    expect(h.count()).toBe(3);
    h.record([entry('Four', 'Cuatro')]);
    h.flush();
    db.close();
    expect(rows()).toBe(4);
    other.close();
  });

  it('keeps one entry for the same translation repeated right away, but a later repeat again', () => {
    const h = new HistoryStore(openDb(join(tmp(), 'parla.db')));
    h.record([entry('Hello world', 'Hola mundo')]);
    h.record([entry('Hello world', 'Hola mundo')]);
    h.record([entry('Hello world', 'Hola mundo', 'en', 'fr')]);
    h.record([entry('Good night', 'Buenas noches'), entry('Hello world', 'Hola mundo')]);
    expect(h.list().map((e) => `${e.source}>${e.to}`)).toEqual(['Hello world>es', 'Good night>es', 'Hello world>fr', 'Hello world>es']);
  });

  it('filters by language pair and date range', () => {
    const h = new HistoryStore(openDb(join(tmp(), 'parla.db')));
    h.record([
      entry('a', 'A', 'en', 'es', '2024-01-01T00:00:00.000Z'),
      entry('b', 'B', 'en', 'fr', '2024-02-01T00:00:00.000Z'),
      entry('c', 'C', 'en', 'es', '2024-03-01T00:00:00.000Z'),
    ]);
    expect(h.list({ from: 'en', to: 'es' }).map((e) => e.source)).toEqual(['c', 'a']);
    expect(h.list({ since: '2024-01-15T00:00:00Z', until: '2024-02-15T00:00:00Z' }).map((e) => e.source)).toEqual(['b']);
    // A batch summary into several languages is found under each of them, and only those.
    h.record([{ source: 'sheet.csv', text: '3 of 3 items translated', from: 'en', to: 'es,fr', model: '', door: 'batch', createdAt: '2024-04-01T00:00:00.000Z' }]);
    expect(h.list({ to: 'fr' }).map((e) => e.source)).toEqual(['sheet.csv', 'b']);
    expect(h.list({ to: 'e' }).map((e) => e.source)).toEqual([]);
    // A date alone is the whole UTC day at either end.
    expect(h.list({ since: '2024-02-01', until: '2024-03-01' }).map((e) => e.source)).toEqual(['c', 'b']);
    expect(h.list({ until: '2024-01-31' }).map((e) => e.source)).toEqual(['a']);
    // A typo is an error, not an empty list.
    expect(() => h.list({ since: 'yesterday' })).toThrow(/since must be a date/);
    expect(() => h.list({ until: '2024-02-30' })).toThrow(/until must be a date/);
  });

  it('deletes by id and all, keeping search consistent', () => {
    const h = new HistoryStore(openDb(join(tmp(), 'parla.db')));
    h.record([entry('apple pie', 'tarta'), entry('apple juice', 'zumo')]);
    const [newest] = h.search('apple');
    expect(h.delete(newest!.id)).toBe(true);
    expect(h.search('apple')).toHaveLength(1);
    expect(h.clear()).toBe(1);
    expect(h.search('apple')).toHaveLength(0);
    h.record([entry('apple again', 'x')]);
    expect(h.search('apple')).toHaveLength(1);
  });

  it('prunes by retention days, now and on open', () => {
    const file = join(tmp(), 'parla.db');
    let now = new Date('2024-06-30T00:00:00Z');
    const h = new HistoryStore(openDb(file), () => now);
    h.record([entry('old', 'x', 'en', 'es', '2024-05-01T00:00:00.000Z'), entry('new', 'y', 'en', 'es', '2024-06-29T00:00:00.000Z')]);
    h.setRetentionDays(30);
    expect(h.list().map((e) => e.source)).toEqual(['new']);
    now = new Date('2024-08-30T00:00:00Z');
    const reopened = new HistoryStore(openDb(file), () => now);
    expect(reopened.list()).toEqual([]);
    expect(() => h.setRetentionDays(0)).toThrow(/retention/);
  });

  it('exports CSV and JSON', () => {
    const dir = tmp();
    const h = new HistoryStore(openDb(join(dir, 'parla.db')));
    h.record([entry('a, "quoted"\nline', 'b'), entry('c', 'd')]);
    expect(h.export(join(dir, 'h.csv'), 'csv')).toBe(2);
    const rows = parse(readFileSync(join(dir, 'h.csv')), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.source).sort()).toEqual(['a, "quoted"\nline', 'c']);
    h.export(join(dir, 'h.json'), 'json');
    expect(JSON.parse(readFileSync(join(dir, 'h.json'), 'utf8'))).toHaveLength(2);
    expect(() => h.export(join(dir, 'missing', 'h.csv'), 'csv')).toThrow(/cannot write .*h\.csv: folder .*missing does not exist/);
    expect(() => h.export(dir, 'csv')).toThrow(/it is a folder/);
  });

  it('keeps review flags and filters "needs review"; a history made before flags gains the column', () => {
    const file = join(tmp(), 'parla.db');
    // Written as the first release did: tables of its own, no schema version (migrations add the rest).
    const old = new Database(file);
    old.exec(`CREATE TABLE history (id INTEGER PRIMARY KEY, source TEXT NOT NULL, text TEXT NOT NULL, src_lang TEXT NOT NULL,
      tgt_lang TEXT NOT NULL, model TEXT NOT NULL, door TEXT NOT NULL, created_at TEXT NOT NULL);
      INSERT INTO history (source, text, src_lang, tgt_lang, model, door, created_at) VALUES ('old', 'viejo', 'en', 'es', 'm', 'cli', '2024-01-01T00:00:00.000Z');`);
    old.close();
    const h = new HistoryStore(openDb(file));
    h.record([{ ...entry('loop loop', 'bucle bucle'), flags: ['repetition'] }, { ...entry('fine', 'bien'), flags: [] }]);
    expect(h.list().map((e) => [e.source, e.flags])).toEqual([['fine', undefined], ['loop loop', ['repetition']], ['old', undefined]]);
    expect(h.list({ flagged: true }).map((e) => e.source)).toEqual(['loop loop']);
    expect(h.count({ flagged: true, to: 'es' })).toBe(1);
    expect(h.search('loop', { flagged: true })).toHaveLength(1);
    expect(h.search('fine', { flagged: true })).toHaveLength(0);
    expect(new HistoryStore(openDb(file)).list({ flagged: true })).toHaveLength(1);
  });
});
