// Team mode's cache: the local SQLite cache in front of the team's Redis cache. Reads go local
// first (repeats never leave the process), then to Redis, and Redis hits are copied locally.
// Writes go to both. While Redis is away the local cache alone answers; writes made meanwhile
// are kept (bounded) and pushed when the link is back, so the team still learns them.
import type { CacheStats, CacheValue } from '../../shared/cache.js';
import type { CacheBackend } from '../cache/backend.js';
import type { TeamLink } from './link.js';

export interface TieredCacheOptions {
  local: CacheBackend;
  remote: CacheBackend;
  link: TeamLink;
  /** Most writes remembered while offline (oldest dropped beyond it). */
  maxPending?: number;
}

export class TieredCache implements CacheBackend {
  private readonly local: CacheBackend;
  private readonly remote: CacheBackend;
  private readonly link: TeamLink;
  private readonly maxPending: number;
  private pending = new Map<string, CacheValue>();
  private flushing: Promise<void> | undefined;

  constructor(options: TieredCacheOptions) {
    this.local = options.local;
    this.remote = options.remote;
    this.link = options.link;
    this.maxPending = options.maxPending ?? 50_000;
    this.link.on('status', (info) => {
      if (info.status === 'online') void this.flush();
    });
  }

  /** Writes waiting for Redis to come back. */
  get pendingWrites(): number {
    return this.pending.size;
  }

  async get(key: string): Promise<CacheValue | undefined> {
    return (await this.getMany([key]))[0];
  }

  async getMany(keys: readonly string[]): Promise<(CacheValue | undefined)[]> {
    const found = await this.local.getMany(keys);
    const missing = [...new Set(keys.filter((_, i) => found[i] === undefined))];
    if (missing.length === 0 || this.link.status !== 'online') return found;
    let remote: (CacheValue | undefined)[];
    try {
      remote = await this.remote.getMany(missing);
    } catch (error) {
      this.link.reportFailure(error);
      return found;
    }
    const byKey = new Map<string, CacheValue>();
    missing.forEach((key, i) => {
      const v = remote[i];
      if (v) byKey.set(key, v);
    });
    if (byKey.size > 0) await this.local.setMany([...byKey]);
    return keys.map((key, i) => found[i] ?? byKey.get(key));
  }

  async set(key: string, value: CacheValue): Promise<void> {
    await this.setMany([[key, value]]);
  }

  async setMany(entries: readonly (readonly [string, CacheValue])[]): Promise<void> {
    if (entries.length === 0) return;
    await this.local.setMany(entries);
    if (this.link.status === 'online') {
      try {
        await this.remote.setMany(entries);
        return;
      } catch (error) {
        this.link.reportFailure(error);
      }
    }
    for (const [key, value] of entries) {
      this.pending.delete(key);
      this.pending.set(key, value);
    }
    for (const key of this.pending.keys()) {
      if (this.pending.size <= this.maxPending) break;
      this.pending.delete(key);
    }
  }

  /** The team's figures while online; the local cache's while offline. */
  async stats(): Promise<CacheStats> {
    if (this.link.status === 'online') {
      try {
        return await this.remote.stats();
      } catch (error) {
        this.link.reportFailure(error);
      }
    }
    return this.local.stats();
  }

  async clear(): Promise<void> {
    this.pending.clear();
    await this.local.clear();
    if (this.link.status === 'online') await this.remote.clear();
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.local.close();
    await this.remote.close();
  }

  /** Pushes writes made while offline; what fails stays pending for the next reconnect. */
  flush(): Promise<void> {
    this.flushing ??= (async () => {
      try {
        while (this.pending.size > 0 && this.link.status === 'online') {
          const batch = [...this.pending].slice(0, 500);
          await this.remote.setMany(batch);
          for (const [key, value] of batch) if (this.pending.get(key) === value) this.pending.delete(key);
        }
      } catch (error) {
        this.link.reportFailure(error);
      } finally {
        this.flushing = undefined;
      }
    })();
    return this.flushing;
  }
}
