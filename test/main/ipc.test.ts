// The IPC path without Electron: preload bridge → fake ipc → router → fake ParlaApi.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerIpc, type IpcInvokeEventLike, type IpcMainLike } from '../../src/main/ipc-router.js';
import { createBridge } from '../../src/preload/bridge.js';
import type { ParlaBridge } from '../../src/shared/bridge.js';
import { COMMAND_CHANNEL } from '../../src/shared/commands.js';
import type { ParlaEvent } from '../../src/shared/events.js';
import { API_METHODS, EVENT_CHANNEL } from '../../src/shared/ipc.js';
import { createFakeApi, type FakeApi } from '../helpers/fake-api.js';

type Handler = (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>;
type Listener = (event: unknown, ...args: unknown[]) => void;

const OWN = { sender: { id: 1 }, senderFrame: { url: 'file:///app/out/renderer/index.html' } };

/** An in-memory ipcMain + ipcRenderer pair; `as` picks which frame the renderer claims to be. */
function fakeIpc(as: IpcInvokeEventLike = OWN) {
  const handlers = new Map<string, Handler>();
  const listeners = new Map<string, Set<Listener>>();
  const ipcMain: IpcMainLike = {
    handle: (channel, handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    },
    removeHandler: (channel) => void handlers.delete(channel),
  };
  const ipcRenderer = {
    invoke: async (channel: string, ...args: unknown[]) => {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return structuredClone(await handler(as, ...structuredClone(args)));
    },
    on: (channel: string, l: Listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l)),
    removeListener: (channel: string, l: Listener) => listeners.get(channel)?.delete(l),
  };
  const send = (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l({}, structuredClone(payload)));
  return { ipcMain, ipcRenderer, handlers, send, listeners };
}

let api: FakeApi;
beforeEach(() => {
  api = createFakeApi({ tickMs: 5, textsPerTick: 100 });
});
afterEach(() => api.close());

function wire(as?: IpcInvokeEventLike): { bridge: ParlaBridge; dispose: () => void; rejected: string[]; ipc: ReturnType<typeof fakeIpc> } {
  const ipc = fakeIpc(as);
  const rejected: string[] = [];
  const dispose = registerIpc({
    ipcMain: ipc.ipcMain,
    api,
    send: ipc.send,
    isTrusted: (e) => e.sender.id === 1 && e.senderFrame?.url === OWN.senderFrame.url,
    onRejected: (method) => rejected.push(method),
  });
  return { bridge: createBridge(ipc.ipcRenderer, 'linux'), dispose, rejected, ipc };
}

describe('IPC router', () => {
  it('registers one channel per contract method and removes them on dispose', () => {
    const { dispose, ipc } = wire();
    expect([...ipc.handlers.keys()].sort()).toEqual(API_METHODS.map((m) => `parla:${m}`).sort());
    dispose();
    expect(ipc.handlers.size).toBe(0);
  });

  it('carries calls and results, bytes included, across the boundary', async () => {
    const { bridge } = wire();
    const reply = await bridge.invoke('translate', [{ texts: ['Hello world'], to: 'es' }]);
    expect(reply).toMatchObject({ ok: true, value: [{ text: 'Hola mundo', cached: false }] });
    const created = await bridge.invoke('createFileJob', [{ fileName: 'a.csv', bytes: new TextEncoder().encode('text\nthe cat\n'), to: ['es'] }]);
    expect(created).toMatchObject({ ok: true, value: { status: 'queued' } });
  });

  it('validates arguments on arrival and keeps the error code', async () => {
    const { bridge } = wire();
    const cases: unknown[][] = [[{ texts: 'nope', to: 'es' }], [{ texts: ['a'], to: 'es', evil: true }], [], [{ texts: ['a'], to: 'es' }, 'extra']];
    for (const args of cases) {
      const reply = await bridge.invoke('translate', args as never);
      expect(reply.ok, JSON.stringify(args)).toBe(false);
      if (!reply.ok) expect(reply.error.code).toBe('BAD_INPUT');
    }
    const tooMany = await bridge.invoke('translate', [{ texts: Array.from({ length: 5000 }, () => 'x'), to: 'es' }]);
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    const action = await bridge.invoke('jobAction', ['job-1', 'explode' as never]);
    expect(action).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    const missing = await bridge.invoke('getJob', ['job-404']);
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'no job job-404' } });
  });

  it('refuses calls from another webContents or another page', async () => {
    for (const as of [{ ...OWN, sender: { id: 2 } }, { ...OWN, senderFrame: { url: 'https://evil.example/' } }, { ...OWN, senderFrame: null }]) {
      const { bridge, rejected } = wire(as);
      expect(await bridge.invoke('listJobs', [])).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      expect(rejected).toEqual(['listJobs']);
    }
  });

  it('pushes job events to the window and stops after dispose', async () => {
    const { bridge, dispose } = wire();
    const events: ParlaEvent[] = [];
    const off = bridge.onEvent((e) => events.push(e));
    const reply = await bridge.invoke('createTextJob', [{ texts: ['the cat', 'the house'], to: 'es' }]);
    if (!reply.ok) throw new Error('create failed');
    await expect.poll(() => events.some((e) => e.type === 'job' && e.job.status === 'done')).toBe(true);
    off();
    dispose();
    const count = events.length;
    await bridge.invoke('createTextJob', [{ texts: ['x'], to: 'es' }]).catch(() => {});
    await new Promise((r) => setTimeout(r, 30));
    expect(events.length).toBe(count);
  });
});

describe('preload bridge', () => {
  it('refuses methods outside the contract before they reach the main process', async () => {
    const { bridge } = wire();
    expect(await bridge.invoke('constructor' as never, [] as never)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });

  it('delivers only known commands', () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc.ipcRenderer, 'linux');
    const got: string[] = [];
    bridge.onCommand((id) => got.push(id));
    ipc.send(COMMAND_CHANNEL, 'go.batch');
    ipc.send(COMMAND_CHANNEL, 'rm -rf');
    ipc.send(EVENT_CHANNEL, 'not an event');
    expect(got).toEqual(['go.batch']);
  });
});
