import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CachedTranslator } from '../../src/core/cache/cached-translator.js';
import { SqliteCache } from '../../src/core/cache/sqlite.js';
import { openDb } from '../../src/core/db.js';
import { HistoryStore } from '../../src/core/history/store.js';
import { FakeTranslator } from './helpers/fake-translator.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmp = useTmpDirs();

function setup() {
  const db = openDb(join(tmp(), 'parla.db'));
  const cache = new SqliteCache({ db });
  const history = new HistoryStore(db);
  const model = new FakeTranslator();
  let revision = 'r1';
  const translator = new CachedTranslator(model, cache, {
    resolveModel: (req) => ({ id: req.model ?? `fake/${req.to}`, revision }),
    history: { store: history, door: 'cli' },
  });
  return { db, cache, history, model, translator, setRevision: (r: string) => (revision = r) };
}

describe('CachedTranslator', () => {
  it('sends only distinct misses to the model and marks hits as cached', async () => {
    const { model, translator, db } = setup();
    const first = await translator.translate({ texts: ['hello', 'world', 'hello'], to: 'es', from: 'en' });
    expect(first.map((t) => t.text)).toEqual(['es:HELLO', 'es:WORLD', 'es:HELLO']);
    expect(first.every((t) => !t.cached)).toBe(true);
    expect(model.texts).toEqual(['hello', 'world']);

    const second = await translator.translate({ texts: ['  hello ', 'new', 'world'], to: 'es', from: 'en' });
    expect(second.map((t) => [t.source, t.text, t.cached])).toEqual([
      ['  hello ', '  es:HELLO ', true],
      ['new', 'es:NEW', false],
      ['world', 'es:WORLD', true],
    ]);
    expect(model.texts).toEqual(['hello', 'world', 'new']);
    db.close();
  });

  it('keys on target language, decoding options and model revision', async () => {
    const { model, translator, setRevision, db } = setup();
    await translator.translate({ texts: ['a'], to: 'es' });
    await translator.translate({ texts: ['a'], to: 'fr' });
    await translator.translate({ texts: ['a'], to: 'es', options: { beam: 4 } });
    setRevision('r2');
    await translator.translate({ texts: ['a'], to: 'es' });
    await translator.translate({ texts: ['a'], to: 'es' });
    expect(model.calls).toBe(4);
    db.close();
  });

  it('noCache skips the lookup but still writes', async () => {
    const { model, translator, cache, db } = setup();
    await translator.translate({ texts: ['x'], to: 'es' });
    const r = await translator.translate({ texts: ['x'], to: 'es', noCache: true });
    expect(r[0]?.cached).toBe(false);
    expect(model.calls).toBe(2);
    expect((await cache.stats()).entries).toBe(1);
    db.close();
  });

  it('records each translation once in history', async () => {
    const { translator, history, db } = setup();
    await translator.translate({ texts: ['café', 'thé'], to: 'es', from: 'fr' });
    await translator.translate({ texts: ['café'], to: 'es', from: 'fr' });
    const all = history.list();
    expect(all).toHaveLength(3);
    expect(all.every((e) => e.door === 'cli' && e.from === 'fr' && e.to === 'es')).toBe(true);
    db.close();
  });

  it("records the routed model's source language when a request names none, so --from finds it", async () => {
    const db = openDb(join(tmp(), 'parla.db'));
    const history = new HistoryStore(db);
    const translator = new CachedTranslator(new FakeTranslator(), new SqliteCache({ db }), {
      resolveModel: () => ({ id: 'fake/en-es', revision: '1', from: 'en' }),
      history: { store: history, door: 'api' },
    });
    await translator.translate({ texts: ['hello'], to: 'es' });
    await translator.translate({ texts: ['hello'], to: 'es' }); // a cache hit records the same
    expect(history.list({ from: 'en' }).map((e) => e.from)).toEqual(['en']);
    db.close();
  });
});
