// Model host entry for the CLI and server: one process per data dir, listening on a local
// socket. Started detached by the first client (see src/core/host/spawn-host.ts); exits after
// `hostIdleMs` with no clients. Usage: node dist/workers/host/main.js --data-dir DIR --socket PATH
// The desktop app starts it as a utilityProcess instead: then it also says `ready` and why it
// leaves over `process.parentPort`, and obeys `{type: 'shutdown'}` (see app-link.ts).
// Started as a worker thread with lane data, the same module serves as one of the host's model
// lanes (src/workers/marian/lanes.ts): one entry file, so the CLI build and the app's bundle
// both know where their lanes come from.
import { existsSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { engineSettingsFromEnv } from '../../core/engine-settings-env.js';
import { SettingsStore } from '../../core/api/settings-store.js';
import { HandshakeReader, handshakeProof, isValidProof, loadOrCreateHostSecret, newNonce, parseLine } from '../../core/host/host-auth.js';
import { assertPrivateSocketDir } from '../../core/host/socket-dir.js';
import { modelMemoryOf, readModelMemory, recordModelMemory } from '../../core/models/model-memory.js';
import { ensurePrivateDir } from '../../core/private-fs.js';
import { isClientAuth, isClientHello, type HostExitReason, type HostHello } from '../../shared/host-protocol.js';
import { encodeLine } from '../../shared/ndjson.js';
import { isLaneData, serveLane } from '../marian/lanes.js';
import { appLink } from './app-link.js';
import { exitOnSigterm } from './exit-on-signal.js';
import { socketPort } from './host-port.js';
import { ModelHost } from './model-host.js';

/** A connection that has not proved itself by then is dropped. */
const HANDSHAKE_TIMEOUT_MS = 5000;

/** How long a leaving host gives its last message to the app to go out before it exits. */
const FAREWELL_MS = 50;

if (!isMainThread && parentPort && isLaneData(workerData)) await serveLane(parentPort, workerData);
else await runHost();

async function runHost(): Promise<void> {
  const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, socket: { type: 'string' } } });
  const dataDir = values['data-dir'];
  const socketPath = values.socket ?? '';
  if (!dataDir || !socketPath) {
    process.stderr.write('parla host: --data-dir and --socket are required\n');
    process.exit(2);
  }
  const settings = engineSettingsFromEnv();
  ensurePrivateDir(dataDir);
  try {
    // Texts arrive through this socket: never bind in a folder someone else could enter.
    assertPrivateSocketDir(dirname(socketPath));
  } catch (error) {
    process.stderr.write(`parla host: ${(error as Error).message}\n`);
    process.exit(1);
  }

  /** True when another host already answers on the socket (then this one must not start). */
  function alive(): Promise<boolean> {
    return new Promise((resolve) => {
      const probe = connect(socketPath);
      probe.once('connect', () => {
        probe.destroy();
        resolve(true);
      });
      probe.once('error', () => resolve(false));
    });
  }

  const app = appLink();
  /** A normal exit (code 0), after telling the app why: it must not take this for a crash. */
  const leave = (reason: HostExitReason): void => {
    app?.tell({ type: 'exiting', reason, socket: socketPath });
    setTimeout(() => process.exit(0), app ? FAREWELL_MS : 0);
  };

  // Another host serves this data dir already (the CLI's, say): every client, the app's too, uses that one.
  if (await alive()) return leave('served-elsewhere');
  if (process.platform !== 'win32') {
    try {
      unlinkSync(socketPath); // a stale socket file from a host that died
    } catch {
      /* none */
    }
  }

  // The user's Threads setting (Settings page) caps the cores a newly loaded model may use; their
  // memory budget, in MB, replaces the engine setting's when set. A hand-edited file may hold anything.
  const store = new SettingsStore(dataDir);
  const positive = (n: number): number => (Number.isInteger(n) && n > 0 ? n : 0);
  const host = new ModelHost(settings, {
    laneEntry: import.meta.url,
    userThreads: () => positive(store.get().threads),
    memoryBudget: () => positive(store.get().memoryBudgetMB) * 1e6,
    memory: {
      known: (dir, quantized) => modelMemoryOf(readModelMemory(dataDir), dir, quantized),
      record: (dir, quantized, bytes, layout) => {
        try {
          recordModelMemory(dataDir, dir, quantized, bytes, layout);
        } catch (error) {
          process.stderr.write(`parla host: cannot record model memory: ${(error as Error).message}\n`);
        }
      },
    },
  });
  /**
   * A connection becomes a client only once it proves it knows the data dir's secret (the
   * handshake in host-protocol.ts); this host proves the same in its greeting, so the client
   * knows no stranger took the socket. Anything else is dropped unanswered.
   */
  const admit = async (socket: Socket): Promise<void> => {
    const timer = setTimeout(() => socket.destroy(), HANDSHAKE_TIMEOUT_MS);
    const reader = new HandshakeReader(socket);
    try {
      const hello = parseLine(await reader.next());
      if (!isClientHello(hello)) throw new Error('no hello');
      const secret = loadOrCreateHostSecret(dataDir);
      const nonce = newNonce();
      const greeting: HostHello = { kind: 'hello', pid: process.pid, nonce, proof: handshakeProof(secret, 'host', hello.nonce, nonce) };
      socket.write(encodeLine(greeting));
      const auth = parseLine(await reader.next());
      if (!isClientAuth(auth) || !isValidProof(secret, 'client', hello.nonce, nonce, auth.proof)) throw new Error('bad proof');
      clearTimeout(timer);
      clearTimeout(idleTimer);
      host.attach(socketPort(reader.release()));
      socket.resume();
    } catch {
      clearTimeout(timer);
      reader.detach();
      // end, not destroy: what was already written (the greeting) still goes out in order, and
      // a peer that never closes its side is cut off a moment later.
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    }
  };
  const server = createServer((socket) => void admit(socket));
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (host.clientCount === 0) void host.shutdown();
    }, settings.hostIdleMs);
  };
  host.onIdle = armIdle;
  /** Why the host is shutting down: idle unless someone asked. */
  let reason: HostExitReason = 'idle';
  const shutdown = (why: HostExitReason): Promise<void> => {
    reason = why;
    return host.shutdown();
  };
  host.onShutdown = () => {
    server.close();
    leave(reason);
  };
  app?.onMessage(() => void shutdown('shutdown'));
  server.on('error', (e: NodeJS.ErrnoException) => {
    // Lost the race to another host starting at the same moment: that one serves.
    if (e.code === 'EADDRINUSE') return leave('served-elsewhere');
    process.stderr.write(`parla host: ${e.message}\n`);
    process.exit(1);
  });
  server.listen(socketPath, () => {
    process.stdout.write(`parla host ${process.pid} listening on ${socketPath}\n`);
    app?.tell({ type: 'ready', pid: process.pid, socket: socketPath });
    armIdle();
  });
  exitOnSigterm(() => shutdown('shutdown'));
  // A host whose socket file or data dir is gone (a test's or a benchmark's temp dir, a reset)
  // can never be reached again; it leaves instead of holding its models for hostIdleMs.
  if (process.platform !== 'win32') {
    setInterval(() => {
      if (!existsSync(socketPath) || !existsSync(dataDir)) void shutdown('shutdown');
    }, 2000).unref();
  }
}
