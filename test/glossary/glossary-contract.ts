// One behaviour suite for every GlossaryBackend (SQLite locally, Redis for a team).
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GlossaryBackend } from '../../src/core/glossary/backend.js';

/** `makeBackend(store)`: a handle on the store named `store`; handles on one name share their data. */
export function runGlossaryContract(name: string, makeBackend: (store: string) => Promise<GlossaryBackend>): void {
  describe(`GlossaryBackend contract: ${name}`, () => {
    const open: GlossaryBackend[] = [];
    let store = '';
    beforeEach(() => {
      store = `test-${randomUUID()}`;
    });
    const make = async () => {
      const b = await makeBackend(store);
      open.push(b);
      return b;
    };
    afterEach(async () => {
      for (const b of open.splice(0)) await b.close();
    });

    it('adds entries with defaults and lists them by pair, then source term', async () => {
      const g = await make();
      const [cat, parla] = await g.add([
        { from: 'en', to: 'es', source: 'cat', target: 'gato' },
        { from: 'en', to: 'es', source: 'Parla', doNotTranslate: true },
      ]);
      expect(cat).toMatchObject({ from: 'en', to: 'es', source: 'cat', target: 'gato', doNotTranslate: false, caseSensitive: false, wholeWord: true });
      expect(parla).toMatchObject({ source: 'Parla', target: 'Parla', doNotTranslate: true });
      expect(cat!.id).toMatch(/^[0-9a-f]{16}$/);
      await g.add([{ from: 'en', to: 'fr', source: 'cat', target: 'chat', caseSensitive: true, wholeWord: false }]);
      const all = await g.list({});
      expect(all.total).toBe(3);
      expect(all.entries.map((e) => `${e.from}>${e.to}:${e.source}`)).toEqual(['en>es:Parla', 'en>es:cat', 'en>fr:cat']);
      expect(all.entries[2]).toMatchObject({ caseSensitive: true, wholeWord: false });
      expect((await g.list({ from: 'en', to: 'es' })).total).toBe(2);
      expect((await g.list({ to: 'fr' })).entries.map((e) => e.target)).toEqual(['chat']);
    });

    it('searches source and target in any case, with limit and offset', async () => {
      const g = await make();
      await g.add(['apple:manzana', 'pear:pera', 'Pineapple:piña', 'grape:uva'].map((p) => {
        const [source, target] = p.split(':') as [string, string];
        return { from: 'en', to: 'es', source, target };
      }));
      const page = await g.list({ from: 'en', to: 'es', q: 'APPLE' });
      expect(page.entries.map((e) => e.source)).toEqual(['Pineapple', 'apple']);
      expect((await g.list({ q: 'pera' })).entries.map((e) => e.source)).toEqual(['pear']);
      const second = await g.list({ from: 'en', to: 'es', limit: 2, offset: 2 });
      expect(second.total).toBe(4);
      expect(second.entries.map((e) => e.source)).toEqual(['grape', 'pear']);
    });

    it('adding a term again replaces its target and keeps its id', async () => {
      const g = await make();
      const [first] = await g.add([{ from: 'en', to: 'es', source: 'cart', target: 'carro' }]);
      const [again] = await g.add([{ from: 'en', to: 'es', source: 'cart', target: 'carrito', caseSensitive: true }]);
      expect(again).toMatchObject({ id: first!.id, target: 'carrito', caseSensitive: true, createdAt: first!.createdAt });
      const { entries } = await g.forPair('en', 'es');
      expect(entries).toHaveLength(1);
      expect(entries[0]!.target).toBe('carrito');
      // Within one batch the last entry of a term wins.
      const batch = await g.add([
        { from: 'en', to: 'es', source: 'tab', target: 'pestaña' },
        { from: 'en', to: 'es', source: 'tab', target: 'ficha' },
      ]);
      expect(batch[0]!.id).toBe(batch[1]!.id);
      expect((await g.list({ q: 'tab' })).entries.map((e) => e.target)).toEqual(['ficha']);
    });

    it("forPair's version changes on every change of that pair and only that pair", async () => {
      const g = await make();
      const empty = await g.forPair('en', 'es');
      expect(empty.entries).toEqual([]);
      const other0 = (await g.forPair('en', 'de')).version;
      const [a] = await g.add([{ from: 'en', to: 'es', source: 'a', target: 'b' }]);
      const v1 = await g.forPair('en', 'es');
      expect(v1.version).not.toBe(empty.version);
      expect(v1.entries.map((e) => e.id)).toEqual([a!.id]);
      expect((await g.forPair('en', 'de')).version).toBe(other0);
      expect((await g.forPair('en', 'es')).version).toBe(v1.version);
      await g.add([{ from: 'en', to: 'es', source: 'a', target: 'c' }]);
      const v2 = await g.forPair('en', 'es');
      expect(v2.version).not.toBe(v1.version);
      expect(v2.entries[0]!.target).toBe('c');
      expect(await g.remove(a!.id)).toBe(true);
      const v3 = await g.forPair('en', 'es');
      expect(v3.entries).toEqual([]);
      expect(new Set([empty.version, v1.version, v2.version, v3.version]).size).toBe(4);
      expect((await g.forPair('en', 'de')).version).toBe(other0);
    });

    it('remove says whether the id existed; a removed term can be added again', async () => {
      const g = await make();
      const [e] = await g.add([{ from: 'en', to: 'es', source: 'file', target: 'archivo' }]);
      expect(await g.remove('0000000000000000')).toBe(false);
      expect(await g.remove(e!.id)).toBe(true);
      expect(await g.remove(e!.id)).toBe(false);
      const [again] = await g.add([{ from: 'en', to: 'es', source: 'file', target: 'fichero' }]);
      expect(again!.id).not.toBe(e!.id);
      expect((await g.list({})).entries.map((x) => x.target)).toEqual(['fichero']);
    });

    it('clear removes one pair only', async () => {
      const g = await make();
      await g.add([
        { from: 'en', to: 'es', source: 'a', target: 'x' },
        { from: 'en', to: 'es', source: 'b', target: 'y' },
        { from: 'en', to: 'fr', source: 'a', target: 'z' },
      ]);
      const before = (await g.forPair('en', 'es')).version;
      expect(await g.clear('en', 'es')).toBe(2);
      expect((await g.forPair('en', 'es')).version).not.toBe(before);
      expect((await g.list({})).entries.map((e) => e.to)).toEqual(['fr']);
      expect(await g.clear('en', 'es')).toBe(0);
    });

    it('rejects entries without terms or with bad language codes, storing nothing', async () => {
      const g = await make();
      await expect(g.add([{ from: 'en', to: 'es', source: ' ', target: 'x' }])).rejects.toMatchObject({ code: 'BAD_INPUT' });
      await expect(g.add([{ from: 'en', to: 'es', source: 'x' }])).rejects.toMatchObject({ code: 'BAD_INPUT' });
      await expect(g.add([{ from: 'en', to: 'es', source: 'ok', target: 'bien' }, { from: 'e>n', to: 'es', source: 'x', target: 'y' }])).rejects.toMatchObject({ code: 'BAD_INPUT' });
      expect((await g.list({})).total).toBe(0);
    });

    it('keeps Unicode terms as written', async () => {
      const g = await make();
      await g.add([{ from: 'de', to: 'ja', source: 'Straße / Größe "quoted"', target: '通り\tサイズ 🚀' }]);
      expect((await g.forPair('de', 'ja')).entries[0]).toMatchObject({ source: 'Straße / Größe "quoted"', target: '通り\tサイズ 🚀' });
    });

    it('a second handle on the same store sees changes at once', async () => {
      const a = await make();
      const b = await make();
      await b.forPair('en', 'es');
      await a.add([{ from: 'en', to: 'es', source: 'cart', target: 'carrito' }]);
      expect((await b.forPair('en', 'es')).entries.map((e) => e.target)).toEqual(['carrito']);
    });

    it('stores 100,000 entries of one pair in one add and serves them', async () => {
      const g = await make();
      const entries = Array.from({ length: 100_000 }, (_, i) => ({ from: 'en', to: 'es', source: `term${i}`, target: `término${i}` }));
      const t0 = performance.now();
      await g.add(entries);
      const addMs = performance.now() - t0;
      const t1 = performance.now();
      const pair = await g.forPair('en', 'es');
      const loadMs = performance.now() - t1;
      const t2 = performance.now();
      for (let i = 0; i < 100; i++) await g.forPair('en', 'es');
      const unchangedMs = (performance.now() - t2) / 100;
      console.log(`${name}: add 100k ${addMs.toFixed(0)} ms, first forPair ${loadMs.toFixed(0)} ms, unchanged forPair ${unchangedMs.toFixed(3)} ms`);
      expect(pair.entries).toHaveLength(100_000);
    }, 120_000);
  });
}
