// A client of the model host. Calls are typed by `HostApi`; each has a timeout and can be
// cancelled. If the host dies, the client starts a new one and resends what was in flight
// once; a call that meets a second crash fails with HOST_CRASHED.
import type { Socket } from 'node:net';
import { ParlaError, fromErrorInfo } from '../../shared/errors.js';
import { isHostResponse, type ClientMessage, type HostApi, type HostMethod, type HostRequest } from '../../shared/host-protocol.js';
import { LineDecoder, encodeLine } from '../../shared/ndjson.js';
import { hostLogPath } from '../paths.js';
import { connectHost } from './spawn-host.js';

export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface Pending {
  request: HostRequest;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  retried: boolean;
  cleanup(): void;
}

export class HostClient {
  private socket: Socket | undefined;
  private connecting: Promise<Socket> | undefined;
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private closed = false;
  /** The pid of the host on the current socket (learnt by the connect handshake). */
  private hostPid: number | undefined;

  /** `startHost` false: a client of the host that runs now, if any (a look at it must not start one). */
  constructor(
    readonly dataDir: string,
    private readonly defaultTimeoutMs = 10 * 60_000,
    private readonly startHost = true,
  ) {}

  call<M extends HostMethod>(method: M, params: HostApi[M]['params'], options: CallOptions = {}): Promise<HostApi[M]['result']> {
    if (this.closed) return Promise.reject(new ParlaError('INTERNAL', 'host client is closed'));
    const seq = ++this.seq;
    const request = { kind: 'request', seq, method, params } as HostRequest;
    return new Promise<HostApi[M]['result']>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
      const timer = setTimeout(() => {
        this.cancel(seq);
        reject(new ParlaError('TIMEOUT', `the model host did not answer ${method} within ${Math.round(timeoutMs / 1000)}s`));
      }, timeoutMs);
      const onAbort = () => {
        this.cancel(seq);
        reject(new ParlaError('CANCELED', `${method} canceled`));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(seq, {
        request,
        resolve: resolve as (v: unknown) => void,
        reject,
        retried: false,
        cleanup: () => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
        },
      });
      if (options.signal?.aborted) return onAbort();
      this.deliver(seq);
    });
  }

  /** Reaches the host now (starting one if none answers) instead of on the first call. */
  async connect(): Promise<void> {
    if (this.closed) throw new ParlaError('INTERNAL', 'host client is closed');
    await this.ensureSocket();
  }

  /** Waits for pending calls, then disconnects (the host stays up for other clients). */
  async close(): Promise<void> {
    while (this.pending.size) {
      await Promise.allSettled([...this.pending.keys()].map((seq) => this.whenSettled(seq)));
    }
    this.closed = true;
    this.socket?.end();
    this.socket = undefined;
  }

  private whenSettled(seq: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (this.pending.has(seq) ? setTimeout(check, 10) : resolve());
      check();
    });
  }

  private cancel(seq: number): void {
    const p = this.pending.get(seq);
    if (!p) return;
    p.cleanup();
    this.pending.delete(seq);
    if (this.socket) this.write({ kind: 'cancel', seq: ++this.seq, target: seq });
  }

  private settle(seq: number, value: unknown, error?: unknown): void {
    const p = this.pending.get(seq);
    if (!p) return;
    this.pending.delete(seq);
    p.cleanup();
    if (error) p.reject(error);
    else p.resolve(value);
  }

  private deliver(seq: number): void {
    const p = this.pending.get(seq);
    if (p) this.send(p.request).catch((e: unknown) => this.settle(seq, undefined, e));
  }

  private async send(message: ClientMessage): Promise<void> {
    await this.ensureSocket();
    this.write(message);
  }

  private write(message: ClientMessage): void {
    this.socket?.write(encodeLine(message));
  }

  private ensureSocket(): Promise<Socket> {
    if (this.socket) return Promise.resolve(this.socket);
    this.connecting ??= this.connectLive().then(
      (socket) => {
        this.connecting = undefined;
        this.attach(socket);
        return socket;
      },
      (e: unknown) => {
        this.connecting = undefined;
        throw e;
      },
    );
    return this.connecting;
  }

  /** A socket to a host that proved it knows the data dir's secret; its greeting tells its pid (see spawn-host.ts). */
  private async connectLive(): Promise<Socket> {
    const { socket, pid } = await connectHost(this.dataDir, undefined, this.startHost);
    this.hostPid = pid;
    return socket;
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    const decoder = new LineDecoder();
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      for (const line of decoder.push(chunk)) {
        let message: unknown;
        try {
          message = JSON.parse(line);
        } catch {
          continue;
        }
        if (!isHostResponse(message)) continue;
        if (message.ok) this.settle(message.seq, message.result);
        else this.settle(message.seq, undefined, fromErrorInfo(message.error));
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      const deadPid = this.hostPid;
      this.hostPid = undefined;
      if (!this.closed) void this.recover(deadPid);
    });
    // Pending calls keep the process alive through their timeout timers, not the socket.
    socket.unref();
    // The handshake left it paused with anything the host sent after its greeting unread.
    socket.resume();
  }

  /**
   * The host went away: resend each in-flight call once to a fresh host. First wait for the old
   * process to be gone: until then the kernel may still accept connections on its socket, and a
   * retry sent there would meet the same crash twice.
   */
  private async recover(deadPid: number | undefined): Promise<void> {
    if (deadPid !== undefined) await waitForExit(deadPid, 5000);
    for (const [seq, p] of this.pending) {
      // A host that exits on `shutdown` did what was asked.
      if (p.request.method === 'shutdown') {
        this.settle(seq, { ok: true });
        continue;
      }
      if (p.retried) {
        this.settle(seq, undefined, crashed(this.dataDir));
        continue;
      }
      p.retried = true;
      this.deliver(seq);
    }
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

function crashed(dataDir: string): ParlaError {
  return new ParlaError('HOST_CRASHED', `the model host stopped unexpectedly twice while translating; see ${hostLogPath(dataDir)}`);
}
