// The glossary in every door's translation path: local state enforces it and keys the cache by
// the pair's glossary version; a team's members and workers share one glossary in Redis.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareBatch, runBatch } from '../../src/core/jobs/batch.js';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalState } from '../../src/core/state.js';
import { openTeamState, type TeamState } from '../../src/core/team/team-state.js';
import { TeamWorker } from '../../src/core/team/worker.js';
import { useTmpDirs } from '../state/helpers/tmp.js';
import { RedisServer, useRedisServer } from '../team/helpers/redis-server.js';
import { protectedFake } from './helpers.js';

const tmp = useTmpDirs('parla-glossary-');
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0).reverse()) await s.close();
});

describe('local state', () => {
  it('a glossary change misses exactly the changed pair; the term is enforced and reported', async () => {
    const { model, openEngine } = protectedFake();
    const state = openLocalState({ dataDir: tmp(), openEngine });
    open.push(state);
    const t = state.doorTranslator('cli');
    await t.translate({ texts: ['the cat sleeps', 'the dog'], from: 'en', to: 'es' });
    await t.translate({ texts: ['the cat sleeps'], from: 'en', to: 'fr' });
    expect(model.calls).toBe(2);
    const [cached] = await t.translate({ texts: ['the cat sleeps'], from: 'en', to: 'es' });
    expect(cached).toMatchObject({ text: 'es:THE CAT SLEEPS', cached: true });

    const [cat] = await state.glossary.add([{ from: 'en', to: 'es', source: 'cat', target: 'gato' }]);
    const [after] = await t.translate({ texts: ['the cat sleeps'], from: 'en', to: 'es' });
    expect(after).toMatchObject({ text: 'es:THE gato SLEEPS', cached: false, glossary: [cat!.id] });
    // Other pairs keep their hits; the changed pair's new translations are cached under its version.
    const [fr] = await t.translate({ texts: ['the cat sleeps'], from: 'en', to: 'fr' });
    expect(fr).toMatchObject({ text: 'fr:THE CAT SLEEPS', cached: true });
    const [again] = await t.translate({ texts: ['the cat sleeps'], from: 'en', to: 'es' });
    expect(again).toMatchObject({ text: 'es:THE gato SLEEPS', cached: true });

    // A request naming no source language uses the routed model's (en) glossary.
    const [routed] = await t.translate({ texts: ['one cat'], to: 'es' });
    expect(routed!.text).toBe('es:ONE gato');

    // Removing the term: the old plain translation is right again.
    await state.glossary.remove(cat!.id);
    const [removed] = await t.translate({ texts: ['the cat sleeps'], from: 'en', to: 'es' });
    expect(removed).toMatchObject({ text: 'es:THE CAT SLEEPS', cached: true });
  });

  it('a spreadsheet batch applies the glossary to every row and keeps placeholders', async () => {
    const dir = tmp();
    const { openEngine } = protectedFake();
    const state = openLocalState({ dataDir: dir, openEngine });
    open.push(state);
    await state.glossary.add([{ from: 'en', to: 'es', source: 'cart', target: 'carrito' }, { from: 'en', to: 'es', source: 'Parla', doNotTranslate: true }]);
    const file = join(dir, 'shop.csv');
    writeFileSync(file, 'text\nYour cart is empty\n"{count} items in the cart"\nParla saves your cart\nnothing here\n');
    const { job } = await prepareBatch(state.queue, { file, to: ['es'], from: 'en' });
    const record = await runBatch(state.runner, job);
    expect(record.status).toBe('done');
    expect(readFileSync(record.output!, 'utf8').trim().split('\n').slice(1)).toEqual([
      'Your cart is empty,es:YOUR carrito IS EMPTY,',
      '{count} items in the cart,es:{count} ITEMS IN THE carrito,',
      'Parla saves your cart,es:Parla SAVES YOUR carrito,',
      'nothing here,es:NOTHING HERE,',
    ]);
  });

  it('a term added by another process (the CLI beside the app) applies to the next translation', async () => {
    const dataDir = tmp();
    const { openEngine } = protectedFake();
    const app = openLocalState({ dataDir, openEngine });
    open.push(app);
    const t = app.doorTranslator('app');
    expect((await t.translate({ texts: ['Parla works'], from: 'en', to: 'es' }))[0]!.text).toBe('es:PARLA WORKS');
    const cli = openLocalState({ dataDir, openEngine });
    await cli.glossary.add([{ from: 'en', to: 'es', source: 'Parla', doNotTranslate: true, caseSensitive: true }]);
    await cli.close();
    expect((await t.translate({ texts: ['Parla works'], from: 'en', to: 'es' }))[0]!.text).toBe('es:Parla WORKS');
  });
});

describe('team', () => {
  const server = useRedisServer();
  const member = async (team: string, fake = protectedFake()): Promise<TeamState & { fake: typeof fake }> => {
    const state = await openTeamState({
      dataDir: tmp(), redis: { url: server().url, team }, openEngine: fake.openEngine, workConcurrency: 0, connectTimeoutMs: 2000,
    });
    open.push(state);
    return Object.assign(state, { fake });
  };

  it("a member's next translation uses a term another member added, without restarting", async () => {
    const team = `test-${randomUUID()}`;
    const a = await member(team);
    const b = await member(team);
    const tb = b.local.doorTranslator('app');
    expect((await tb.translate({ texts: ['open the file'], from: 'en', to: 'es' }))[0]!.text).toBe('es:OPEN THE FILE');
    const [file] = await a.local.glossary.add([{ from: 'en', to: 'es', source: 'file', target: 'fichero' }]);
    expect((await b.local.glossary.list({ from: 'en', to: 'es' })).entries.map((e) => e.id)).toEqual([file!.id]);
    const [after] = await tb.translate({ texts: ['open the file'], from: 'en', to: 'es' });
    expect(after).toMatchObject({ text: 'es:OPEN THE fichero', cached: false, glossary: [file!.id] });
    // a translates it from the team cache: same key (same glossary version) on both members.
    const [fromTeam] = await a.local.doorTranslator('app').translate({ texts: ['open the file'], from: 'en', to: 'es' });
    expect(fromTeam).toMatchObject({ text: 'es:OPEN THE fichero', cached: true });
    expect(a.fake.model.calls).toBe(0);
  });

  it('with Redis away, a member translates at once with the glossary it last saw', async () => {
    const own = await RedisServer.start();
    try {
      const team = `test-${randomUUID()}`;
      const state = await openTeamState({
        dataDir: tmp(), redis: { url: own.url, team }, openEngine: protectedFake().openEngine, workConcurrency: 0, connectTimeoutMs: 2000,
      });
      open.push(state);
      await state.local.glossary.add([{ from: 'en', to: 'es', source: 'file', target: 'fichero' }]);
      const t = state.local.doorTranslator('app');
      expect((await t.translate({ texts: ['open the file'], from: 'en', to: 'es' }))[0]!.text).toBe('es:OPEN THE fichero');
      await own.stop();
      const deadline = Date.now() + 10_000;
      while (state.teamStatus() === 'online' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(state.teamStatus()).not.toBe('online');
      const started = performance.now();
      const [away] = await t.translate({ texts: ['save the file'], from: 'en', to: 'es' });
      expect(away!.text).toBe('es:SAVE THE fichero');
      // A pair never looked up while online translates without a glossary, and does not wait.
      expect((await t.translate({ texts: ['save the file'], from: 'en', to: 'fr' }))[0]!.text).toBe('fr:SAVE THE FILE');
      expect(performance.now() - started).toBeLessThan(1500);
    } finally {
      await own.destroy();
    }
  });

  it("a team worker enforces the team's glossary on batch chunks", async () => {
    const team = `test-${randomUUID()}`;
    const a = await member(team);
    await a.local.glossary.add([{ from: 'en', to: 'es', source: 'Parla', doNotTranslate: true }, { from: 'en', to: 'es', source: 'file', target: 'fichero' }]);
    const fake = protectedFake();
    const worker = await TeamWorker.start({ url: server().url, team, dataDir: tmp(), openEngine: fake.openEngine });
    open.push({ close: () => worker.close(2000) });
    const texts = ['Parla saves the file', 'one file', 'nothing here'];
    const job = await a.teamQueue.create({ from: 'en', to: ['es'], spec: { kind: 'texts', texts } });
    expect((await a.teamRunner.run(job.id)).status).toBe('done');
    const { textJobResults } = await import('../../src/core/jobs/text-source.js');
    expect((await textJobResults(a.teamQueue, job.id))['es']).toEqual(['es:Parla SAVES THE fichero', 'es:ONE fichero', 'es:NOTHING HERE']);
  });
});
