// Slow: the real host entry (dist/workers/host/main.js) under a utilityProcess stand-in, as the
// desktop app runs it: ready, a CLI host already serving, crash and restart, idle, shutdown on quit.
import { rm } from 'node:fs/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HostClient } from '../../src/core/host/host-client.js';
import { hostSocketPath } from '../../src/core/host/socket-dir.js';
import { hostEntry } from '../../src/core/host/spawn-host.js';
import { ModelHostProcess, type HostExit } from '../../src/main/model-host.js';
import { isHostLifecycleMessage, type HostLifecycleMessage } from '../../src/shared/host-protocol.js';
import { alive, ensureBuilt, tempDataDir } from '../engine/host-helpers.js';
import { HAVE_GOLDEN, MODEL_DIR } from '../engine/model-fixture.js';
import { forkUtility } from './utility-process.mjs';

const pids: number[] = [];
const dirs: string[] = [];
const hosts: ModelHostProcess[] = [];

beforeAll(() => ensureBuilt());

afterEach(async () => {
  for (const h of hosts.splice(0)) await h.stop(500);
  for (const pid of pids.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function appHost(settings: Record<string, number> = {}) {
  const dataDir = await tempDataDir();
  dirs.push(dataDir);
  let forks = 0;
  const host = new ModelHostProcess({
    modulePath: hostEntry(),
    dataDir,
    args: ['--socket', hostSocketPath(dataDir)],
    maxRestarts: 2,
    env: { ...process.env, PARLA_ENGINE_SETTINGS: JSON.stringify({ hostIdleMs: 60_000, intraOpNumThreads: 1, ...settings }) },
    fork: (...args) => {
      forks++;
      const child = forkUtility(...args);
      if (child.pid) pids.push(child.pid);
      return child;
    },
  });
  hosts.push(host);
  const exits: HostExit[] = [];
  const messages: HostLifecycleMessage[] = [];
  host.onExit((e) => exits.push(e));
  host.onMessage((m) => {
    if (isHostLifecycleMessage(m)) messages.push(m);
  });
  return { host, dataDir, exits, messages, forks: () => forks };
}

const readyPids = (messages: HostLifecycleMessage[]) => messages.flatMap((m) => (m.type === 'ready' ? [m.pid] : []));

describe('the real model host under a utilityProcess stand-in (slow)', () => {
  it('starts, says ready with its pid and socket, and serves the app clients on that socket', async () => {
    const { host, dataDir, messages } = await appHost();
    host.start();
    expect(host.state).toBe('starting');
    await expect.poll(() => host.state, { timeout: 20_000 }).toBe('ready');
    expect(messages.find((m) => m.type === 'ready')).toEqual({ type: 'ready', pid: expect.any(Number), socket: hostSocketPath(dataDir) });
    const client = new HostClient(dataDir);
    expect((await client.call('stats', {})).pid).toBe(readyPids(messages)[0]);
    await client.close();
  });

  it('leaves normally when a CLI host already serves the socket, and the app uses that host', async () => {
    const { host, dataDir, exits, messages, forks } = await appHost();
    const cli = new HostClient(dataDir);
    const cliPid = (await cli.call('stats', {})).pid;
    pids.push(cliPid);
    host.start();
    await expect.poll(() => exits.length, { timeout: 20_000 }).toBe(1);
    expect(exits).toEqual([{ kind: 'stopped', reason: 'served-elsewhere' }]);
    expect(messages).toEqual([{ type: 'exiting', reason: 'served-elsewhere', socket: hostSocketPath(dataDir) }]);
    expect(host.state).toBe('served-elsewhere');
    await new Promise((r) => setTimeout(r, 800)); // no restart loop
    expect(forks()).toBe(1);
    expect(host.running).toBe(false);
    const app = new HostClient(dataDir);
    expect((await app.call('stats', {})).pid).toBe(cliPid);
    await Promise.all([cli.close(), app.close()]);
  });

  it('restarts a host killed with SIGKILL', async () => {
    const { host, exits, messages } = await appHost();
    host.start();
    await expect.poll(() => host.state, { timeout: 20_000 }).toBe('ready');
    const [first] = readyPids(messages);
    process.kill(first!, 'SIGKILL');
    await expect.poll(() => exits.length, { timeout: 5000 }).toBe(1);
    expect(exits[0]).toEqual({ kind: 'crashed', code: 137, restarting: true });
    await expect.poll(() => readyPids(messages).length, { timeout: 20_000 }).toBe(2);
    expect(readyPids(messages)[1]).not.toBe(first);
    expect(host.state).toBe('ready');
  });

  it('leaves when idle, which is not a crash', async () => {
    const { host, exits, forks } = await appHost({ hostIdleMs: 1000 });
    host.start();
    await expect.poll(() => exits, { timeout: 20_000 }).toEqual([{ kind: 'stopped', reason: 'idle' }]);
    expect(host.state).toBe('stopped');
    await new Promise((r) => setTimeout(r, 800));
    expect(forks()).toBe(1);
  });

  it.skipIf(!HAVE_GOLDEN)('on quit, finishes the call in flight and exits on its own, not killed', async () => {
    const { host, dataDir, exits, messages } = await appHost();
    host.start();
    await expect.poll(() => host.state, { timeout: 20_000 }).toBe('ready');
    const client = new HostClient(dataDir);
    const params = (text: string) => ({ modelId: 'parla/tiny-en-es', modelDir: MODEL_DIR, texts: [text], to: 'es', options: { maxLength: 32 } });
    await client.call('translate', params('Open the file')); // the model is loaded
    const inFlight = client.call('translate', params('Save changes?'));
    await new Promise((r) => setTimeout(r, 20));
    // No kill within the test's time: the exit below is the host's own (it says `exiting`).
    await host.stop(120_000);
    expect((await inFlight)[0]!.text).not.toBe('');
    expect(exits).toEqual([{ kind: 'stopped', reason: 'shutdown' }]);
    expect(messages.at(-1)).toMatchObject({ type: 'exiting', reason: 'shutdown' });
    expect(alive(readyPids(messages)[0]!)).toBe(false);
    await client.close();
  });
});
