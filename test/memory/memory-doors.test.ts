// A correction saved through one door answers the same source in every door: the real `parla`
// process (dist/), HTTP on the real server (createServer + inject), IPC through the main
// process's router, and a batch job, each marked origin "memory"; the model is never asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { openParlaApi, type LocalApi } from '../../src/core/api/local-api.js';
import { registerIpc } from '../../src/main/ipc-router.js';
import { createServer, type ParlaServer } from '../../src/server/server.js';
import { channelFor, type IpcReply } from '../../src/shared/ipc.js';
import type { MemoryEntry, MemoryPage } from '../../src/shared/memory.js';
import type { Translation } from '../../src/shared/translation.js';
import { ensureBuilt, runParla, tempDataDir } from '../engine/host-helpers.js';
import { HAVE_MODEL } from '../engine/model-fixture.js';
import { FakeTranslator } from '../state/helpers/fake-translator.js';

const TOKEN = 'memory-doors-token-0123456789abcdef';

describe('translation memory in every door', () => {
  let dataDir: string;
  let api: LocalApi;
  let server: ParlaServer;
  let ipc: (method: string, ...args: unknown[]) => Promise<unknown>;
  const model = new FakeTranslator();

  beforeAll(async () => {
    ensureBuilt();
    dataDir = await tempDataDir();
    api = await openParlaApi({ dataDir, openEngine: async () => model, teamWork: 0 });
    server = createServer({ api, token: TOKEN });
    const handlers = new Map<string, (event: never, ...args: unknown[]) => Promise<unknown>>();
    registerIpc({
      ipcMain: { handle: (channel, handler) => handlers.set(channel, handler), removeHandler: (channel) => handlers.delete(channel) },
      api,
      isTrusted: () => true,
      send: () => undefined,
    });
    ipc = async (method, ...args) => {
      const reply = (await handlers.get(channelFor(method as never))!({ sender: { id: 1 }, senderFrame: null } as never, ...args)) as IpcReply<unknown>;
      if (!reply.ok) throw new Error(reply.error.message);
      return reply.value;
    };
  });

  afterAll(async () => {
    await server?.app.close();
    await api?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const http = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, auth = true) =>
    server.app.inject({ method, url, headers: auth ? { authorization: `Bearer ${TOKEN}` } : {}, ...(payload ? { payload } : {}) });

  it('parla memory add, then translate, the API, IPC and a batch answer from it', async () => {
    const added = await runParla(['memory', 'add', 'Open the file', 'Abre el fichero', '--from', 'en', '--to', 'es', '--json'], dataDir);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ source: 'Open the file', target: 'Abre el fichero', origin: 'typed', history: [] });

    const cli = await runParla(['translate', 'Open the file', '--from', 'en', '--to', 'es', '--json'], dataDir);
    expect(cli.code, cli.stderr).toBe(0);
    const [fromCli] = JSON.parse(cli.stdout) as (Translation & { suggestions: unknown[] })[];
    expect(fromCli).toMatchObject({ text: 'Abre el fichero', origin: 'memory', cached: false, suggestions: [] });

    const res = await http('POST', '/api/v1/translate', { texts: ['  Open the file\n', 'Save'], from: 'en', to: 'es' });
    expect(res.statusCode, res.body).toBe(200);
    const viaHttp = (JSON.parse(res.body) as { translations: Translation[] }).translations;
    expect(viaHttp.map((t) => [t.text, t.origin])).toEqual([['  Abre el fichero\n', 'memory'], ['es:SAVE', 'model']]);

    const viaIpc = (await ipc('translate', { texts: ['Open the file'], from: 'en', to: 'es' })) as Translation[];
    expect(viaIpc[0]).toMatchObject({ text: 'Abre el fichero', origin: 'memory' });

    const { id } = await api.createTextJob({ texts: ['Open the file', 'Print', 'Open the file'], from: 'en', to: 'es' });
    let job = await api.getJob(id);
    for (let i = 0; i < 200 && job.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = await api.getJob(id);
    }
    expect(job.progress).toMatchObject({ total: 3, done: 3, memory: 1, modelCalls: 1 });
    const result = JSON.parse(new TextDecoder().decode((await api.jobResult(id)).bytes)) as { translations: Record<string, string[]> };
    expect(result.translations['es']).toEqual(['Abre el fichero', 'es:PRINT', 'Abre el fichero']);
    expect(model.texts).not.toContain('Open the file');
  });

  it('/api/v1/memory adds, searches and deletes behind the token; a correction beats the cache', async () => {
    expect((await http('GET', '/api/v1/memory', undefined, false)).statusCode).toBe(401);
    expect((await http('POST', '/api/v1/memory', { from: 'en', to: 'es', source: 'a', target: 'b' }, false)).statusCode).toBe(401);
    expect((await http('DELETE', '/api/v1/memory/abc', undefined, false)).statusCode).toBe(401);

    // Cached first, then corrected: the correction answers from now on.
    const before = await http('POST', '/api/v1/translate', { texts: ['Cancel'], from: 'en', to: 'es' });
    expect(JSON.parse(before.body).translations[0].text).toBe('es:CANCEL');
    const again = await http('POST', '/api/v1/translate', { texts: ['Cancel'], from: 'en', to: 'es' });
    expect(JSON.parse(again.body).translations[0].origin).toBe('cache');
    const add = await http('POST', '/api/v1/memory', { from: 'en', to: 'es', source: 'Cancel', target: 'Cancelar', origin: 'approved' });
    expect(add.statusCode, add.body).toBe(201);
    const [entry] = (JSON.parse(add.body) as { entries: MemoryEntry[] }).entries;
    expect(entry).toMatchObject({ origin: 'approved', target: 'Cancelar' });
    const after = await http('POST', '/api/v1/translate', { texts: ['Cancel'], from: 'en', to: 'es' });
    expect(JSON.parse(after.body).translations[0]).toMatchObject({ text: 'Cancelar', origin: 'memory' });

    const search = await http('GET', '/api/v1/memory?q=cancel&from=en&to=es');
    expect((JSON.parse(search.body) as MemoryPage).entries.map((e) => e.target)).toEqual(['Cancelar']);
    expect((await http('POST', '/api/v1/memory', { from: 'en', to: 'es', source: 'x' })).statusCode).toBe(400);
    expect((await http('DELETE', `/api/v1/memory/${entry!.id}`)).statusCode).toBe(204);
    expect((await http('DELETE', `/api/v1/memory/${entry!.id}`)).statusCode).toBe(404);
    const gone = await http('POST', '/api/v1/translate', { texts: ['Cancel'], from: 'en', to: 'es' });
    expect(JSON.parse(gone.body).translations[0].origin).toBe('cache');
  });

  it('suggestions: close entries under a miss, in the API and in translate --json', async () => {
    await api.addMemory([{ from: 'en', to: 'es', source: 'The file could not be saved because the disk is full', target: 'No se pudo guardar el archivo porque el disco está lleno' }]);
    const res = await http('POST', '/api/v1/translate', { texts: ['The file could not be saved because the drive is full'], from: 'en', to: 'es', suggest: true });
    const [t] = (JSON.parse(res.body) as { translations: Translation[] }).translations;
    expect(t!.origin).toBe('model');
    expect(t!.suggestions).toEqual([expect.objectContaining({ target: 'No se pudo guardar el archivo porque el disco está lleno', score: 1 - 1 / 11 })]);
  });

  // The CLI sends the miss to the real engine (the bundled model).
  it.runIf(HAVE_MODEL)('slow: translate --json lists the suggestions of a miss', async () => {
    const cli = await runParla(['translate', 'The file could not be saved because the drive is full', '--from', 'en', '--to', 'es', '--json'], dataDir);
    expect(cli.code, cli.stderr).toBe(0);
    const [t] = JSON.parse(cli.stdout) as { origin: string; suggestions: { source: string; target: string; score: number }[] }[];
    expect(t!.origin).toBe('model');
    expect(t!.suggestions).toEqual([
      { source: 'The file could not be saved because the disk is full', target: 'No se pudo guardar el archivo porque el disco está lleno', score: 1 - 1 / 11 },
    ]);
  });
});
