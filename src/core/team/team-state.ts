// An app's state in team mode: local state (src/core/state.ts) with the team's stores in front.
// Translation goes through the team's memory, the local SQLite cache, then the team's Redis
// cache, then the engine, in the one pipeline local state builds. Batches submitted while the team is online run on the team
// (chunks for every worker, output written here); batches submitted while it is offline run
// locally on the SQLite queue and stay local: nothing waits on a Redis that may not come back,
// and nothing queued is lost. A team job that loses Redis midway waits for it (its state is in
// Redis) and carries on when it returns.
import { Redis } from 'ioredis';
import type { Queue, QueueEvents } from 'bullmq';
import { ParlaError } from '../../shared/errors.js';
import type { JobEvent } from '../../shared/jobs.js';
import type { Translator } from '../../shared/translation.js';
import type { CacheLimits } from '../cache/backend.js';
import { prepareBatch, runBatch } from '../jobs/batch.js';
import { localDesk, tagged, type JobDesk, type JobShelf } from '../jobs/job-desk.js';
import { sourceForJob } from '../jobs/sources.js';
import { openLocalState, type EngineContext, type EngineTranslator, type LocalState } from '../state.js';
import { openChunkEvents, openChunkQueue, type ChunkData, type ChunkPolicy, type ChunkResult } from './chunks.js';
import { checkDatabase, redisOptions, within, resolveTeamOptions, teamPrefix, trackDuplicates, type TeamOptions } from './connection.js';
import { TeamLink, type TeamStatus, type TeamStatusInfo } from './link.js';
import { RedisCache } from './redis-cache.js';
import { RedisGlossary } from './redis-glossary.js';
import { RedisMemory } from './redis-memory.js';
import { TieredMemory } from './tiered-memory.js';
import { RedisQueue } from './redis-queue.js';
import { TeamRunner } from './team-runner.js';
import { TieredCache } from './tiered-cache.js';
import { TeamWorker, type TeamWorkerOptions } from './worker.js';

export interface TeamStateOptions {
  dataDir: string;
  redis: TeamOptions;
  openEngine: (context: EngineContext) => Promise<EngineTranslator>;
  cache?: CacheLimits;
  /** Chunks this app translates for the team at once; 0 = submit only. */
  workConcurrency?: number;
  worker?: Partial<Pick<TeamWorkerOptions, 'lockDurationMs' | 'stalledIntervalMs' | 'statusPollMs' | 'log'>>;
  chunks?: Partial<ChunkPolicy>;
  pollMs?: number;
  reconcileMs?: number;
  /** How long opening waits for Redis before starting offline. */
  connectTimeoutMs?: number;
}

export const TEAM_STATE_DEFAULTS = { workConcurrency: 1, connectTimeoutMs: 3000 } as const;

export interface TeamState {
  /** The engine behind both caches, for single translations from any door. */
  translator: Translator;
  local: LocalState;
  teamQueue: RedisQueue;
  teamRunner: TeamRunner;
  teamStatus(): TeamStatus;
  statusInfo(): TeamStatusInfo;
  /**
   * Jobs of both places. New batches go to the team while it is online, else they run locally
   * (and stay local); team jobs are listed and found only while the team is reachable.
   */
  desk: JobDesk;
  close(): Promise<void>;
}

/** The local desk, with the team's queue beside it while the team is online. */
function teamDesk(local: LocalState, teamQueue: RedisQueue, teamRunner: TeamRunner, online: () => boolean): JobDesk {
  const solo = localDesk(local);
  const teamShelf: JobShelf = { place: 'team', queue: teamQueue, runner: teamRunner };
  return {
    shelves: () => (online() ? [...solo.shelves(), teamShelf] : solo.shelves()),
    async prepareBatch(req) {
      if (!online()) return solo.prepareBatch(req);
      return { ...(await prepareBatch(teamQueue, req)), place: 'team' };
    },
    runBatch: (job, place, signal) => (place === 'local' ? solo.runBatch(job, place, signal) : runBatch(teamRunner, job, signal)),
    onEvent(listener) {
      const fromTeam = (event: JobEvent) => listener({ ...event, job: tagged(event.job, 'team') });
      const offLocal = solo.onEvent(listener);
      teamRunner.on('event', fromTeam);
      return () => {
        offLocal();
        teamRunner.off('event', fromTeam);
      };
    },
  };
}

export async function openTeamState(options: TeamStateOptions): Promise<TeamState> {
  const o = resolveTeamOptions(options.redis);
  const prefix = teamPrefix(o.team);
  const work = options.workConcurrency ?? TEAM_STATE_DEFAULTS.workConcurrency;

  // The cache connection decides the team status; it fails fast so translation never waits on it.
  const cacheClient = new Redis(o.url, redisOptions(o, 'cache'));
  cacheClient.on('error', () => undefined);
  const link = new TeamLink(cacheClient, o.url);
  void cacheClient.connect().catch(() => undefined);
  await link.waitOnline(options.connectTimeoutMs ?? TEAM_STATE_DEFAULTS.connectTimeoutMs);
  if (link.info().lastErrorCode === 'REDIS_AUTH') {
    cacheClient.disconnect();
    throw new ParlaError('REDIS_AUTH', link.info().lastError as string);
  }
  if (link.status === 'online') {
    // A database the server lacks would leave every key on database 0 (see checkDatabase).
    await checkDatabase(cacheClient, o.url).catch((error: unknown) => {
      cacheClient.disconnect();
      throw error;
    });
  }

  // Queue connections wait for Redis (BullMQ needs that); they connect in the background.
  const queueClient = trackDuplicates(new Redis(o.url, { ...redisOptions(o, 'queue'), lazyConnect: false }));
  queueClient.on('error', () => undefined);

  // Local state with the team's stores in front: one translation pipeline, one history, and the
  // SQLite queue for batches submitted while the team is away.
  const local = openLocalState({
    dataDir: options.dataDir,
    openEngine: options.openEngine,
    ...(options.cache ? { cache: options.cache } : {}),
    front: ({ cache: l1, memory, author }) => {
      const cache = new TieredCache({ local: l1, remote: new RedisCache({ client: cacheClient, prefix, ownsClient: true, ...options.cache }), link });
      // The team's memory, with this member's copy in parla.db for when Redis is away.
      const tiered = new TieredMemory({
        local: memory,
        remote: new RedisMemory({ client: cacheClient, prefix, author }),
        bulk: new RedisMemory({ client: queueClient, prefix, author }),
        link,
        team: o.team,
      });
      return {
        cache,
        // The team's one glossary: every member and worker enforces it. Its writes (a 100,000-term
        // import) wait for Redis like the queue's; translation does not wait on its lookups.
        glossary: new RedisGlossary({ client: queueClient, prefix }),
        glossaryReachable: () => link.status === 'online',
        memory: tiered,
        async close() {
          await cache.close();
          await within(2000, tiered.close());
        },
      };
    },
  });
  const teamQueue = new RedisQueue({ client: queueClient, prefix });
  const chunks: Queue<ChunkData, ChunkResult> = openChunkQueue(queueClient, prefix);
  // QueueEvents reads with blocking calls on a duplicate of this client that it makes itself.
  const events: QueueEvents = openChunkEvents(queueClient, prefix);
  events.on('error', () => undefined);
  chunks.on('error', () => undefined);
  const teamRunner = new TeamRunner({
    queue: teamQueue, chunks, events, history: local.history, sourceFor: sourceForJob,
    ...options.chunks,
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    ...(options.reconcileMs !== undefined ? { reconcileMs: options.reconcileMs } : {}),
  });

  // This app helps with the team's chunks once Redis is reachable.
  let worker: Promise<TeamWorker | undefined> | undefined;
  const startWorker = () => {
    if (work <= 0 || worker) return;
    worker = TeamWorker.start({
      ...options.redis, ...options.worker, openEngine: () => local.engine(), dataDir: options.dataDir, concurrency: work,
    }).catch(() => {
      worker = undefined;
      return undefined;
    });
  };
  if (link.status === 'online') startWorker();
  link.on('status', (info) => {
    if (info.status === 'online') startWorker();
  });

  return {
    translator: local.translator,
    local,
    teamQueue,
    teamRunner,
    teamStatus: () => link.status,
    statusInfo: () => link.info(),
    desk: teamDesk(local, teamQueue, teamRunner, () => link.status === 'online'),
    async close() {
      // With the team away there is no chunk to finish or hand back: do not wait for one.
      await (await worker)?.close(link.status === 'online' ? 5000 : 0);
      await within(1000, events.close());
      await within(1000, chunks.close());
      queueClient.dropDuplicates();
      queueClient.disconnect();
      await local.close();
    },
  };
}
