// Schema versions: a database made by the first release (test/fixtures/parla-v0.db, made by
// test/fixtures/make-parla-v0.mjs from commit 2c09420) opens migrated, with nothing lost: its
// cache entries hit, its history is searchable, its finished job keeps its results and its
// unfinished job resumes to the end.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/core/db.js';
import { textJobResults } from '../../src/core/jobs/text-source.js';
import { SCHEMA_VERSION } from '../../src/core/migrations.js';
import { openLocalState } from '../../src/core/state.js';
import { FakeTranslator } from './helpers/fake-translator.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmp = useTmpDirs();
const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'parla-v0.db');

/** The fixture's engine: the same model identity its entries were keyed with. */
class FixtureEngine extends FakeTranslator {
  resolveModel = async () => ({ id: 'fake/en-es', revision: 'r1', from: 'en' });
}

function schemaOf(file: string): string[] {
  const db = openDb(file, { readonly: true });
  try {
    return db
      .prepare<[], { sql: string }>(`SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'history_fts_%' ORDER BY type, name`)
      .all()
      .map((r) => r.sql);
  } finally {
    db.close();
  }
}

describe('schema migrations', () => {
  it('opens a first-release database with nothing lost', async () => {
    const dataDir = tmp();
    copyFileSync(FIXTURE, join(dataDir, 'parla.db'));
    const engine = new FixtureEngine();
    const state = openLocalState({ dataDir, openEngine: async () => engine, runner: { batchSize: 4 } });
    try {
      expect(state.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(state.history.search('folder').map((h) => h.source)).toEqual(['Delete the folder']);
      expect(state.history.search('file').map((h) => [h.source, h.door])).toEqual([['Open the file', 'cli']]);


      const hits = await state.doorTranslator('cli').translate({ texts: ['Open the file', 'Save your changes'], to: 'es', from: 'en' });
      expect(hits.map((t) => [t.text, t.cached])).toEqual([
        ['es:OPEN THE FILE', true],
        ['es:SAVE YOUR CHANGES', true],
      ]);
      const [beam] = await state.translator.translate({ texts: ['Delete the folder'], to: 'es', from: 'en', options: { beam: 4 } });
      expect(beam).toMatchObject({ text: 'es:DELETE THE FOLDER', cached: true });
      expect(engine.calls).toBe(0);

      const jobs = await state.queue.list();
      const finished = jobs.find((j) => j.status === 'done')!;
      const paused = jobs.find((j) => j.status === 'paused')!;
      expect((await textJobResults(state.queue, finished.id)).es).toEqual(['es:THE CAT', 'es:THE DOG']);
      expect(paused.progress).toMatchObject({ total: 33, done: 5 });

      const resumed = await state.runner.resume(paused.id);
      expect(resumed.status).toBe('done');
      expect(resumed.progress).toMatchObject({ total: 33, done: 33, failed: 0 });
      const results = (await textJobResults(state.queue, paused.id)).es!;
      // The multi-line text (translated before the upgrade) is found under today's key, and its
      // one-line twin, which the old key merged with it, still gets that translation.
      expect(results.slice(0, 3)).toEqual(['es:FIRST LINE\nSECOND LINE', 'es:ONE', 'es:FIRST LINE\nSECOND LINE']);
      expect(results.slice(3)).toEqual(Array.from({ length: 30 }, (_, i) => `es:TEXT ${i}`));
      expect(engine.texts).not.toContain('first line\nsecond line');

      // The cache's later column works on the migrated table.
      await state.translator.translate({ texts: ['A new text'], to: 'es', from: 'en' });
      const [again] = await state.translator.translate({ texts: ['A new text'], to: 'es', from: 'en' });
      expect(again!.cached).toBe(true);
    } finally {
      await state.close();
    }
  });

  it('gives a migrated first-release database the schema of a new one', () => {
    const dataDir = tmp();
    const old = join(dataDir, 'old.db');
    copyFileSync(FIXTURE, old);
    openDb(old).close();
    const fresh = join(dataDir, 'fresh.db');
    openDb(fresh).close();
    expect(schemaOf(old)).toEqual(schemaOf(fresh));
    expect(schemaOf(fresh).join('\n')).toMatch(/review TEXT/);
  });

  it('migrates once, and refuses a database a newer Parla has changed', () => {
    const file = join(tmp(), 'parla.db');
    const db = openDb(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
    openDb(file).close();
    const newer = openDb(file);
    newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();
    expect(() => openDb(file)).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringMatching(/newer Parla/) }));
  });
});
