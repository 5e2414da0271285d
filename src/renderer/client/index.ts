// Picks the transport: IPC inside the desktop app (the preload defines window.parla), HTTP in a browser.
import type { ParlaApi } from '../../shared/api.js';
import type { ParlaBridge } from '../../shared/bridge.js';
import { httpTransport } from './http-transport.js';
import { ipcTransport } from './ipc-transport.js';
import { createClient } from './transport.js';

declare global {
  interface Window {
    parla?: ParlaBridge;
  }
}

export function connect(): { api: ParlaApi; bridge: ParlaBridge | undefined } {
  const bridge = window.parla;
  return { api: createClient(bridge ? ipcTransport(bridge) : httpTransport()), bridge };
}
