// The host's link to the desktop app when it runs as an Electron utilityProcess: Electron puts a
// `parentPort` on `process` (absent under plain Node, as for the CLI's detached host). Read through
// this small interface so the worker layer needs no Electron import.
import { isHostParentMessage, type HostLifecycleMessage, type HostParentMessage } from '../../shared/host-protocol.js';

/** Electron's ParentPort, as far as the host uses it: messages arrive as `{data}` events. */
interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

export interface AppLink {
  tell(message: HostLifecycleMessage): void;
  onMessage(listener: (message: HostParentMessage) => void): void;
}

/** Undefined when no app started this process. */
export function appLink(): AppLink | undefined {
  const port = (process as NodeJS.Process & { parentPort?: ParentPortLike }).parentPort;
  if (!port) return undefined;
  return {
    tell: (message) => port.postMessage(message),
    onMessage: (listener) =>
      port.on('message', (event) => {
        if (isHostParentMessage(event.data)) listener(event.data);
      }),
  };
}
