// Finding or starting the model host for a data dir. A lock file makes concurrent clients
// start only one host; the host itself also refuses to start when another answers the socket.
import { spawn } from 'node:child_process';
import { closeSync, openSync, statSync } from 'node:fs';
import { open, stat, unlink } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { ParlaError } from '../../shared/errors.js';
import { isHostHello, type ClientAuth, type ClientHello } from '../../shared/host-protocol.js';
import { encodeLine } from '../../shared/ndjson.js';
import { hostLockPath, hostLogPath, hostSecretPath, packageRoot } from '../paths.js';
import { PRIVATE_FILE_MODE, ensurePrivateFile } from '../private-fs.js';
import { HandshakeReader, handshakeProof, isValidProof, loadOrCreateHostSecret, newNonce, parseLine } from './host-auth.js';
import { hostSocketPath } from './socket-dir.js';
import { HOST_NODE_ARGS } from './host-runtime.js';

const STALE_LOCK_MS = 20_000;

export function hostEntry(): string {
  return join(packageRoot(), 'dist', 'workers', 'host', 'main.js');
}

export interface HostConnection {
  socket: Socket;
  /** The host process, from its greeting. */
  pid: number;
}

type Attempt = { kind: 'connected'; connection: HostConnection } | { kind: 'none' } | { kind: 'untrusted' };

/**
 * A connection counts only once the host has proved it knows the data dir's secret (see the
 * handshake in host-protocol.ts). Until then the client sends nothing but a nonce, so a stranger
 * answering on the socket learns no text. A host that was just killed can still accept a
 * connection while the kernel tears it down: that one closes during the handshake ('none').
 */
function tryConnect(path: string, secret: Buffer, helloTimeoutMs = 5000): Promise<Attempt> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const reader = new HandshakeReader(socket);
    const end = (attempt: Attempt) => {
      clearTimeout(timer);
      reader.detach();
      socket.destroy();
      resolve(attempt);
    };
    const timer = setTimeout(() => end({ kind: 'none' }), helloTimeoutMs);
    const nonce = newNonce();
    const hello: ClientHello = { kind: 'hello', nonce };
    socket.once('connect', () => socket.write(encodeLine(hello)));
    reader.next().then(
      (line) => {
        const answer = parseLine(line);
        if (!isHostHello(answer) || !isValidProof(secret, 'host', nonce, answer.nonce, answer.proof)) return end({ kind: 'untrusted' });
        clearTimeout(timer);
        const auth: ClientAuth = { kind: 'auth', proof: handshakeProof(secret, 'client', nonce, answer.nonce) };
        socket.write(encodeLine(auth));
        // Paused until the client attaches its decoder and resumes it; an error before then
        // shows as the 'close' the client handles, not as an unhandled 'error' event.
        reader.release().on('error', () => undefined);
        resolve({ kind: 'connected', connection: { socket, pid: answer.pid } });
      },
      () => end({ kind: 'none' }),
    );
  });
}

function spawnHost(dataDir: string, socketPath: string): void {
  const log = openSync(hostLogPath(dataDir), 'a', PRIVATE_FILE_MODE);
  ensurePrivateFile(hostLogPath(dataDir));
  const child = spawn(process.execPath, [...HOST_NODE_ARGS, hostEntry(), '--data-dir', dataDir, '--socket', socketPath], {
    detached: true,
    stdio: ['ignore', log, log],
    // Inside Electron, execPath is the Electron binary: run it as plain Node for the host.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  closeSync(log);
  child.unref();
}

/** True while a client is starting the data dir's host (it holds the start lock). */
export function isHostStarting(dataDir: string): boolean {
  try {
    return Date.now() - statSync(hostLockPath(dataDir)).mtimeMs < STALE_LOCK_MS;
  } catch {
    return false;
  }
}

/**
 * A connected socket to the data dir's host, starting one if none answers; with `start` false,
 * a NOT_FOUND error instead (a look at the host must not start one).
 */
export async function connectHost(dataDir: string, timeoutMs = 30_000, start = true): Promise<HostConnection> {
  const socketPath = hostSocketPath(dataDir);
  const secret = loadOrCreateHostSecret(dataDir);
  const lockPath = hostLockPath(dataDir);
  const deadline = Date.now() + timeoutMs;
  let ownLock = false;
  try {
    while (Date.now() < deadline) {
      const attempt = await tryConnect(socketPath, secret);
      if (attempt.kind === 'connected') return attempt.connection;
      if (attempt.kind === 'untrusted') {
        throw new ParlaError(
          'HOST_UNTRUSTED',
          `the process answering on ${socketPath} is not this data dir's model host (it does not know ${hostSecretPath(dataDir)}); no text was sent to it. Stop that process, or remove the socket`,
        );
      }
      if (!start) throw new ParlaError('NOT_FOUND', `no model host runs for ${dataDir}`);
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
