// Cache keys: the whitespace skeleton (line breaks) is part of a text's key, default decode
// options are canonical, and each door's parser gives the same request the same shape.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CachedTranslator } from '../../src/core/cache/cached-translator.js';
import { cacheKey, normalizeSource, withOuterWhitespace } from '../../src/core/cache/key.js';
import { SqliteCache } from '../../src/core/cache/sqlite.js';
import { openDb } from '../../src/core/db.js';
import { canonicalTranslateRequest, httpTranslateRequest, translateRequest } from '../../src/shared/translate-request.js';
import { FakeTranslator } from './helpers/fake-translator.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmp = useTmpDirs();

function setup() {
  const db = openDb(join(tmp(), 'parla.db'));
  const model = new FakeTranslator();
  const translator = new CachedTranslator(model, new SqliteCache({ db }), { resolveModel: (req) => ({ id: `fake/${req.to}`, revision: 'r1' }) });
  return { db, model, translator };
}

describe('normalizeSource', () => {
  it('keeps line breaks and collapses spaces within a line', () => {
    expect(normalizeSource('  Hello   world \t')).toBe('Hello world');
    expect(normalizeSource('a\nb')).toBe('a\nb');
    expect(normalizeSource('a  \n   b')).toBe('a\nb');
    expect(normalizeSource('a\n\nb')).toBe('a\n\nb');
    expect(normalizeSource('a\r\nb')).toBe('a\r\nb');
    expect(new Set(['a\nb', 'a b', 'a\n\nb', 'a\r\nb'].map(normalizeSource)).size).toBe(4);
    // NFC: a composed and a decomposed é are one text.
    expect(normalizeSource('caf\u0065\u0301')).toBe(normalizeSource('caf\u00e9'));
  });

  it('puts the source’s outer whitespace around a shared translation', () => {
    expect(withOuterWhitespace('  Hello\n', 'Hola')).toBe('  Hola\n');
    expect(withOuterWhitespace('Hello', ' Hola ')).toBe('Hola');
  });
});

describe('cache keys', () => {
  const key = (options: object | undefined) => cacheKey({ model: 'm', revision: 'r', to: 'es', text: 'hi', ...(options ? { options } : {}) });

  it('treat default decode options as absent', () => {
    const plain = key(undefined);
    for (const options of [{}, { beam: 1 }, { nBest: 1 }, { lengthPenalty: 1 }, { quantized: false }, { beam: 1, nBest: 1, lengthPenalty: 1, quantized: false }]) {
      expect(key(options), JSON.stringify(options)).toBe(plain);
    }
    expect(key({ beam: 4 })).not.toBe(plain);
    expect(key({ beam: 4, nBest: 4 })).toBe(key({ beam: 4 }));
    expect(key({ lengthPenalty: 0.6 })).not.toBe(plain);
    expect(key({ quantized: true })).not.toBe(plain);
  });

  it('name protection only for texts with spans, and keep the first release’s layout for plain ones', () => {
    const parts = { model: 'm', revision: 'r', to: 'es' };
    expect(cacheKey({ ...parts, text: 'Open the file', protect: 'none' })).toBe(cacheKey({ ...parts, text: 'Open the file' }));
    expect(cacheKey({ ...parts, text: 'Delete {item}?', protect: 'none' })).not.toBe(cacheKey({ ...parts, text: 'Delete {item}?' }));
    expect(cacheKey({ ...parts, text: 'Open the file', glossary: '3' })).not.toBe(cacheKey({ ...parts, text: 'Open the file' }));
    // The first release hashed [model, revision, to, options, text].
    expect(cacheKey({ ...parts, text: 'Open the file' })).toBe(createHash('sha256').update(JSON.stringify(['m', 'r', 'es', '{}', 'Open the file'])).digest('hex'));
  });

  it('part the multi-line text from its one-line twin: each gets its own line breaks', async () => {
    const { model, translator } = setup();
    const [multi] = await translator.translate({ texts: ['open\nthe file'], to: 'es' });
    const [single] = await translator.translate({ texts: ['open the file'], to: 'es' });
    expect(multi).toMatchObject({ text: 'es:OPEN\nTHE FILE', cached: false });
    expect(single).toMatchObject({ text: 'es:OPEN THE FILE', cached: false });
    expect(model.texts).toEqual(['open\nthe file', 'open the file']);
    const [again] = await translator.translate({ texts: ['open  \nthe file'], to: 'es' });
    expect(again).toMatchObject({ text: 'es:OPEN\nTHE FILE', cached: true });
  });

  it('hit {beam: 1} with {} and the canonical request of every door', async () => {
    const { model, translator } = setup();
    await translator.translate({ texts: ['hello'], to: 'es' });
    const [hit] = await translator.translate({ texts: ['hello'], to: 'es', options: { beam: 1, nBest: 1, quantized: false }, protect: 'auto' });
    expect(hit!.cached).toBe(true);
    expect(model.calls).toBe(1);
    // An n-best request goes to the model for its alternatives and leaves the cache alone.
    const [alternatives] = await translator.translate({ texts: ['hello'], to: 'es', options: { beam: 4, nBest: 4 } });
    expect(alternatives!.cached).toBe(false);
    expect(model.calls).toBe(2);
  });
});

describe('the one request parser', () => {
  it('gives the CLI’s, HTTP’s and IPC’s forms of one request the same shape', () => {
    const cli = { texts: ['hi'], ...canonicalTranslateRequest({ to: 'es', from: undefined, model: undefined, options: { beam: 4 }, noCache: false, protect: 'auto' as const }) };
    const http = httpTranslateRequest.parse({ texts: ['hi'], to: 'es', beam: 4, protect: 'auto' });
    const ipc = translateRequest.parse({ texts: ['hi'], to: 'es', options: { beam: 4, lengthPenalty: 1, quantized: false } });
    expect(http).toEqual(cli);
    expect(ipc).toEqual(cli);
    expect(cli).toEqual({ texts: ['hi'], to: 'es', options: { beam: 4 } });
    expect(httpTranslateRequest.parse({ texts: ['hi'], to: 'es', beam: 1 })).toEqual({ texts: ['hi'], to: 'es' });
    // Alternatives are asked for, capped at the beam.
    expect(httpTranslateRequest.parse({ texts: ['hi'], to: 'es', beam: 2, nBest: 4 })).toEqual({ texts: ['hi'], to: 'es', options: { beam: 2, nBest: 2 } });
  });
});
