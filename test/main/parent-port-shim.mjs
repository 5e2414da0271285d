// Loaded with `node --import` into a forked child: gives it Electron's `process.parentPort` over
// Node's IPC channel, with Electron's semantics (messages arrive as `{data}` events, postMessage
// sends one). Worker threads inherit --import but have no parent port, as in Electron.
import { EventEmitter } from 'node:events';
import { isMainThread } from 'node:worker_threads';

if (isMainThread && process.send) {
  const port = new EventEmitter();
  port.postMessage = (message) => process.send(message);
  process.on('message', (data) => port.emit('message', { data }));
  // Electron's port does not keep the process alive: the host decides when it exits.
  process.channel?.unref();
  process.parentPort = port;
}
