// Team mode's memory: the team's Redis memory, with the member's SQLite copy for when Redis is
// away. Online, reads and writes go to Redis (an entry one member saves answers every member at
// once) and what a member reads or writes is copied locally. Offline, the copy answers and takes
// edits, marked unsynced; when the team is back they are sent (merged there: the latest edit
// wins, the other kept in its history) and the copy catches up on the team's changes.
import { ParlaError } from '../../shared/errors.js';
import type { MemoryEntry, MemoryPage, MemoryQuery, MemorySuggestion, NewMemoryEntry } from '../../shared/memory.js';
import type { MemoryBackend, SuggestOptions } from '../memory/backend.js';
import type { SqliteMemory } from '../memory/sqlite.js';
import type { TeamLink } from './link.js';
import type { RedisMemory } from './redis-memory.js';

export interface TieredMemoryOptions {
  local: SqliteMemory;
  /** On the fail-fast connection: lookups and edits never wait for a Redis that is away. */
  remote: RedisMemory;
  /** On the waiting connection: one import script may take longer than a lookup may. */
  bulk: RedisMemory;
  link: TeamLink;
  /** The team's name, under which the copy remembers how far it has read. */
  team: string;
}

/** Changes read per step while catching up. */
const SYNC_STEP = 1000;

export class TieredMemory implements MemoryBackend {
  private readonly o: TieredMemoryOptions;
  private syncing: Promise<void> | undefined;

  constructor(options: TieredMemoryOptions) {
    this.o = options;
    options.link.on('status', (info) => {
      if (info.status === 'online') void this.sync();
    });
    if (options.link.status === 'online') void this.sync();
  }

  private get online(): boolean {
    return this.o.link.status === 'online';
  }

  /** Runs `step` on Redis while online; on failure (or offline) the copy's answer stands. */
  private async remoteOr<T>(step: () => Promise<T>, offline: () => Promise<T>): Promise<T> {
    if (this.online) {
      try {
        return await step();
      } catch (error) {
        if (error instanceof ParlaError) throw error;
        this.o.link.reportFailure(error);
      }
    }
    return offline();
  }

  async add(entries: readonly NewMemoryEntry[]): Promise<MemoryEntry[]> {
    const local = this.o.local.addSync(entries, 'unsynced');
    return this.remoteOr(
      async () => {
        const stored = await this.o.remote.storeEntries(local);
        this.o.local.storeTeamEntries(stored);
        return stored;
      },
      async () => local,
    );
  }

  async import(entries: readonly NewMemoryEntry[], onProgress?: (done: number) => void): Promise<number> {
    if (!this.online) return this.o.local.importSync(entries, 'unsynced', onProgress);
    const n = await this.o.bulk.import(entries, onProgress);
    await this.sync();
    return n;
  }

  async lookup(from: string, to: string, sources: readonly string[]): Promise<(MemoryEntry | undefined)[]> {
    return this.remoteOr(
      async () => {
        const found = await this.o.remote.lookup(from, to, sources);
        const hits = found.filter((e): e is MemoryEntry => e !== undefined);
        if (hits.length > 0) this.o.local.storeTeamEntries(hits);
        return found;
      },
      () => this.o.local.lookup(from, to, sources),
    );
  }

  suggest(from: string, to: string, source: string, options: SuggestOptions): Promise<MemorySuggestion[]> {
    return this.remoteOr(
      () => this.o.remote.suggest(from, to, source, options),
      () => this.o.local.suggest(from, to, source, options),
    );
  }

  list(query: MemoryQuery): Promise<MemoryPage> {
    return this.remoteOr(
      () => this.o.remote.list(query),
      () => this.o.local.list(query),
    );
  }

  get(id: string): Promise<MemoryEntry | undefined> {
    return this.remoteOr(
      () => this.o.remote.get(id),
      () => this.o.local.get(id),
    );
  }

  /** Removing needs the team: a removal made offline could not be told from a missing copy. */
  async remove(id: string): Promise<boolean> {
    if (!this.online) throw new ParlaError('TEAM_OFFLINE', 'the team is offline: memory entries can be removed once it is back');
    const removed = await this.o.remote.remove(id);
    await this.o.local.remove(id);
    return removed;
  }

  /** Sends offline edits, then reads the team's changes into the copy. One at a time. */
  sync(): Promise<void> {
    this.syncing ??= (async () => {
      try {
        // Bounded: an entry edited again while it is sent stays unsynced for the next round.
        for (let round = 0, batch = this.o.local.unsynced(SYNC_STEP); batch.length > 0 && this.online && round < 100; round++, batch = this.o.local.unsynced(SYNC_STEP)) {
          const stored = await this.o.bulk.storeEntries(batch);
          this.o.local.markSynced(batch);
          this.o.local.storeTeamEntries(stored);
        }
        for (;;) {
          if (!this.online) return;
          const from = this.o.local.syncedSeq(this.o.team);
          const changes = await this.o.remote.changesSince(from, SYNC_STEP);
          if (changes.seq === from) return;
          this.o.local.storeTeamEntries(changes.entries);
          for (const id of changes.removed) await this.o.local.remove(id);
          this.o.local.setSyncedSeq(this.o.team, changes.seq);
        }
      } catch (error) {
        this.o.link.reportFailure(error);
      } finally {
        this.syncing = undefined;
      }
    })();
    return this.syncing;
  }

  async close(): Promise<void> {
    await this.syncing;
    await this.o.local.close();
    await this.o.remote.close();
    await this.o.bulk.close();
  }
}
