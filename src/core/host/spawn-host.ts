// Finding or starting the model host for a data dir. A lock file makes concurrent clients
// start only one host; the host itself also refuses to start when another answers the socket.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, open, stat, unlink } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { ParlaError } from '../../shared/errors.js';
import type { HostHello } from '../../shared/host-protocol.js';
import { hostLockPath, hostLogPath, hostSocketPath, packageRoot } from '../paths.js';

const STALE_LOCK_MS = 20_000;

export function hostEntry(): string {
  return join(packageRoot(), 'dist', 'workers', 'host', 'main.js');
}

export interface HostConnection {
  socket: Socket;
  /** The host process, from its greeting. */
  pid: number;
}

function parseHello(line: string): HostHello | undefined {
  try {
    const message = JSON.parse(line) as Partial<HostHello>;
    return message.kind === 'hello' && typeof message.pid === 'number' ? (message as HostHello) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A connection counts only once the host greets it (`{"kind":"hello"}`): a host that was just
 * killed can still accept a connection while the kernel tears it down, and a request sent on
 * that would be lost to a host that never answers.
 */
function tryConnect(path: string, helloTimeoutMs = 5000): Promise<HostConnection | undefined> {
  return new Promise((resolve) => {
    const socket = connect(path);
    let buffered = '';
    const fail = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    };
    const timer = setTimeout(fail, helloTimeoutMs);
    socket.once('error', fail);
    socket.once('close', fail);
    socket.on('data', function onData(chunk: Buffer) {
      buffered += chunk.toString('utf8');
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', fail);
      socket.off('close', fail);
      const hello = parseHello(buffered.slice(0, newline));
      if (!hello) return fail();
      // Anything after the greeting belongs to the client's decoder.
      const rest = buffered.slice(newline + 1);
      if (rest) socket.unshift(Buffer.from(rest, 'utf8'));
      resolve({ socket, pid: hello.pid });
    });
  });
}

function spawnHost(dataDir: string, socketPath: string): void {
  const log = openSync(hostLogPath(dataDir), 'a');
  const child = spawn(process.execPath, [hostEntry(), '--data-dir', dataDir, '--socket', socketPath], {
    detached: true,
    stdio: ['ignore', log, log],
    // Inside Electron, execPath is the Electron binary: run it as plain Node for the host.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  closeSync(log);
  child.unref();
}

/** A connected socket to the data dir's host, starting one if none answers. */
export async function connectHost(dataDir: string, timeoutMs = 30_000): Promise<HostConnection> {
  await mkdir(dataDir, { recursive: true });
  const socketPath = hostSocketPath(dataDir);
  const lockPath = hostLockPath(dataDir);
  const deadline = Date.now() + timeoutMs;
  let ownLock = false;
  try {
    while (Date.now() < deadline) {
      const connection = await tryConnect(socketPath);
      if (connection) return connection;
      if (!ownLock) {
        try {
          const fh = await open(lockPath, 'wx');
          await fh.write(String(process.pid));
          await fh.close();
          ownLock = true;
          spawnHost(dataDir, socketPath);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
          // Someone else is starting the host; a lock that old belongs to a client that died.
          const age = await stat(lockPath).then((s) => Date.now() - s.mtimeMs, () => 0);
          if (age > STALE_LOCK_MS) await unlink(lockPath).catch(() => undefined);
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    if (ownLock) await unlink(lockPath).catch(() => undefined);
  }
  throw new ParlaError('HOST_CRASHED', `the model host did not start within ${timeoutMs / 1000}s; see ${hostLogPath(dataDir)}`);
}
