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

  constructor(
    readonly dataDir: string,
    private readonly defaultTimeoutMs = 10 * 60_000,
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
      void this.send(request).catch((e: unknown) => this.settle(seq, undefined, e));
    });
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

  /**
   * A socket to a host that has answered a `stats` call. A connection can land on a host that was
   * killed but whose listening socket the kernel has not closed yet; it then closes unanswered.
   * Such a host never saw a request, so this tries again (a new host is started) instead of
   * letting the close count as a crash of the request's retry.
   */
  private async connectLive(timeoutMs = 30_000): Promise<Socket> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const socket = await connectHost(this.dataDir, Math.max(1000, deadline - Date.now()));
      if (await this.handshake(socket)) return socket;
      socket.destroy();
      if (Date.now() > deadline) {
        throw new ParlaError('HOST_CRASHED', `the model host did not answer within ${timeoutMs / 1000}s; see ${hostLogPath(this.dataDir)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private handshake(socket: Socket): Promise<boolean> {
    const seq = ++this.seq;
    const decoder = new LineDecoder();
    socket.setEncoding('utf8');
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        socket.off('data', onData);
        socket.off('close', onClose);
        socket.off('error', onClose);
        resolve(ok);
      };
      const onData = (chunk: string) => {
        for (const line of decoder.push(chunk)) {
          try {
            const message: unknown = JSON.parse(line);
            if (isHostResponse(message) && message.seq === seq) return done(true);
          } catch {
            /* not ours */
          }
        }
      };
      const onClose = () => done(false);
      socket.on('data', onData);
      socket.once('close', onClose);
      socket.once('error', onClose);
      socket.write(encodeLine({ kind: 'request', seq, method: 'stats', params: {} } satisfies ClientMessage));
    });
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
      if (!this.closed) this.recover();
    });
    // Pending calls keep the process alive through their timeout timers, not the socket.
    socket.unref();
  }

  /** The host went away: resend each in-flight call once to a fresh host. */
  private recover(): void {
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
      void this.send(p.request).catch((e: unknown) => this.settle(seq, undefined, e));
    }
  }
}

function crashed(dataDir: string): ParlaError {
  return new ParlaError('HOST_CRASHED', `the model host stopped unexpectedly twice while translating; see ${hostLogPath(dataDir)}`);
}
