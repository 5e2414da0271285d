// The desktop app's real main (out/main/index.js, as electron-vite builds it) run in Node with the
// fake `electron` (fake-electron/): its window APIs inert, its model host a real utilityProcess
// stand-in. The test's IPC channel plays the window's page (calls reach the app's ipcMain
// handlers, sender checks included) and the user who quits.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/core/paths.js';
import type { ApiMethod, ParlaApi } from '../../src/shared/api.js';
import { isErrorCode, ParlaError } from '../../src/shared/errors.js';
import { channelFor, type IpcReply } from '../../src/shared/ipc.js';

const MAIN = join(packageRoot(), 'out', 'main', 'index.js');
const REGISTER = new URL('./fake-electron/register.mjs', import.meta.url).href;

/** Builds the app (out/) when it is missing, as `npm test` does before running the tests. */
export function ensureAppBuilt(): void {
  if (!existsSync(MAIN)) execFileSync('npx', ['electron-vite', 'build'], { cwd: packageRoot(), stdio: 'inherit' });
}

type Reply = { kind: 'reply'; id: number; value?: IpcReply<unknown>; error?: string };

export interface AppProcess {
  child: ChildProcess;
  /** A ParlaApi call through the app's IPC handler, as the renderer's preload makes it. */
  call<M extends ApiMethod>(method: M, ...args: Parameters<ParlaApi[M]>): Promise<Awaited<ReturnType<ParlaApi[M]>>>;
  /** Quits as the user does (Cmd+Q) and resolves with the app's exit code. */
  quit(): Promise<number | null>;
  exited: Promise<number | null>;
}

export function startApp(args: string[], env: NodeJS.ProcessEnv): AppProcess {
  const child = fork(MAIN, args, { execArgv: ['--import', REGISTER], env, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, (reply: Reply) => void>();
  let next = 0;
  child.on('message', (message: Reply) => {
    if (message.kind === 'reply') pending.get(message.id)?.(message);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const call = async (method: ApiMethod, ...args: unknown[]) => {
    const id = ++next;
    const reply = await new Promise<Reply>((resolve, reject) => {
      pending.set(id, resolve);
      child.send({ kind: 'invoke', id, channel: channelFor(method), args }, (error) => error && reject(error));
    }).finally(() => pending.delete(id));
    if (reply.error !== undefined) throw new Error(reply.error);
    if (!reply.value!.ok) {
      const { code, message } = reply.value!.error;
      throw new ParlaError(isErrorCode(code) ? code : 'INTERNAL', message);
    }
    return reply.value!.value;
  };
  return {
    child,
    call: call as AppProcess['call'],
    quit: () => {
      child.send({ kind: 'quit' });
      return exited;
    },
    exited,
  };
}
