// A stand-in for Electron's `utilityProcess.fork`: a Node child of the real module with
// `process.parentPort` installed (parent-port-shim.mjs), and the parent side's API: postMessage,
// kill (SIGTERM, as Electron's), 'message' with the bare message and 'exit' with a code.
// Plain JavaScript: the fake `electron` module (fake-electron/electron.mjs) runs it in a Node
// process that has no TypeScript; utility-process.d.mts types it for the tests.
import { fork } from 'node:child_process';
import { constants } from 'node:os';

const SHIM = new URL('./parent-port-shim.mjs', import.meta.url).href;

export function forkUtility(modulePath, args, options) {
  // Electron's env option replaces the environment, as Node's does.
  // Electron's execArgv passes Node options to the child, as Node's does.
  const child = fork(modulePath, args, { env: options.env, execArgv: [...(options.execArgv ?? []), '--import', SHIM], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const handle = {
    get pid() {
      return child.pid;
    },
    postMessage(message) {
      if (child.connected) child.send(message);
    },
    kill: () => child.kill('SIGTERM'),
    on(event, listener) {
      if (event === 'exit') {
        // A signal's death shows as 128 + its number, the code a shell reports.
        child.on('exit', (code, signal) => listener(code ?? 128 + (signal ? constants.signals[signal] : 0)));
      } else child.on('message', listener);
      return handle;
    },
  };
  return handle;
}
