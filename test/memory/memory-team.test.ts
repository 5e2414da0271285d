// Team mode: the memory lives in the team's Redis (an entry one member saves answers every member
// at once, and the team's workers), with each member's SQLite copy answering while Redis is away;
// edits made offline reach the team when it is back, the latest edit winning.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openTeamState, type TeamState, type TeamStateOptions } from '../../src/core/team/team-state.js';
import { TeamWorker } from '../../src/core/team/worker.js';
import { textJobResults } from '../../src/core/jobs/text-source.js';
import { FakeTranslator } from '../state/helpers/fake-translator.js';
import { RedisServer, useRedisServer } from '../team/helpers/redis-server.js';
import { useTmp } from '../team/helpers/team.js';

const tmp = useTmp();
const server = useRedisServer();
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0).reverse()) await s.close();
});

async function member(team: string, url = server().url, over: Partial<TeamStateOptions> = {}): Promise<TeamState & { model: FakeTranslator }> {
  const model = new FakeTranslator();
  const state = await openTeamState({
    dataDir: tmp(), redis: { url, team, maxReconnectDelayMs: 300 }, openEngine: async () => model, workConcurrency: 0,
    pollMs: 100, reconcileMs: 500, connectTimeoutMs: 2000, ...over,
  });
  open.push(state);
  return Object.assign(state, { model });
}

const waitFor = async (cond: () => boolean | Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('team memory', () => {
  it("member B gets member A's correction on the next request, without restarting", async () => {
    const team = `test-${randomUUID()}`;
    const a = await member(team);
    const b = await member(team);
    expect((await b.translator.translate({ texts: ['Open the file'], from: 'en', to: 'es' }))[0]).toMatchObject({ text: 'es:OPEN THE FILE', origin: 'model' });
    await a.local.memory.add([{ from: 'en', to: 'es', source: 'Open the file', target: 'Abre el archivo', origin: 'approved' }]);
    const [t] = await b.translator.translate({ texts: ['Open the file'], from: 'en', to: 'es' });
    expect(t).toMatchObject({ text: 'Abre el archivo', origin: 'memory', cached: false });
    expect(b.model.calls).toBe(1);
  });

  it("a team worker's chunks are answered by the memory, and the job counts them", async () => {
    const team = `test-${randomUUID()}`;
    const state = await member(team);
    const engine = new FakeTranslator();
    const worker = await TeamWorker.start({ url: server().url, team, dataDir: tmp(), openEngine: async () => engine });
    open.push({ close: () => worker.close(2000) });
    await state.local.memory.add([{ from: 'en', to: 'es', source: 'hello', target: 'hola' }]);
    const job = await state.teamQueue.create({ from: 'en', to: ['es'], spec: { kind: 'texts', texts: ['hello', 'world', 'hello'] } });
    const record = await state.teamRunner.run(job.id);
    expect(record.progress).toMatchObject({ total: 3, done: 3, memory: 1, modelCalls: 1, cached: 0 });
    expect((await textJobResults(state.teamQueue, job.id))['es']).toEqual(['hola', 'es:WORLD', 'hola']);
    expect(engine.texts).toEqual(['world']);
  });

  it('the local copy answers while Redis is away; offline edits reach the team when it is back, the latest winning', async () => {
    const own = await RedisServer.start({ appendonly: true });
    try {
      const team = `test-${randomUUID()}`;
      const a = await member(team, own.url);
      await a.local.memory.add([{ from: 'en', to: 'es', source: 'Cart', target: 'Carro', who: 'ana', when: 1000 }]);
      await a.local.memory.add([{ from: 'en', to: 'es', source: 'Basket', target: 'Cesta', who: 'ana', when: 1000 }]);
      await own.stop();
      await waitFor(() => a.teamStatus() === 'offline');
      // Answered by the copy (it holds what this member wrote and read).
      expect((await a.translator.translate({ texts: ['Cart'], from: 'en', to: 'es' }))[0]).toMatchObject({ text: 'Carro', origin: 'memory' });
      await a.local.memory.add([{ from: 'en', to: 'es', source: 'Cart', target: 'Carrito', who: 'ana', when: 3000 }]);
      await a.local.memory.add([{ from: 'en', to: 'es', source: 'Basket', target: 'Canasta', who: 'ana', when: 1500 }]);
      expect((await a.translator.translate({ texts: ['Cart'], from: 'en', to: 'es' }))[0]?.text).toBe('Carrito');
      await expect(a.local.memory.remove('x')).rejects.toMatchObject({ code: 'TEAM_OFFLINE' });

      await own.launch();
      // Meanwhile, another member edits Basket later than the offline edit.
      const b = await member(team, own.url);
      await b.local.memory.add([{ from: 'en', to: 'es', source: 'Basket', target: 'Cestita', who: 'bo', when: 2000 }]);
      await waitFor(() => a.teamStatus() === 'online');
      await waitFor(async () => (await b.local.memory.lookup('en', 'es', ['Cart']))[0]?.target === 'Carrito');
      const [cart, basket] = await b.local.memory.lookup('en', 'es', ['Cart', 'Basket']);
      expect(cart!.history.map((r) => r.target)).toEqual(['Carro']);
      expect(basket).toMatchObject({ target: 'Cestita', who: 'bo' });
      expect(basket!.history.map((r) => r.target)).toEqual(['Cesta', 'Canasta']);
      // A's copy caught up with B's edit.
      await waitFor(async () => (await a.translator.translate({ texts: ['Basket'], from: 'en', to: 'es' }))[0]?.text === 'Cestita');
    } finally {
      await own.destroy();
    }
  });
});
