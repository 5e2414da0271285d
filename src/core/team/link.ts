// Whether the team's Redis is reachable, as one small state machine every door can show:
// 'connecting' until the first ready, 'online', or 'offline' (with the last error, redacted).
// ioredis reconnects on its own with the backoff from connection.ts; this only watches.
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { ErrorCode } from '../../shared/errors.js';
import { teamError } from './connection.js';
import { redactUrl } from './redact.js';

export type TeamStatus = 'online' | 'offline' | 'connecting';

export interface TeamStatusInfo {
  status: TeamStatus;
  /** One line, password redacted; undefined while nothing went wrong. */
  lastError?: string;
  lastErrorCode?: ErrorCode;
  /** ISO 8601 time of the last status change. */
  since: string;
}

export declare interface TeamLink {
  on(event: 'status', listener: (info: TeamStatusInfo) => void): this;
  emit(event: 'status', info: TeamStatusInfo): boolean;
}

export class TeamLink extends EventEmitter {
  private current: TeamStatusInfo = { status: 'connecting', since: new Date().toISOString() };

  constructor(
    readonly client: Redis,
    private readonly url: string,
  ) {
    super();
    if (client.status === 'ready') this.set('online');
    client.on('ready', () => this.set('online'));
    client.on('error', (error: unknown) => this.reportFailure(error));
    client.on('close', () => {
      if (this.current.status !== 'online') return;
      this.current.lastError = `team Redis at ${redactUrl(url)} is unreachable: connection closed`;
      this.current.lastErrorCode = 'TEAM_OFFLINE';
      this.set('offline');
    });
  }

  get status(): TeamStatus {
    return this.current.status;
  }

  info(): TeamStatusInfo {
    return { ...this.current };
  }

  /** A command failed (timeout, connection lost): go offline until the client is ready again. */
  reportFailure(error: unknown): void {
    const e = teamError(error, this.url);
    this.current.lastError = e.message;
    this.current.lastErrorCode = e.code;
    this.set('offline');
  }

  /** Resolves when online; false after `timeoutMs` or when the first attempt failed. */
  waitOnline(timeoutMs: number): Promise<boolean> {
    if (this.status === 'online') return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), timeoutMs);
      const onStatus = (info: TeamStatusInfo) => {
        if (info.status !== 'connecting') finish(info.status === 'online');
      };
      const finish = (online: boolean) => {
        clearTimeout(timer);
        this.off('status', onStatus);
        resolve(online);
      };
      this.on('status', onStatus);
    });
  }

  private set(status: TeamStatus): void {
    const changed = status !== this.current.status;
    this.current = { ...this.current, status, ...(changed ? { since: new Date().toISOString() } : {}) };
    if (changed || status === 'offline') this.emit('status', this.info());
  }
}
