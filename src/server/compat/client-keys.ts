// Who a compatible API's request is: the server's token (every door, no limits) or a named
// client key (these APIs only, with its own rate and monthly character limits). The gate calls
// `admit` once per request; handlers bill characters through `bill`, which refuses a request
// that would pass the key's limit before any work is done and refunds it if the work fails.
import type { FastifyRequest } from 'fastify';
import type { KeyStore } from '../../core/compat/keys.js';
import { ParlaError } from '../../shared/errors.js';
import type { ApiKeyInfo } from '../../shared/keys.js';

const MINUTE_MS = 60_000;

export class ClientKeys {
  private readonly byRequest = new WeakMap<FastifyRequest, ApiKeyInfo>();
  /** Each key's request times in the last minute (a sliding window, kept in memory). */
  private readonly recent = new Map<string, number[]>();
  /** Characters translated with the server's token since start (its `/v2/usage`). */
  serverCount = 0;

  constructor(
    readonly store: KeyStore,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Admits a request presenting `key` as a client key: true when it is one (and within its rate),
   * false when no client key has that text (the caller then checks the server's token).
   */
  admit(request: FastifyRequest, key: string): boolean {
    const info = this.store.use(key);
    if (!info) return false;
    if (info.ratePerMinute !== null) {
      const now = this.now();
      const times = (this.recent.get(info.name) ?? []).filter((t) => t > now - MINUTE_MS);
      if (times.length >= info.ratePerMinute) {
        this.recent.set(info.name, times);
        throw new ParlaError('RATE_LIMITED', `Too many requests: this key allows ${info.ratePerMinute} per minute`);
      }
      times.push(now);
      this.recent.set(info.name, times);
    }
    this.byRequest.set(request, info);
    return true;
  }

  /** The client key a request was admitted with; undefined for the server's token. */
  keyOf(request: FastifyRequest): ApiKeyInfo | undefined {
    const info = this.byRequest.get(request);
    return info && this.store.info(info.name);
  }

  /** Who `bill` charges for this request: a client key's name, or undefined for the server's token. */
  payer(request: FastifyRequest): string | undefined {
    return this.byRequest.get(request)?.name;
  }

  /** Gives back characters billed for work that failed later (a document whose job ended in error). */
  refund(payer: string | undefined, characters: number): void {
    if (payer === undefined) this.serverCount -= characters;
    else this.store.charge(payer, -characters);
  }

  /** Runs `work` billed `characters` to the request's key: QUOTA_EXCEEDED up front when over its limit. */
  async bill<T>(request: FastifyRequest, characters: number, work: () => Promise<T>): Promise<T> {
    const info = this.byRequest.get(request);
    if (!info) {
      const result = await work();
      this.serverCount += characters;
      return result;
    }
    if (!this.store.charge(info.name, characters)) throw new ParlaError('QUOTA_EXCEEDED', 'Quota exceeded. The character limit has been reached.');
    try {
      return await work();
    } catch (error) {
      this.store.charge(info.name, -characters);
      throw error;
    }
  }
}
