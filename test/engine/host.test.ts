// Slow: spawns real model hosts on the tiny model.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HostClient } from '../../src/core/host/host-client.js';
import { HOST_NODE_ARGS } from '../../src/core/host/host-runtime.js';
import { HAVE_GOLDEN, MODEL_DIR, loadGolden } from './model-fixture.js';
import { alive, ensureBuilt, tempDataDir, useShortHostSettings } from './host-helpers.js';

const pids: number[] = [];
let dataDir: string;

beforeAll(() => ensureBuilt());

afterEach(async () => {
  for (const pid of pids.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  if (process.env.KEEP_DATA) console.log('data dir', dataDir);
  else await rm(dataDir, { recursive: true, force: true });
});

// The golden's max length keeps an undertrained model from running to the config's 512.
const params = (texts: string[]) => ({ modelId: 'parla/tiny-en-es', modelDir: MODEL_DIR, texts, to: 'es', options: { maxLength: loadGolden().maxLength } });

describe.skipIf(!HAVE_GOLDEN)('model host (slow)', () => {
  it('batches two clients into one model load and answers both', async () => {
    useShortHostSettings({ batchWindowMs: 50 });
    dataDir = await tempDataDir();
    const golden = loadGolden();
    const a = new HostClient(dataDir);
    const b = new HostClient(dataDir);
    const [ra, rb] = await Promise.all([a.call('translate', params([golden.items[0]!.source])), b.call('translate', params([golden.items[1]!.source]))]);
    expect(ra[0]!.text).toBe(golden.items[0]!.greedy.text);
    expect(rb[0]!.text).toBe(golden.items[1]!.greedy.text);
    const stats = await a.call('stats', {});
    pids.push(stats.pid);
    expect(stats.loadCount).toBe(1);
    expect(stats.clients).toBe(2);
    expect(stats.batches).toBe(1);
    // Started by the client with the host's runtime setup (host-runtime.ts): the memory measures
    // in docs/engine.md hold for this process, not only for the benchmark's.
    const argv = (await readFile(`/proc/${stats.pid}/cmdline`, 'utf8')).split('\0');
    expect(argv.slice(1, 1 + HOST_NODE_ARGS.length)).toEqual([...HOST_NODE_ARGS]);
    await Promise.all([a.close(), b.close()]);
  });

  it("takes the user's Threads setting as the cores a newly loaded model may use", async () => {
    useShortHostSettings();
    dataDir = await tempDataDir();
    await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ threads: 3 }));
    const client = new HostClient(dataDir);
    const golden = loadGolden();
    const [out] = await client.call('translate', params([golden.items[0]!.source]));
    expect(out!.text).toBe(golden.items[0]!.greedy.text);
    const stats = await client.call('stats', {});
    pids.push(stats.pid);
    expect(stats.modelsLoaded.map((m) => m.lanes)).toEqual([3]);
    await client.call('shutdown', {});
    await client.close();
  });

  it('leaves once its data dir is deleted, though a client is still connected', async () => {
    useShortHostSettings({ hostIdleMs: 600_000 });
    dataDir = await tempDataDir();
    const client = new HostClient(dataDir);
    const { pid } = await client.call('stats', {});
    pids.push(pid);
    await rm(dataDir, { recursive: true, force: true });
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive(pid)).toBe(false);
    await client.close();
  });

  it('restarts a host killed mid-request and retries the request once', async () => {
    // A long batch window keeps the request inside the host while it is killed.
    useShortHostSettings({ batchWindowMs: 1500 });
    dataDir = await tempDataDir();
    const golden = loadGolden();
    const client = new HostClient(dataDir);
    const first = await client.call('stats', {});
    pids.push(first.pid);
    const pending = client.call('translate', params([golden.items[0]!.source]));
    await new Promise((r) => setTimeout(r, 300));
    process.kill(first.pid, 'SIGKILL');
    const result = await pending;
    expect(result[0]!.text).toBe(golden.items[0]!.greedy.text);
    const second = await client.call('stats', {});
    pids.push(second.pid);
    expect(second.pid).not.toBe(first.pid);

    // A request whose retry meets a second crash fails with HOST_CRASHED.
    const doomed = client.call('translate', params([golden.items[1]!.source]));
    await new Promise((r) => setTimeout(r, 300));
    process.kill(second.pid, 'SIGKILL');
    const watcher = new HostClient(dataDir);
    let third = await watcher.call('stats', {});
    // Kill the third host only once the first client has reconnected to it (2 clients).
    while (third.pid === second.pid || third.clients < 2) {
      await new Promise((r) => setTimeout(r, 20));
      third = await watcher.call('stats', {});
    }
    pids.push(third.pid);
    process.kill(third.pid, 'SIGKILL');
    await expect(doomed).rejects.toMatchObject({ code: 'HOST_CRASHED' });
    await client.close();
    await watcher.close();
  });

  it('cancels a queued request and shuts down after pending calls', async () => {
    useShortHostSettings({ batchWindowMs: 500 });
    dataDir = await tempDataDir();
    const golden = loadGolden();
    const client = new HostClient(dataDir);
    const { pid } = await client.call('stats', {});
    pids.push(pid);
    const ac = new AbortController();
    const canceled = client.call('translate', params(['never mind']), { signal: ac.signal });
    const kept = client.call('translate', params([golden.items[0]!.source]));
    ac.abort();
    await expect(canceled).rejects.toMatchObject({ code: 'CANCELED' });
    await client.call('shutdown', {});
    expect((await kept)[0]!.text).toBe(golden.items[0]!.greedy.text);
    await client.close();
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(pid)).toBe(false);
  });
});
