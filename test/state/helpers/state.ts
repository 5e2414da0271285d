// A complete local state (db, cache, history, queue, runner) over a temp data dir, with the fake
// model at the edge.
import { join } from 'node:path';
import { CachedTranslator } from '../../../src/core/cache/cached-translator.js';
import { SqliteCache } from '../../../src/core/cache/sqlite.js';
import { openDb } from '../../../src/core/db.js';
import { HistoryStore } from '../../../src/core/history/store.js';
import { JobRunner, type JobRunnerOptions } from '../../../src/core/jobs/runner.js';
import { textJobSource } from '../../../src/core/jobs/text-source.js';
import type { SourceFactory } from '../../../src/core/jobs/source.js';
import { SqliteQueue } from '../../../src/core/queue/sqlite.js';
import { FakeTranslator } from './fake-translator.js';

export function openState(
  dataDir: string,
  model = new FakeTranslator(),
  runnerOptions: Partial<JobRunnerOptions> & { sourceFor?: SourceFactory } = {},
) {
  const db = openDb(join(dataDir, 'parla.db'));
  const cache = new SqliteCache({ db });
  const history = new HistoryStore(db);
  const queue = new SqliteQueue({ db });
  const translator = new CachedTranslator(model, cache, { resolveModel: (r) => ({ id: r.model ?? `fake/${r.to}`, revision: '1' }) });
  const runner = new JobRunner({ queue, translator, history, sourceFor: textJobSource, ...runnerOptions });
  return { db, cache, history, queue, runner, model, close: () => db.close() };
}
