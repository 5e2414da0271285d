// Builds `window.parla` from an ipcRenderer-like object, so it can be tested without Electron.
// Only contract methods pass; everything else is refused before it reaches the main process.
import type { ApiArgs, ApiMethod, ApiResult } from '../shared/api.js';
import type { ParlaBridge } from '../shared/bridge.js';
import { COMMAND_CHANNEL, isCommandId, type CommandId } from '../shared/commands.js';
import type { ParlaEvent } from '../shared/events.js';
import { EVENT_CHANNEL, channelFor, isApiMethod, type IpcReply } from '../shared/ipc.js';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createBridge(ipc: IpcRendererLike, platform: string): ParlaBridge {
  const listen = <T>(channel: string, accept: (value: unknown) => value is T, listener: (value: T) => void) => {
    const wrapped = (_event: unknown, value: unknown) => accept(value) && listener(value);
    ipc.on(channel, wrapped);
    return () => void ipc.removeListener(channel, wrapped);
  };
  return {
    platform,
    async invoke<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<IpcReply<ApiResult<M>>> {
      if (!isApiMethod(method)) return { ok: false, error: { name: 'ParlaError', code: 'BAD_INPUT', message: `unknown method ${String(method)}` } };
      return (await ipc.invoke(channelFor(method), ...args)) as IpcReply<ApiResult<M>>;
    },
    onEvent: (listener) => listen(EVENT_CHANNEL, (v): v is ParlaEvent => typeof v === 'object' && v !== null && 'type' in v, listener),
    onCommand: (listener) => listen(COMMAND_CHANNEL, (v): v is CommandId => isCommandId(v), listener),
  };
}
