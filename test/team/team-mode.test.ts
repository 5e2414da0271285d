// Team mode in one process: isolation between teams, credentials, Redis going away and coming
// back, cancel reaching a running chunk, and the team cache saving model calls.
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ParlaError } from '../../src/shared/errors.js';
import { openTeamState, type TeamState, type TeamStateOptions } from '../../src/core/team/team-state.js';
import { redactUrl } from '../../src/core/team/redact.js';
import { TeamWorker } from '../../src/core/team/worker.js';
import { FakeTranslator } from '../state/helpers/fake-translator.js';
import { RedisServer, useRedisServer } from './helpers/redis-server.js';
import { useTmp } from './helpers/team.js';

const tmp = useTmp();
const server = useRedisServer();

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0).reverse()) await s.close();
});

async function member(team: string, model = new FakeTranslator(), over: Partial<TeamStateOptions> = {}): Promise<TeamState & { model: FakeTranslator }> {
  const state = await openTeamState({
    dataDir: tmp(), redis: { url: server().url, team }, openEngine: async () => model, workConcurrency: 0,
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

describe('team cache', () => {
  it('a second member translating what the first did makes zero model calls', async () => {
    const team = `test-${randomUUID()}`;
    const a = await member(team);
    const b = await member(team);
    const texts = Array.from({ length: 40 }, (_, i) => `sentence ${i}`);
    await a.translator.translate({ texts, to: 'es', from: 'en' });
    expect(a.model.texts.length).toBe(40);
    const got = await b.translator.translate({ texts, to: 'es', from: 'en' });
    expect(b.model.calls).toBe(0);
    expect(got.every((t) => t.cached)).toBe(true);
    expect(got.map((t) => t.text)).toEqual(texts.map((t) => FakeTranslator.render(t, 'es')));
  });

  it('two teams on one Redis see nothing of each other', async () => {
    const [ta, tb] = [`test-${randomUUID()}`, `test-${randomUUID()}`];
    const a = await member(ta);
    const b = await member(tb);
    await a.translator.translate({ texts: ['shared text'], to: 'es' });
    await b.translator.translate({ texts: ['shared text'], to: 'es' });
    expect(b.model.calls).toBe(1);
    const job = await a.teamQueue.create({ from: 'en', to: ['es'], spec: { texts: ['x'] } });
    expect(await b.teamQueue.get(job.id)).toBeUndefined();
    expect((await b.teamQueue.list()).map((j) => j.id)).not.toContain(job.id);
    const keys = await server().client().keys('*');
    const mine = keys.filter((k) => k.includes(ta) || k.includes(tb));
    expect(mine.length).toBeGreaterThan(0);
    for (const k of mine) expect(k.startsWith(`parla:${ta}:`) || k.startsWith(`parla:${tb}:`)).toBe(true);
  });
});

describe('team jobs in one process', () => {
  it('runs a text job on an in-process worker and cancel reaches its running chunk', async () => {
    const team = `test-${randomUUID()}`;
    const state = await member(team);
    let aborted = 0;
    const slow = {
      async translate(req: { texts: string[]; to: string }, signal?: AbortSignal) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 5000);
          signal?.addEventListener('abort', () => (clearTimeout(t), aborted++, resolve()), { once: true });
        });
        signal?.throwIfAborted();
        return req.texts.map((s) => ({ source: s, text: s, model: 'm', cached: false, ms: 1 }));
      },
    };
    const worker = await TeamWorker.start({ url: server().url, team, dataDir: tmp(), openEngine: async () => slow, statusPollMs: 50 });
    open.push({ close: () => worker.close(2000) });
    const job = await state.teamQueue.create({ from: 'en', to: ['es'], spec: { kind: 'texts', texts: ['a', 'b', 'c'] } });
    const run = state.teamRunner.run(job.id);
    await waitFor(async () => (await state.teamQueue.get(job.id))?.record.status === 'running');
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    await state.teamRunner.cancel(job.id);
    const record = await run;
    expect(record.status).toBe('canceled');
    await waitFor(() => aborted > 0, 3000);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('a member app works on team chunks itself (workConcurrency 1): a job finishes with no separate worker', async () => {
    const team = `test-${randomUUID()}`;
    const state = await member(team, new FakeTranslator(), { workConcurrency: 1 });
    const job = await state.teamQueue.create({ from: 'en', to: ['es'], spec: { kind: 'texts', texts: ['in app', 'too'] } });
    const record = await state.teamRunner.run(job.id);
    expect(record.progress).toMatchObject({ total: 2, done: 2 });
    expect(state.model.texts).toEqual(['in app', 'too']);
  });

  it('a batch of texts finishes on the team with the same results as the model gives', async () => {
    const team = `test-${randomUUID()}`;
    const state = await member(team);
    const worker = await TeamWorker.start({ url: server().url, team, dataDir: tmp(), openEngine: async () => new FakeTranslator() });
    open.push({ close: () => worker.close(2000) });
    const texts = Array.from({ length: 130 }, (_, i) => `t${i % 100}`);
    const job = await state.teamQueue.create({ from: 'en', to: ['es', 'fr'], spec: { kind: 'texts', texts } });
    const record = await state.teamRunner.run(job.id);
    expect(record.status).toBe('done');
    expect(record.progress).toMatchObject({ total: 260, done: 260, failed: 0, modelCalls: 200 });
    const { textJobResults } = await import('../../src/core/jobs/text-source.js');
    const results = await textJobResults(state.teamQueue, job.id);
    expect(results['fr']).toEqual(texts.map((t) => FakeTranslator.render(t, 'fr')));
  });
});

describe('team review', () => {
  it('a spreadsheet on the team: workers keep each row\'s flags, the job counts them, the output has review columns', async () => {
    const team = `test-${randomUUID()}`;
    const state = await member(team);
    const review = (t: string) => (t.startsWith('loop') ? { flags: ['repetition' as const], confidence: 0.1 } : { confidence: t.startsWith('maybe') ? 0.4 : 0.9 });
    const worker = await TeamWorker.start({ url: server().url, team, dataDir: tmp(), openEngine: async () => new FakeTranslator({ review }) });
    open.push({ close: () => worker.close(2000) });
    const file = join(tmp(), 'rows.csv');
    writeFileSync(file, 'text\nhello there\nloop loop\nmaybe so\nloop loop\n');
    const { job, place } = await state.desk.prepareBatch({ file, to: ['es'], columns: ['text'], minConfidence: 0.5 });
    expect(place).toBe('team');
    const record = await state.desk.runBatch(job, place);
    expect(record.progress).toMatchObject({ total: 4, done: 4, flagged: 3 });
    expect(readFileSync(record.output!, 'utf8').split('\n')).toEqual([
      'text,text (es),text (es) review',
      'hello there,es:HELLO THERE,',
      'loop loop,,"low_confidence,repetition"',
      'maybe so,,low_confidence',
      'loop loop,,"low_confidence,repetition"',
      '',
    ]);
  });
});

describe('team retries', () => {
  it('retries a failing chunk with backoff, then fails only the bad text; retry brings it back', async () => {
    const team = `test-${randomUUID()}`;
    const state = await member(team, new FakeTranslator(), { chunks: { backoffMs: 50, attempts: 3 } });
    const model = new FakeTranslator({ failOn: (text, attempt) => text === 'bad' || (text === 'flaky' && attempt < 2) });
    const worker = await TeamWorker.start({ url: server().url, team, dataDir: tmp(), openEngine: async () => model });
    open.push({ close: () => worker.close(2000) });
    const texts = ['ok one', 'flaky', 'bad', 'ok two'];
    const job = await state.teamQueue.create({ from: 'en', to: ['es'], spec: { kind: 'texts', texts } });
    const record = await state.teamRunner.run(job.id);
    expect(record.status).toBe('done');
    expect(record.progress).toMatchObject({ total: 4, done: 3, failed: 1 });
    // Three chunk attempts (BullMQ backoff), then one text at a time on the last.
    expect(model.calls).toBe(3 + 4);
    const { textJobResults } = await import('../../src/core/jobs/text-source.js');
    expect((await textJobResults(state.teamQueue, job.id))['es']).toEqual(['es:OK ONE', 'es:FLAKY', null, 'es:OK TWO']);
    const again = await state.teamRunner.retry(job.id);
    expect(again.progress).toMatchObject({ done: 3, failed: 1 });
  });
});

describe('credentials', () => {
  it('a wrong password is one clear REDIS_AUTH line that never shows the password', async () => {
    const secured = await RedisServer.start({ password: 'right-horse-battery' });
    try {
      const url = `redis://:wrong-staple-9@127.0.0.1:${secured.port}`;
      const error = await openTeamState({ dataDir: tmp(), redis: { url }, openEngine: async () => new FakeTranslator(), workConcurrency: 0 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ParlaError);
      expect((error as ParlaError).code).toBe('REDIS_AUTH');
      expect((error as ParlaError).message).not.toContain('wrong-staple-9');
      expect((error as ParlaError).message).not.toContain('\n');
      expect((error as ParlaError).message).toContain(`127.0.0.1:${secured.port}`);
      await expect(TeamWorker.start({ url, dataDir: tmp(), openEngine: async () => new FakeTranslator() })).rejects.toMatchObject({ code: 'REDIS_AUTH' });
      // The right password works.
      const ok = await openTeamState({ dataDir: tmp(), redis: { url: secured.url }, openEngine: async () => new FakeTranslator(), workConcurrency: 0 });
      open.push(ok);
      expect(ok.teamStatus()).toBe('online');
    } finally {
      await secured.destroy();
    }
  });

  it('an ACL user with its password connects; the password is redacted everywhere', async () => {
    const secured = await RedisServer.start({ args: ['--user', 'default', 'off', '--user', 'alice', 'on', '>s3cret-pw', '~*', '&*', '+@all'] });
    try {
      const url = `redis://alice:s3cret-pw@127.0.0.1:${secured.port}`;
      expect(redactUrl(url)).toBe(`redis://alice:***@127.0.0.1:${secured.port}`);
      const ok = await openTeamState({ dataDir: tmp(), redis: { url, team: `test-${randomUUID()}` }, openEngine: async () => new FakeTranslator(), workConcurrency: 0 });
      open.push(ok);
      expect(ok.teamStatus()).toBe('online');
      await expect(
        openTeamState({ dataDir: tmp(), redis: { url: url.replace('s3cret-pw', 'nope-pw') }, openEngine: async () => new FakeTranslator(), workConcurrency: 0 }),
      ).rejects.toMatchObject({ code: 'REDIS_AUTH' });
    } finally {
      await secured.destroy();
    }
  });
});

describe('TLS', () => {
  it('connects over rediss:// with the team CA and refuses an unverified server', async () => {
    const dir = tmp();
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=parla-test-ca');
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    writeFileSync(join(dir, 'ext'), 'subjectAltName=IP:127.0.0.1\n');
    ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'ext');
    const secured = await RedisServer.start({ tls: { cert: join(dir, 'server.crt'), key: join(dir, 'server.key'), ca: join(dir, 'ca.crt') } });
    try {
      expect(secured.url.startsWith('rediss://')).toBe(true);
      const team = `test-${randomUUID()}`;
      const state = await member(team, new FakeTranslator(), { redis: { url: secured.url, team, tls: { ca: readFileSync(join(dir, 'ca.crt')) } } });
      expect(state.teamStatus()).toBe('online');
      await state.translator.translate({ texts: ['over tls'], to: 'es' });
      expect((await state.teamQueue.create({ from: 'en', to: ['es'], spec: {} })).status).toBe('queued');
      const untrusted = await member(team, new FakeTranslator(), { redis: { url: secured.url, team }, connectTimeoutMs: 1000 });
      expect(untrusted.teamStatus()).not.toBe('online');
      expect(untrusted.statusInfo().lastError).toMatch(/certificate/i);
    } finally {
      await secured.destroy();
    }
  });
});

describe('Redis away', () => {
  it('keeps translating locally, shows offline, reconnects and pushes what it learned', async () => {
    const own = await RedisServer.start();
    try {
      const team = `test-${randomUUID()}`;
      const model = new FakeTranslator();
      const state = await openTeamState({
        dataDir: tmp(), redis: { url: own.url, team, maxReconnectDelayMs: 300 }, openEngine: async () => model, workConcurrency: 0,
      });
      open.push(state);
      expect(state.teamStatus()).toBe('online');
      await state.translator.translate({ texts: ['before'], to: 'es' });
      await own.stop();
      await waitFor(() => state.teamStatus() === 'offline');
      expect(state.statusInfo().lastError).toMatch(/team Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable/);
      const during = await state.translator.translate({ texts: ['before', 'during'], to: 'es' });
      expect(during.map((t) => t.cached)).toEqual([true, false]);
      // A batch submitted while offline runs locally, right away.
      const { job, place } = await state.desk.prepareBatch({ file: writeTinyCsv(tmp()), to: ['es'], columns: ['text'] });
      expect(place).toBe('local');
      expect((await state.desk.runBatch(job, place)).status).toBe('done');

      await own.launch();
      await waitFor(() => state.teamStatus() === 'online');
      const other = await member(team, new FakeTranslator(), { redis: { url: own.url, team } });
      await waitFor(async () => (await other.translator.translate({ texts: ['during'], to: 'es' }))[0]?.cached === true);
      expect(other.model.calls).toBe(0);
    } finally {
      await own.destroy();
    }
  });

  it('starts offline when Redis is not there yet and comes online when it is', async () => {
    const own = await RedisServer.start();
    await own.stop();
    try {
      const model = new FakeTranslator();
      const state = await openTeamState({
        dataDir: tmp(), redis: { url: own.url, maxReconnectDelayMs: 200 }, openEngine: async () => model, workConcurrency: 0, connectTimeoutMs: 300,
      });
      open.push(state);
      expect(state.teamStatus()).not.toBe('online');
      expect((await state.translator.translate({ texts: ['x'], to: 'es' }))[0]?.text).toBe('es:X');
      await own.launch();
      await waitFor(() => state.teamStatus() === 'online');
    } finally {
      await own.destroy();
    }
  });
});

function writeTinyCsv(dir: string): string {
  const file = `${dir}/tiny.csv`;
  writeFileSync(file, 'text\nhello\nworld\n');
  return file;
}
