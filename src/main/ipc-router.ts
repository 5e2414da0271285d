// Wires ParlaApi onto IPC: one handler per contract method, arguments validated on arrival,
// senders checked, errors returned as data (Electron would drop their code), events pushed to
// the window. Takes ipcMain-like objects so tests run without Electron.
import type { ApiMethod, ParlaApi } from '../shared/api.js';
import { toErrorInfo } from '../shared/errors.js';
import type { ParlaEvent } from '../shared/events.js';
import { API_ARGS, API_METHODS, EVENT_CHANNEL, channelFor, type IpcReply } from '../shared/ipc.js';

export interface IpcSenderFrame {
  url: string;
}

export interface IpcInvokeEventLike {
  sender: { id: number };
  senderFrame: IpcSenderFrame | null;
}

export interface IpcMainLike {
  handle(channel: string, handler: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcRouterOptions {
  ipcMain: IpcMainLike;
  api: ParlaApi;
  /** Whether a call comes from our window's webContents and our own page. */
  isTrusted(event: IpcInvokeEventLike): boolean;
  /** Pushes an event to the window. */
  send(channel: string, payload: unknown): void;
  onRejected?(method: string, reason: string): void;
}

export function registerIpc({ ipcMain, api, isTrusted, send, onRejected }: IpcRouterOptions): () => void {
  const call = async <M extends ApiMethod>(method: M, event: IpcInvokeEventLike, raw: unknown[]): Promise<IpcReply<unknown>> => {
    if (!isTrusted(event)) {
      onRejected?.(method, 'untrusted sender');
      return { ok: false, error: { name: 'ParlaError', code: 'UNAUTHORIZED', message: 'this window may not call Parla' } };
    }
    try {
      const args = API_ARGS[method].parse(raw, method);
      const fn = api[method] as (...a: typeof args) => Promise<unknown>;
      return { ok: true, value: await fn.apply(api, args) };
    } catch (error) {
      return { ok: false, error: toErrorInfo(error) };
    }
  };
  for (const method of API_METHODS) ipcMain.handle(channelFor(method), (event, ...raw) => call(method, event, raw));
  const unsubscribe = api.subscribe((event: ParlaEvent) => send(EVENT_CHANNEL, event));
  return () => {
    unsubscribe();
    for (const method of API_METHODS) ipcMain.removeHandler(channelFor(method));
  };
}
