import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteQueue } from '../../src/core/queue/sqlite.js';
import { runQueueContract } from './queue-contract.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmp = useTmpDirs();

runQueueContract('sqlite', async () => new SqliteQueue({ file: join(tmp(), 'parla.db') }));

describe('SqliteQueue', () => {
  it('takes over a lease whose owner process is dead', async () => {
    const q = new SqliteQueue({ file: join(tmp(), 'parla.db') });
    const { id } = await q.create({ from: 'en', to: ['es'], spec: {} });
    // 2^22 + 1 is above Linux's default pid_max, so no process has it.
    expect(await q.acquire(id, { id: 'dead', pid: 4_194_305 })).toBe(true);
    expect(await q.acquire(id, { id: 'alive', pid: process.pid })).toBe(true);
    await q.close();
  });

  it('opens a queue made before review flags: old jobs read as clean and count flags from then on', async () => {
    const file = join(tmp(), 'parla.db');
    // Written as the first release did: tables of its own, no schema version (migrations add the rest).
    const old = new Database(file);
    old.exec(`
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY, key TEXT, status TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        src_lang TEXT NOT NULL, tgt_langs TEXT NOT NULL, input TEXT, output TEXT, spec TEXT NOT NULL,
        error TEXT, ingested INTEGER NOT NULL DEFAULT 0, total INTEGER NOT NULL DEFAULT 0, done INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0, cached INTEGER NOT NULL DEFAULT 0, model_calls INTEGER NOT NULL DEFAULT 0,
        owner TEXT, owner_pid INTEGER);
      CREATE TABLE job_texts (
        id INTEGER PRIMARY KEY, job_id TEXT NOT NULL, lang TEXT NOT NULL, key TEXT NOT NULL, source TEXT NOT NULL,
        count INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER NOT NULL DEFAULT 0, result TEXT, error TEXT);
      INSERT INTO jobs (id, status, created_at, updated_at, src_lang, tgt_langs, spec, ingested, total, done)
        VALUES ('old', 'running', '2026-01-01', '2026-01-01', 'en', '["es"]', '{}', 1, 2, 1);
      INSERT INTO job_texts (job_id, lang, key, source, count, status, result) VALUES ('old', 'es', 'a', 'a', 1, 'done', 'A');
      INSERT INTO job_texts (job_id, lang, key, source, count) VALUES ('old', 'es', 'b', 'b', 1);
    `);
    old.close();
    for (let open = 0; open < 2; open++) {
      // Twice: the second open finds the columns already there.
      const q = new SqliteQueue({ file });
      expect((await q.get('old'))?.record.progress).toMatchObject({ done: 1, flagged: 0 });
      await q.close();
    }
    const q = new SqliteQueue({ file });
    const [b] = await q.nextTexts('old', 10, Date.now());
    await q.commit('old', [{ id: b!.id, ok: true, text: 'B', cached: false, flags: ['untranslated'] }]);
    expect((await q.get('old'))?.record.progress).toMatchObject({ done: 2, flagged: 1 });
    expect(await q.lookup('old', 'es', ['a', 'b'])).toEqual([{ text: 'A', flags: [] }, { text: 'B', flags: ['untranslated'] }]);
    await q.close();
  });
});
