// The local state database: cache, history and job queue share one SQLite file per data dir so a
// batch, the API and the app see the same state. WAL lets readers run while a batch writes.
import Database from 'better-sqlite3';
import { dirname, join } from 'node:path';
import { migrate } from './migrations.js';
import { ensurePrivateDir, ensurePrivateFile, touchPrivateFile } from './private-fs.js';

export type Db = Database.Database;

export const STATE_DB_FILE = 'parla.db';

export function stateDbPath(dataDir: string): string {
  return join(dataDir, STATE_DB_FILE);
}

/**
 * Opens (creating if needed) a SQLite file tuned for many short transactions from several
 * processes, its schema brought up to date (src/core/migrations.ts) unless opened read-only.
 */
export function openDb(file: string, options: { readonly?: boolean } = {}): Db {
  if (file !== ':memory:' && !options.readonly) makePrivate(file);
  const db = new Database(file, { readonly: options.readonly ?? false });
  // Another process (a second `parla batch`, the API) may hold the write lock for a moment.
  db.pragma('busy_timeout = 10000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode is still durable against process crashes (kill -9); only an OS crash
    // may lose the last transactions, never corrupt the file.
    db.pragma('synchronous = NORMAL');
    migrate(db);
  }
  return db;
}

/**
 * The file holds people's texts: 0600 in a 0700 folder. SQLite creates a database 0644 and gives
 * its -wal and -shm files the database's mode, so the file is made (empty, which SQLite takes as
 * a new database) with the right mode first, and existing ones are fixed before opening.
 */
function makePrivate(file: string): void {
  ensurePrivateDir(dirname(file));
  touchPrivateFile(file);
  for (const suffix of ['-wal', '-shm', '-journal']) ensurePrivateFile(file + suffix);
}

/**
 * A transaction that takes the write lock when it begins (BEGIN IMMEDIATE). Every transaction
 * that writes must start this way: a deferred one that reads first holds a WAL snapshot, and if
 * another process commits before it writes, SQLite fails the upgrade at once with "database is
 * locked" instead of waiting out busy_timeout (it cannot, without breaking isolation).
 */
export function writeTransaction<A extends unknown[], R>(db: Db, fn: (...args: A) => R): (...args: A) => R {
  return db.transaction(fn).immediate as (...args: A) => R;
}
