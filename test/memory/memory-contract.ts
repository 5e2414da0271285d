// One behaviour suite for every MemoryBackend (SQLite locally, Redis for a team).
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MemoryBackend } from '../../src/core/memory/backend.js';
import { readFileSync } from 'node:fs';
import { DEFAULT_FUZZY_THRESHOLD } from '../../src/shared/memory.js';
import { referenceSimilarity } from './reference.js';

const FUZZY = JSON.parse(readFileSync(new URL('../fixtures/memory-fuzzy.json', import.meta.url), 'utf8')) as {
  entries: string[];
  cases: { query: string; expected: number }[];
};

export interface MakeOptions {
  author?: () => string;
  now?: () => number;
}

/** `makeBackend(store)`: a handle on the store named `store`; handles on one name share their data. */
export function runMemoryContract(name: string, makeBackend: (store: string, options: MakeOptions) => Promise<MemoryBackend>): void {
  describe(`MemoryBackend contract: ${name}`, () => {
    const open: MemoryBackend[] = [];
    let store = '';
    let clock = 1_000_000;
    beforeEach(() => {
      store = `test-${randomUUID()}`;
      clock = 1_000_000;
    });
    const make = async (options: MakeOptions = {}) => {
      const b = await makeBackend(store, { now: () => clock, ...options });
      open.push(b);
      return b;
    };
    afterEach(async () => {
      for (const b of open.splice(0)) await b.close();
    });

    it('adds an entry with its author, time and origin, and reads it back', async () => {
      const m = await make({ author: () => 'ana' });
      const [e] = await m.add([{ from: 'en', to: 'es', source: '  Save the file ', target: 'Guarda el archivo' }]);
      expect(e).toMatchObject({ from: 'en', to: 'es', source: 'Save the file', target: 'Guarda el archivo', who: 'ana', when: clock, origin: 'typed', history: [] });
      expect(e!.id).toMatch(/^[0-9a-f]{16}$/);
      expect(await m.get(e!.id)).toEqual(e);
      const [b] = await m.add([{ from: 'en', to: 'es', source: 'Open', target: 'Abrir', who: 'bo', when: 5, origin: 'approved', note: 'menu' }]);
      expect(b).toMatchObject({ who: 'bo', when: 5, origin: 'approved', note: 'menu' });
    });

    it('refuses a bad entry and stores none of its batch', async () => {
      const m = await make();
      await expect(m.add([{ from: 'en', to: 'es', source: 'a', target: 'b' }, { from: 'en', to: 'es', source: 'c', target: ' ' }])).rejects.toMatchObject({ code: 'BAD_INPUT' });
      await expect(m.import([{ from: 'en', to: 'es', source: 'a', target: 'b' }, { from: 'e n', to: 'es', source: 'c', target: 'd' }])).rejects.toMatchObject({ code: 'BAD_INPUT' });
      expect((await m.list({})).total).toBe(0);
    });

    it('matches exactly, setting aside surrounding whitespace and placeholder names only', async () => {
      const m = await make();
      await m.add([
        { from: 'en', to: 'es', source: 'Hello {name}, you have %(count)s files', target: 'Hola {name}, tienes %(count)s archivos' },
        { from: 'en', to: 'es', source: 'Delete', target: 'Eliminar' },
      ]);
      const found = await m.lookup('en', 'es', [
        '\tDelete\n',
        'Hello {user}, you have %(n)s files',
        'delete',
        'Delete  ',
        'Delete.',
        'Hello  {user}, you have %(n)s files',
        'Hello %s, you have %(n)s files',
      ]);
      expect(found.map((e) => e?.target)).toEqual(['Eliminar', 'Hola {name}, tienes %(count)s archivos', undefined, 'Eliminar', undefined, undefined, undefined]);
      expect(await m.lookup('en', 'fr', ['Delete'])).toEqual([undefined]);
      expect(await m.lookup('en', 'es', [])).toEqual([]);
    });

    it('a later edit wins and the earlier one is kept in the history; an older one goes to the history', async () => {
      const m = await make();
      const [first] = await m.add([{ from: 'en', to: 'es', source: 'Cart', target: 'Carro', who: 'ana', when: 100 }]);
      const [second] = await m.add([{ from: 'en', to: 'es', source: ' Cart', target: 'Carrito', who: 'bo', when: 200, origin: 'approved' }]);
      expect(second).toMatchObject({ id: first!.id, target: 'Carrito', who: 'bo', when: 200, origin: 'approved' });
      expect(second!.history).toEqual([{ target: 'Carro', who: 'ana', when: 100, origin: 'typed' }]);
      const [late] = await m.add([{ from: 'en', to: 'es', source: 'Cart', target: 'Cesta', who: 'cy', when: 150 }]);
      expect(late).toMatchObject({ target: 'Carrito', who: 'bo' });
      expect(late!.history.map((r) => r.target)).toEqual(['Carro', 'Cesta']);
      // The same version again (a sync sending it twice) changes nothing.
      const [again] = await m.add([{ from: 'en', to: 'es', source: 'Cart', target: 'Cesta', who: 'cy', when: 150 }]);
      expect(again).toEqual(late);
      expect((await m.lookup('en', 'es', ['Cart']))[0]).toEqual(late);
    });

    it('every handle sees an entry as soon as it is added, and removal', async () => {
      const a = await make();
      const b = await make();
      expect(await b.lookup('en', 'es', ['Print'])).toEqual([undefined]);
      const [e] = await a.add([{ from: 'en', to: 'es', source: 'Print', target: 'Imprimir' }]);
      expect((await b.lookup('en', 'es', ['Print']))[0]?.target).toBe('Imprimir');
      expect(await b.remove(e!.id)).toBe(true);
      expect(await b.remove(e!.id)).toBe(false);
      expect(await a.lookup('en', 'es', ['Print'])).toEqual([undefined]);
      expect(await a.suggest('en', 'es', 'Print', { threshold: 0.5, limit: 5 })).toEqual([]);
    });

    it('lists by pair then source, searches source and target in any case, pages', async () => {
      const m = await make();
      await m.add(['apple:manzana', 'pear:pera', 'Pineapple:piña', 'grape:uva'].map((p) => {
        const [source, target] = p.split(':') as [string, string];
        return { from: 'en', to: 'es', source, target };
      }));
      await m.add([{ from: 'de', to: 'es', source: 'Apfel', target: 'manzana' }]);
      expect((await m.list({})).entries.map((e) => e.source)).toEqual(['Apfel', 'Pineapple', 'apple', 'grape', 'pear']);
      expect((await m.list({ from: 'en', q: 'APPLE' })).entries.map((e) => e.source)).toEqual(['Pineapple', 'apple']);
      expect((await m.list({ q: 'manzana' })).total).toBe(2);
      const page = await m.list({ from: 'en', to: 'es', limit: 2, offset: 2 });
      expect(page).toMatchObject({ total: 4 });
      expect(page.entries.map((e) => e.source)).toEqual(['grape', 'pear']);
    });

    it('suggests the closest entries above the threshold, scored by word edit distance', async () => {
      const m = await make();
      const sources = [
        'The file could not be saved because the disk is full',
        'The file could not be opened because it is locked',
        'The folder could not be saved',
        'Your password has expired',
      ];
      await m.add(sources.map((source, i) => ({ from: 'en', to: 'es', source, target: `t${i}` })));
      const query = 'The file could not be saved because the drive is full';
      const found = await m.suggest('en', 'es', query, { threshold: 0.5, limit: 5 });
      expect(found.map((s) => s.target)).toEqual(['t0', 't1']);
      for (const s of found) expect(s.score).toBeCloseTo(referenceSimilarity(query, s.source), 12);
      expect(found[0]!.score).toBeCloseTo(1 - 1 / 11, 12);
      expect(await m.suggest('en', 'es', query, { threshold: 0.95, limit: 5 })).toEqual([]);
      expect(await m.suggest('en', 'fr', query, { threshold: 0.5, limit: 5 })).toEqual([]);
      expect(await m.suggest('en', 'es', '!!!', { threshold: 0.5, limit: 5 })).toEqual([]);
    });

    it('edited sentences (test/fixtures/memory-fuzzy.json): the right entry ranks first in ≥ 95 %, every entry over the threshold is found, scores as the reference', async () => {
      const m = await make();
      await m.import(FUZZY.entries.map((source, i) => ({ from: 'en', to: 'es', source, target: `t${i}` })));
      let first = 0;
      let missed = 0;
      for (const { query, expected } of FUZZY.cases) {
        const found = await m.suggest('en', 'es', query, { threshold: 0.5, limit: 3 });
        if (found[0]?.target === `t${expected}`) first += 1;
        for (const s of found) expect(s.score).toBeCloseTo(referenceSimilarity(query, s.source), 12);
        // The index never hides an entry that reaches the default threshold.
        const reference = referenceSimilarity(query, FUZZY.entries[expected]!);
        const atDefault = await m.suggest('en', 'es', query, { threshold: DEFAULT_FUZZY_THRESHOLD, limit: 50 });
        if (reference >= DEFAULT_FUZZY_THRESHOLD && !atDefault.some((s) => s.target === `t${expected}`)) missed += 1;
      }
      expect(first / FUZZY.cases.length).toBeGreaterThanOrEqual(0.95);
      expect(missed).toBe(0);
    });

    it('imports many entries at once, with progress', async () => {
      const m = await make();
      const seen: number[] = [];
      const n = await m.import(
        Array.from({ length: 2500 }, (_, i) => ({ from: 'en', to: 'es', source: `sentence number ${i}`, target: `frase número ${i}` })),
        (done) => seen.push(done),
      );
      expect(n).toBe(2500);
      expect(seen.at(-1)).toBe(2500);
      const [e] = await m.lookup('en', 'es', ['sentence number 1234']);
      expect(e).toMatchObject({ target: 'frase número 1234', origin: 'imported' });
    });
  });
}
