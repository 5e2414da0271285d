// Several processes writing one fresh state database at once, as two `parla translate` calls,
// a batch and the API do. A write transaction that reads first must not fail with "database is
// locked" when another process commits in between. Slow: spawns processes; needs dist/.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDb, stateDbPath } from '../../src/core/db.js';
import { packageRoot } from '../../src/core/paths.js';
import { ensureBuilt } from '../engine/host-helpers.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmpDir = useTmpDirs('parla-writers-');
const WRITERS = 4;
const ROUNDS = 150;

/** One writer: history entries (read-then-write), cache writes and lookups, queue commits. */
function writerScript(file: string, writer: number): string {
  const dist = (m: string) => JSON.stringify(pathToFileURL(join(packageRoot(), 'dist', m)).href);
  return `
    import { openDb } from ${dist('core/db.js')};
    import { HistoryStore } from ${dist('core/history/store.js')};
    import { SqliteCache } from ${dist('core/cache/sqlite.js')};
    import { SqliteQueue } from ${dist('core/queue/sqlite.js')};
    const db = openDb(${JSON.stringify(file)});
    const history = new HistoryStore(db);
    const cache = new SqliteCache({ db });
    const queue = new SqliteQueue({ db });
    const job = await queue.create({ from: 'en', to: ['es'], spec: { texts: [] } });
    for (let i = 0; i < ${ROUNDS}; i++) {
      history.record([{ source: 'w${writer} ' + i, text: 't' + i, from: 'en', to: 'es', model: 'm', door: 'cli' }]);
      history.flush();
      await cache.setMany([['w${writer}-' + i, { text: 't' + i, model: 'm' }]]);
      await cache.getMany(['w${writer}-' + i, 'missing']);
      cache.flushLookups();
      await queue.addTexts(job.id, [{ lang: 'es', key: 'k' + i, source: 's' + i }]);
      await queue.retryFailed(job.id);
    }
    await queue.close(); await cache.close(); db.close();
  `;
}

function runWriter(file: string, writer: number): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', writerScript(file, writer)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}

describe('state database shared by processes (slow)', () => {
  beforeAll(() => ensureBuilt());

  it('lets several processes write a fresh database at once without "database is locked"', async () => {
    const file = stateDbPath(tmpDir());
    const results = await Promise.all(Array.from({ length: WRITERS }, (_, w) => runWriter(file, w)));
    expect(results.map((r) => r.stderr)).toEqual(Array(WRITERS).fill(''));
    expect(results.map((r) => r.code)).toEqual(Array(WRITERS).fill(0));
    const db = openDb(file, { readonly: true });
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    expect(count('SELECT count(*) AS n FROM history')).toBe(WRITERS * ROUNDS);
    expect(count('SELECT count(*) AS n FROM cache_entries')).toBe(WRITERS * ROUNDS);
    expect(count('SELECT count(*) AS n FROM job_texts')).toBe(WRITERS * ROUNDS);
    db.close();
  }, 60_000);
});
