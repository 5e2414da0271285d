// `parla worker`: usage errors, credentials, and a graceful SIGTERM that finishes the running chunk.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { workerCommand } from '../../src/cli/commands/worker.js';
import { openTeamState } from '../../src/core/team/team-state.js';
import { runCli } from '../state/helpers/cli.js';
import { FakeTranslator } from '../state/helpers/fake-translator.js';
import { useRedisServer } from './helpers/redis-server.js';
import { ensureBuilt, spawnWorker, useTmp } from './helpers/team.js';

const tmp = useTmp();
const server = useRedisServer({ password: 'pw-for-tests-42' });
beforeAll(() => ensureBuilt());

describe('parla worker', () => {
  it('needs --redis', async () => {
    const r = await runCli(workerCommand, [], tmp());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs a team Redis/);
  });

  it('a wrong password ends it with exit 2 and one line without the password', async () => {
    const r = await runCli(workerCommand, [], tmp(), undefined, { redisUrl: `redis://:not-it-777@127.0.0.1:${server().port}` });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/refused the credentials/);
    expect(r.stderr).not.toContain('not-it-777');
  });

  it('on SIGTERM finishes its running chunk, then exits 0', async () => {
    const team = `test-${randomUUID()}`;
    const w = spawnWorker({ url: server().url, team, dataDir: tmp(), delayMs: 800 });
    await w.waitFor(/worker ready/);
    expect(w.output()).not.toContain('pw-for-tests-42');
    const state = await openTeamState({ dataDir: tmp(), redis: { url: server().url, team }, openEngine: async () => new FakeTranslator(), workConcurrency: 0, pollMs: 100 });
    const job = await state.teamQueue.create({ from: 'en', to: ['es'], spec: { kind: 'texts', texts: ['one', 'two'] } });
    const run = state.teamRunner.run(job.id);
    await new Promise((r) => setTimeout(r, 400));
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    expect(w.output()).toMatch(/SIGTERM: finishing/);
    expect(w.output()).toMatch(/chunk .*: 2 texts/);
    expect(w.output()).toMatch(/stopped: 1 chunks, 2 texts/);
    expect((await run).status).toBe('done');
    await state.close();
  });
});
