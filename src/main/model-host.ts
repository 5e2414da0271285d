// The model host as an object with a lifecycle (docs/architecture.md §5): started as an Electron
// utilityProcess (one per machine), restarted with backoff when it crashes, and stopped by
// asking first and killing after a timeout. The fork function is injected so tests need no Electron.
// A host that exits 0 left normally (asked to, idle, or another host already serves the socket:
// the CLI's, which the app's clients then use); only another exit is a crash.
import { isHostLifecycleMessage, type HostExitReason, type HostParentMessage } from '../shared/host-protocol.js';
import { HOST_NODE_ARGS } from '../core/host/host-runtime.js';

export interface UtilityProcessLike {
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  kill(): boolean;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

export type ForkFn = (
  modulePath: string,
  args: string[],
  options: { serviceName: string; env: Record<string, string | undefined>; execArgv: string[] },
) => UtilityProcessLike;

export type HostExit = { kind: 'stopped'; reason: HostExitReason } | { kind: 'crashed'; code: number; restarting: boolean };

/**
 * What the app knows of its host: `served-elsewhere` when another host answers the socket (the
 * app's clients use it), `stopped` after a normal exit (clients start a host again on demand).
 */
export type HostProcessState = 'starting' | 'ready' | 'served-elsewhere' | 'stopped' | 'crashed';

export interface ModelHostOptions {
  modulePath: string;
  dataDir: string;
  fork: ForkFn;
  /** Crashes allowed within `crashWindowMs` before giving up. */
  maxRestarts?: number;
  crashWindowMs?: number;
  /** The host's environment; this process's when left out. */
  env?: Record<string, string | undefined>;
  /** Extra arguments after `--data-dir DIR` (e.g. the socket the CLI's clients connect to). */
  args?: string[];
}

export class ModelHostProcess {
  private child: UtilityProcessLike | undefined;
  private stopping = false;
  /** Why the current child said it is leaving, if it did. */
  private leaving: HostExitReason | undefined;
  private crashes: number[] = [];
  private current: HostProcessState = 'stopped';
  private readonly exitListeners = new Set<(exit: HostExit) => void>();
  private readonly messageListeners = new Set<(message: unknown) => void>();

  constructor(private readonly options: ModelHostOptions) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  get state(): HostProcessState {
    return this.current;
  }

  start(): void {
    if (this.child) return;
    this.stopping = false;
    const child = this.options.fork(this.options.modulePath, ['--data-dir', this.options.dataDir, ...(this.options.args ?? [])], {
      serviceName: 'Parla model host',
      // utilityProcess's env replaces the environment: start from ours (PATH, HOME, XDG_RUNTIME_DIR).
      env: { ...(this.options.env ?? process.env), PARLA_DATA_DIR: this.options.dataDir },
      execArgv: [...HOST_NODE_ARGS],
    });
    this.child = child;
    this.leaving = undefined;
    this.current = 'starting';
    child.on('message', (message) => {
      if (this.child === child && isHostLifecycleMessage(message)) {
        if (message.type === 'ready') this.current = 'ready';
        else this.leaving = message.reason;
      }
      this.messageListeners.forEach((l) => l(message));
    });
    child.on('exit', (code) => this.exited(child, code));
  }

  postMessage(message: HostParentMessage): void {
    this.child?.postMessage(message);
  }

  onMessage(listener: (message: unknown) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onExit(listener: (exit: HostExit) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** Asks the host to finish and exit; kills it if it has not exited after `timeoutMs`. */
  async stop(timeoutMs = 3000): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.stopping = true;
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const shutdown: HostParentMessage = { type: 'shutdown' };
    child.postMessage(shutdown);
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref?.());
    if ((await Promise.race([exited, timer])) === 'timeout') {
      child.kill();
      await exited;
    }
  }

  private exited(child: UtilityProcessLike, code: number): void {
    if (this.child !== child) return;
    this.child = undefined;
    if (this.stopping || code === 0) {
      const reason = this.stopping ? 'shutdown' : (this.leaving ?? 'idle');
      this.current = reason === 'served-elsewhere' ? 'served-elsewhere' : 'stopped';
      return this.exitListeners.forEach((l) => l({ kind: 'stopped', reason }));
    }
    const now = Date.now();
    const window = this.options.crashWindowMs ?? 60_000;
    this.crashes = [...this.crashes.filter((t) => now - t < window), now];
    const restarting = this.crashes.length <= (this.options.maxRestarts ?? 3);
    this.current = restarting ? 'starting' : 'crashed';
    this.exitListeners.forEach((l) => l({ kind: 'crashed', code, restarting }));
    if (restarting) setTimeout(() => this.start(), 250 * 2 ** (this.crashes.length - 1)).unref?.();
  }
}
