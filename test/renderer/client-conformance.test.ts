// One suite, both transports: the renderer's client must behave the same over HTTP (browser UI)
// and over IPC (desktop app), errors and their codes included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerIpc, type IpcInvokeEventLike } from '../../src/main/ipc-router.js';
import { createBridge } from '../../src/preload/bridge.js';
import { httpTransport } from '../../src/renderer/client/http-transport.js';
import { ipcTransport } from '../../src/renderer/client/ipc-transport.js';
import { createClient } from '../../src/renderer/client/transport.js';
import { createServer } from '../../src/server/server.js';
import type { ParlaApi } from '../../src/shared/api.js';
import type { ParlaEvent } from '../../src/shared/events.js';
import { createFakeApi } from '../helpers/fake-api.js';

const TOKEN = 'conformance-token-0123456789';

interface Door {
  name: string;
  open(): Promise<{ client: ParlaApi; close(): Promise<void> }>;
}

const doors: Door[] = [
  {
    name: 'HTTP',
    async open() {
      const api = createFakeApi({ tickMs: 5, textsPerTick: 100 });
      const server = createServer({ api, token: TOKEN, port: 0 });
      const { url } = await server.listen();
      // The browser resolves relative URLs against the page and sends the cookie; do both here.
      const realFetch = globalThis.fetch;
      globalThis.fetch = (input, init) => realFetch(`${url}${String(input)}`, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${TOKEN}` } });
      const transport = httpTransport();
      // Node has no EventSource: take events from the API directly for this door.
      const client = { ...createClient(transport), subscribe: api.subscribe };
      return {
        client,
        close: async () => {
          globalThis.fetch = realFetch;
          await server.close();
          api.close();
        },
      };
    },
  },
  {
    name: 'IPC',
    async open() {
      const api = createFakeApi({ tickMs: 5, textsPerTick: 100 });
      const handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
      const listeners = new Map<string, Set<(event: unknown, value: unknown) => void>>();
      const own = { sender: { id: 1 }, senderFrame: { url: 'file:///app/index.html' } };
      const dispose = registerIpc({
        ipcMain: { handle: (c, h) => void handlers.set(c, h), removeHandler: (c) => void handlers.delete(c) },
        api,
        isTrusted: () => true,
        send: (c, payload) => listeners.get(c)?.forEach((l) => l({}, structuredClone(payload))),
      });
      const bridge = createBridge(
        {
          invoke: async (c, ...args) => structuredClone(await handlers.get(c)!(own, ...structuredClone(args))),
          on: (c, l) => listeners.set(c, (listeners.get(c) ?? new Set()).add(l)),
          removeListener: (c, l) => listeners.get(c)?.delete(l),
        },
        'linux',
      );
      return {
        client: createClient(ipcTransport(bridge)),
        close: async () => {
          dispose();
          api.close();
        },
      };
    },
  },
];

describe.each(doors)('ParlaApi client over $name', (door) => {
  let client: ParlaApi;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ client, close } = await door.open());
  });
  afterAll(() => close());

  it('translates, with beam alternatives, and reports cache hits', async () => {
    const [first] = await client.translate({ texts: ['the red book'], to: 'es' });
    expect(first).toMatchObject({ text: 'el rojo libro', cached: false, model: 'parla/tiny-en-es' });
    const [again] = await client.translate({ texts: ['the red book'], to: 'es', options: { beam: 4, nBest: 4 } });
    expect(again!.cached).toBe(true);
    expect(again!.alternatives).toHaveLength(4);
  });

  it('keeps error codes across the door', async () => {
    await expect(client.translate({ texts: ['x'], to: 'zz' })).rejects.toMatchObject({ code: 'UNKNOWN_PAIR' });
    await expect(client.getJob('job-missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.translate({ texts: [], to: 'es' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('runs a file job to done, with events, and returns the file', async () => {
    const events: ParlaEvent[] = [];
    const off = client.subscribe((e) => events.push(e));
    const bytes = new TextEncoder().encode('name,text\na,the cat\nb,the house\n');
    const { id, status } = await client.createFileJob({ fileName: 'pets.csv', bytes, to: ['es'], columns: ['text'] });
    expect(status).toBe('queued');
    await expect.poll(async () => (await client.getJob(id)).status).toBe('done');
    off();
    expect(events.some((e) => e.type === 'job' && e.job.id === id && e.job.status === 'done')).toBe(true);
    const file = await client.jobResult(id);
    expect(file.fileName).toBe('pets.es.csv');
    expect(new TextDecoder().decode(file.bytes)).toBe('name,text,text (es),text (es) review\na,the cat,el gato,\nb,the house,el casa,\n');
    expect((await client.listJobs()).map((j) => j.id)).toContain(id);
    await expect(client.jobAction(id, 'pause')).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('previews a localization file: its format and units; a malformed one is BAD_FILE naming the line', async () => {
    const bytes = new TextEncoder().encode('msgctxt "menu"\nmsgid "Open"\nmsgstr ""\n\nmsgid "Close"\nmsgstr "Cerrar"\n');
    expect(await client.previewFile({ fileName: 'ui.po', bytes })).toEqual({
      format: 'po',
      total: 2,
      missing: 1,
      units: [
        { id: '0', source: 'Open', context: 'menu' },
        { id: '1', source: 'Close', existing: 'Cerrar' },
      ],
    });
    // With a target language, the characters a job into it translates: the untranslated "Open".
    expect((await client.previewFile({ fileName: 'ui.po', bytes, to: 'es' })).characters).toBe('Open'.length);
    await expect(client.previewFile({ fileName: 'bad.po', bytes: new TextEncoder().encode('msgid "a"\nmsgstr oops\n') })).rejects.toMatchObject({ code: 'BAD_FILE', message: expect.stringMatching(/bad\.po:2: /u) });
  });

  it('pages, exports and deletes history', async () => {
    const page = await client.searchHistory({ q: 'red', limit: 10, offset: 0 });
    expect(page.total).toBe(2);
    const exported = await client.exportHistory({ q: 'red' }, 'csv');
    expect(exported.mimeType).toContain('text/csv');
    expect(new TextDecoder().decode(exported.bytes)).toContain('el rojo libro');
    expect(await client.deleteHistory({ ids: [page.entries[0]!.id] })).toEqual({ deleted: 1 });
  });

  it('adds, searches, imports, exports and removes glossary terms; translations hold them', async () => {
    const [house] = await client.addGlossary([{ from: 'en', to: 'es', source: 'house', target: 'hogar' }]);
    expect(house).toMatchObject({ source: 'house', target: 'hogar', wholeWord: true });
    const [tr] = await client.translate({ texts: ['the red house'], from: 'en', to: 'es' });
    expect(tr).toMatchObject({ text: 'el rojo hogar', glossary: [house!.id] });
    const imported = await client.importGlossary({ from: 'en', to: 'es', fileName: 'terms.csv', bytes: new TextEncoder().encode('source,target,dnt\nParla,,true\nbook,tomo,\n') });
    expect(imported.imported).toBe(2);
    const page = await client.listGlossary({ from: 'en', to: 'es', q: 'o' });
    expect(page.entries.map((e) => e.source)).toEqual(['book', 'house']);
    const exported = await client.exportGlossary({ from: 'en', to: 'es' }, 'tsv');
    expect(exported.fileName).toBe('parla-glossary-en-es.tsv');
    expect(new TextDecoder().decode(exported.bytes).split('\n')[1]).toBe('Parla\tParla\ttrue\tfalse\ttrue');
    await client.removeGlossary(house!.id);
    await expect(client.removeGlossary(house!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.addGlossary([{ from: 'en', to: 'es', source: 'x' }])).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(client.importGlossary({ from: 'en', to: 'es', fileName: 'l1.csv', bytes: new Uint8Array([0x53, 0x74, 0x72, 0x61, 0xdf, 0x65, 0x2c, 0x78]) })).rejects.toMatchObject({ code: 'BAD_FILE' });
    expect((await client.listGlossary({})).total).toBe(2);
  });

  it('manages models, cache and settings', async () => {
    expect((await client.listModels()).map((m) => m.id)).toContain('parla/tiny-en-es');
    await expect(client.removeModel('parla/tiny-en-es')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await client.importModel('/models/en-it')).id).toBe('/models/en-it');
    await client.removeModel('/models/en-it');
    expect((await client.cacheStats()).entries).toBeGreaterThan(0);
    expect((await client.clearCache()).cleared).toBeGreaterThan(0);
    const saved = await client.setSettings({ theme: 'dark', cache: { ttlDays: 7 } });
    expect(saved).toMatchObject({ theme: 'dark', cache: { ttlDays: 7, maxEntries: 1_000_000 } });
    await expect(client.setSettings({ theme: 'purple' as never })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(await client.testTeamConnection({ redisUrl: 'redis://x:6379', name: 't' })).toMatchObject({ ok: true });
    expect(await client.teamStatus()).toMatchObject({ mode: 'solo' });
    expect(await client.health()).toMatchObject({ ok: true });
  });
});
