// Slow: one translation through three doors — the real `parla translate` process, HTTP on a real
// local API (createServer + inject) and IPC through the main process's router — on one data dir
// reaches the model once: the machine's one model host counts the texts it translated.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openParlaApi, type LocalApi } from '../../src/core/api/local-api.js';
import { HostClient } from '../../src/core/host/host-client.js';
import { registerIpc } from '../../src/main/ipc-router.js';
import { createServer, type ParlaServer } from '../../src/server/server.js';
import { channelFor, type IpcReply } from '../../src/shared/ipc.js';
import type { Translation } from '../../src/shared/translation.js';
import { HAVE_MODEL } from '../engine/model-fixture.js';
import { ensureBuilt, runParla, tempDataDir, useShortHostSettings } from '../engine/host-helpers.js';

const TOKEN = 'doors-token-0123456789abcdef';

describe.runIf(HAVE_MODEL)('one request, three doors, one model call', () => {
  let dataDir: string;
  let api: LocalApi;
  let server: ParlaServer;
  let ipc: (request: unknown) => Promise<Translation[]>;
  let host: HostClient;

  beforeAll(async () => {
    ensureBuilt();
    useShortHostSettings({ hostIdleMs: 60_000 });
    dataDir = await tempDataDir();
    api = await openParlaApi({ dataDir });
    server = createServer({ api, token: TOKEN });
    const handlers = new Map<string, (event: never, ...args: unknown[]) => Promise<unknown>>();
    registerIpc({
      ipcMain: { handle: (channel, handler) => handlers.set(channel, handler), removeHandler: (channel) => handlers.delete(channel) },
      api,
      isTrusted: () => true,
      send: () => undefined,
    });
    ipc = async (request) => {
      const reply = (await handlers.get(channelFor('translate'))!({ sender: { id: 1 }, senderFrame: null } as never, request)) as IpcReply<Translation[]>;
      if (!reply.ok) throw new Error(reply.error.message);
      return reply.value;
    };
    host = new HostClient(dataDir);
  });

  afterAll(async () => {
    await server?.app.close();
    await api?.close();
    await host?.call('shutdown', {}).catch(() => undefined);
    await host?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const http = async (body: object): Promise<Translation[]> => {
    const res = await server.app.inject({ method: 'POST', url: '/api/v1/translate', headers: { authorization: `Bearer ${TOKEN}` }, payload: body });
    expect(res.statusCode, res.body).toBe(200);
    return (JSON.parse(res.body) as { translations: Translation[] }).translations;
  };

  it('greedy and beam 4, each spelt as its door spells it: the model sees each text once', async () => {
    const cli = await runParla(['translate', 'Open the file', '--to', 'es', '--beam', '1', '--json'], dataDir);
    expect(cli.code, cli.stderr).toBe(0);
    const [first] = JSON.parse(cli.stdout) as Translation[];
    expect(first!.cached).toBe(false);

    const [viaHttp] = await http({ texts: ['Open the file'], to: 'es', beam: 1, protect: 'auto' });
    const [viaIpc] = await ipc({ texts: ['Open the file'], to: 'es', options: { beam: 1, nBest: 1, lengthPenalty: 1, quantized: false } });
    expect([viaHttp, viaIpc].map((t) => [t!.text, t!.cached])).toEqual([
      [first!.text, true],
      [first!.text, true],
    ]);

    // Beam 4: HTTP first this time; its `beam` no longer implies alternatives.
    const [beamHttp] = await http({ texts: ['Save your changes'], to: 'es', beam: 4 });
    const beamCli = await runParla(['translate', 'Save your changes', '--to', 'es', '--beam', '4', '--json'], dataDir);
    const [beamIpc] = await ipc({ texts: ['Save your changes'], to: 'es', options: { beam: 4 } });
    expect(beamHttp!.cached).toBe(false);
    expect((JSON.parse(beamCli.stdout) as Translation[])[0]).toMatchObject({ text: beamHttp!.text, cached: true });
    expect(beamIpc).toMatchObject({ text: beamHttp!.text, cached: true });

    const stats = await host.call('stats', {});
    expect(stats.texts).toBe(2);

    // Alternatives are asked for explicitly and always come from the model.
    const [alternatives] = await http({ texts: ['Save your changes'], to: 'es', beam: 4, nBest: 4 });
    expect(alternatives!.cached).toBe(false);
    expect(alternatives!.alternatives?.length).toBeGreaterThan(1);
    expect((await host.call('stats', {})).texts).toBe(3);
  }, 120_000);
});
