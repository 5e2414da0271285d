// The host's view of one client connection. The CLI/server host speaks over a local socket;
// the Electron app will wrap a utilityProcess MessagePort the same way.
import type { Socket } from 'node:net';
import { LineDecoder, encodeLine } from '../../shared/ndjson.js';
import type { HostResponse } from '../../shared/host-protocol.js';

export interface HostPort {
  send(message: HostResponse): void;
  onMessage(listener: (message: unknown) => void): void;
  onClose(listener: () => void): void;
}

export function socketPort(socket: Socket): HostPort {
  const decoder = new LineDecoder();
  socket.setEncoding('utf8');
  socket.on('error', () => socket.destroy());
  return {
    send: (message) => {
      if (!socket.destroyed) socket.write(encodeLine(message));
    },
    onMessage: (listener) =>
      socket.on('data', (chunk: string) => {
        for (const line of decoder.push(chunk)) {
          try {
            listener(JSON.parse(line));
          } catch {
            // A malformed line from a client is dropped; the protocol check rejects the rest.
          }
        }
      }),
    onClose: (listener) => socket.on('close', listener),
  };
}
