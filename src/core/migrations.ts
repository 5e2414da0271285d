// The state database's schema, as the ordered list of changes that built it. `PRAGMA user_version`
// says how many have run; `openDb` runs the rest, all in one write transaction, so a database
// is at one version or the next, never between (kill -9 mid-migration leaves the old one whole).
// The first release wrote no version: its databases read 0, and migration 1 (its schema, every
// statement IF NOT EXISTS) finds them complete. A change to the schema is a new entry at the end;
// entries that have shipped never change.
import { ParlaError } from '../shared/errors.js';
import type { Db } from './db.js';
import { textKey } from './jobs/text-key.js';

export interface Migration {
  /** What the change is for, in a line (shown when a database is newer than this Parla). */
  summary: string;
  up(db: Db): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    summary: 'the first release: cache, history, job queue',
    up: (db) =>
      db.exec(`
CREATE TABLE IF NOT EXISTS cache_entries (
  key TEXT PRIMARY KEY,
  text TEXT NOT NULL,
  model TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  -- logical LRU clock (cache_meta.tick), not wall time: ties within one millisecond stay ordered
  accessed_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cache_entries_lru ON cache_entries (accessed_at);
CREATE TABLE IF NOT EXISTS cache_meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  hits INTEGER NOT NULL, misses INTEGER NOT NULL,
  entries INTEGER NOT NULL, bytes INTEGER NOT NULL, tick INTEGER NOT NULL
);
INSERT OR IGNORE INTO cache_meta VALUES (1, 0, 0, 0, 0, 0);

CREATE TABLE IF NOT EXISTS history (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL, text TEXT NOT NULL,
  src_lang TEXT NOT NULL, tgt_lang TEXT NOT NULL,
  model TEXT NOT NULL, door TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS history_created ON history (created_at);
CREATE INDEX IF NOT EXISTS history_pair ON history (src_lang, tgt_lang, created_at);
CREATE VIRTUAL TABLE IF NOT EXISTS history_fts USING fts5 (
  source, text, content='history', content_rowid='id', tokenize="unicode61 remove_diacritics 2"
);
CREATE TRIGGER IF NOT EXISTS history_ai AFTER INSERT ON history BEGIN
  INSERT INTO history_fts (rowid, source, text) VALUES (new.id, new.source, new.text);
END;
CREATE TRIGGER IF NOT EXISTS history_ad AFTER DELETE ON history BEGIN
  INSERT INTO history_fts (history_fts, rowid, source, text) VALUES ('delete', old.id, old.source, old.text);
END;
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY, key TEXT, status TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  src_lang TEXT NOT NULL, tgt_langs TEXT NOT NULL, input TEXT, output TEXT, spec TEXT NOT NULL,
  error TEXT, ingested INTEGER NOT NULL DEFAULT 0,
  total INTEGER NOT NULL DEFAULT 0, done INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,
  cached INTEGER NOT NULL DEFAULT 0, model_calls INTEGER NOT NULL DEFAULT 0,
  owner TEXT, owner_pid INTEGER
);
CREATE INDEX IF NOT EXISTS jobs_key ON jobs (key, created_at);
CREATE TABLE IF NOT EXISTS job_texts (
  id INTEGER PRIMARY KEY, job_id TEXT NOT NULL, lang TEXT NOT NULL, key TEXT NOT NULL,
  source TEXT NOT NULL, count INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL DEFAULT 0,
  result TEXT, error TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS job_texts_key ON job_texts (job_id, lang, key);
CREATE INDEX IF NOT EXISTS job_texts_pending ON job_texts (job_id, status, attempts, id);
`),
  },
  {
    summary: 'cache entries keep their review (confidence and flags as compact JSON, NULL when there is nothing to say)',
    // Builds made before versions existed may have added the column already.
    up: (db) => {
      if (!hasColumn(db, 'cache_entries', 'review')) db.exec('ALTER TABLE cache_entries ADD COLUMN review TEXT');
    },
  },
  {
    summary: 'the glossary, with a version per language pair',
    up: (db) =>
      db.exec(`
CREATE TABLE IF NOT EXISTS glossary (
  id TEXT PRIMARY KEY,
  src_lang TEXT NOT NULL,
  tgt_lang TEXT NOT NULL,
  source TEXT NOT NULL,
  target TEXT NOT NULL,
  dnt INTEGER NOT NULL,
  case_sensitive INTEGER NOT NULL,
  whole_word INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (src_lang, tgt_lang, source)
);
CREATE TABLE IF NOT EXISTS glossary_versions (
  src_lang TEXT NOT NULL,
  tgt_lang TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (src_lang, tgt_lang)
);
`),
  },
  {
    summary: 'job items of texts with line breaks keyed with them',
    up: rekeyMultiLineJobTexts,
  },
  {
    summary: 'translations keep their review: job items and history entries hold their flags, jobs count flagged rows',
    // Guarded: development databases of this release may have added them on their own.
    up: (db) => {
      if (!hasColumn(db, 'job_texts', 'review')) db.exec('ALTER TABLE job_texts ADD COLUMN review TEXT');
      if (!hasColumn(db, 'jobs', 'flagged')) db.exec('ALTER TABLE jobs ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0');
      if (!hasColumn(db, 'history', 'flags')) db.exec('ALTER TABLE history ADD COLUMN flags TEXT');
    },
  },
  {
    summary: 'translation memory: entries keyed by pair and normalised source, a word index for fuzzy matches, jobs count memory hits',
    up: (db) => {
      db.exec(`
CREATE TABLE memory (
  n INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  src_lang TEXT NOT NULL,
  tgt_lang TEXT NOT NULL,
  -- the source as matching sees it (src/core/memory/match.ts memoryKey)
  key TEXT NOT NULL,
  source TEXT NOT NULL,
  target TEXT NOT NULL,
  who TEXT NOT NULL,
  at INTEGER NOT NULL,
  origin TEXT NOT NULL,
  note TEXT,
  history TEXT NOT NULL DEFAULT '[]',
  -- team mode's local copy: 0 while an edit made offline has not reached the team yet
  synced INTEGER NOT NULL DEFAULT 1,
  UNIQUE (src_lang, tgt_lang, key)
);
CREATE INDEX memory_unsynced ON memory (synced) WHERE synced = 0;
CREATE TABLE memory_words (
  pair TEXT NOT NULL,
  word TEXT NOT NULL,
  entry INTEGER NOT NULL,
  PRIMARY KEY (pair, word, entry)
) WITHOUT ROWID;
-- how far the local copy has read the team's changes, per team
CREATE TABLE memory_sync (team TEXT PRIMARY KEY, seq INTEGER NOT NULL);
`);
      if (!hasColumn(db, 'jobs', 'memory')) db.exec('ALTER TABLE jobs ADD COLUMN memory INTEGER NOT NULL DEFAULT 0');
    },
  },
  {
    summary: "the compatible APIs' named keys (hashed) with their monthly usage, and DeepL glossaries as groups of glossary entries",
    up: (db) =>
      db.exec(`
CREATE TABLE IF NOT EXISTS api_keys (
  name TEXT PRIMARY KEY,
  -- sha256 of the key, hex: the key itself is shown once and never stored
  hash TEXT NOT NULL UNIQUE,
  char_limit INTEGER,
  rate_limit INTEGER,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE TABLE IF NOT EXISTS api_key_usage (
  name TEXT NOT NULL,
  period TEXT NOT NULL,
  characters INTEGER NOT NULL,
  requests INTEGER NOT NULL,
  PRIMARY KEY (name, period)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS deepl_glossaries (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  src_lang TEXT NOT NULL,
  tgt_lang TEXT NOT NULL,
  -- the ids of the entries it added to the pair's glossary, as a JSON array
  entry_ids TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
`),
  },
  {
    summary: 'a batch job\'s history summary keeps the job it stands for (id, file name, counts), so History shows it as a job',
    up: (db) => {
      if (!hasColumn(db, 'history', 'job')) db.exec('ALTER TABLE history ADD COLUMN job TEXT');
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

function hasColumn(db: Db, table: string, column: string): boolean {
  return db.prepare<[], { name: string }>(`PRAGMA table_info(${table})`).all().some((c) => c.name === column);
}

/**
 * A job's items are keyed by their normalised text (textKey), and the first release's
 * normalising folded line breaks into spaces. The sheet writer looks each cell up by today's
 * key, so an unfinished job's multi-line items get a copy under it (count 0: the counters stay
 * right; status and result come along). The old row stays for a one-line twin the old key merged
 * with it, which then still gets its translation as before. (Cache entries need no such care: an
 * entry under an old key is a miss, translated again.) Uses today's textKey: a later change to it
 * needs a migration of its own.
 */
function rekeyMultiLineJobTexts(db: Db): void {
  const rows = db
    .prepare<[], { id: number; key: string; source: string }>(
      `SELECT id, key, source FROM job_texts
       WHERE instr(source, char(10)) OR instr(source, char(13)) OR instr(source, char(11)) OR instr(source, char(12))
          OR instr(source, char(133)) OR instr(source, char(8232)) OR instr(source, char(8233))`,
    )
    .all();
  const copy = db.prepare<[string, number]>(
    `INSERT INTO job_texts (job_id, lang, key, source, count, status, attempts, next_at, result, error)
     SELECT job_id, lang, ?, source, 0, status, attempts, next_at, result, error FROM job_texts WHERE id = ?
     ON CONFLICT (job_id, lang, key) DO NOTHING`,
  );
  for (const row of rows) {
    const key = textKey(row.source);
    if (key !== row.key) copy.run(key, row.id);
  }
}

/** Brings `db` to SCHEMA_VERSION; refuses a database a newer Parla has changed. */
export function migrate(db: Db): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() === SCHEMA_VERSION) return;
  // IMMEDIATE: two processes opening an old database at once migrate it once; the second reads
  // the version again under the write lock and finds nothing to do.
  db.transaction(() => {
    const from = version();
    if (from > SCHEMA_VERSION) {
      throw new ParlaError(
        'CONFLICT',
        `${db.name} was written by a newer Parla (schema ${from}; this one knows ${SCHEMA_VERSION}); upgrade Parla, or use another --data-dir`,
      );
    }
    for (const migration of MIGRATIONS.slice(from)) migration.up(db);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
