// An app's state in team mode. Translation goes through the local SQLite cache, then the team's
// Redis cache, then the engine. Batches submitted while the team is online run on the team
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
import { CachedTranslator } from '../cache/cached-translator.js';
import { DetectingTranslator } from '../detect/detecting-translator.js';
import { SqliteCache } from '../cache/sqlite.js';
import { openDb, stateDbPath } from '../db.js';
import { HistoryStore } from '../history/store.js';
import { prepareBatch, runBatch } from '../jobs/batch.js';
import { localDesk, tagged, type JobDesk, type JobShelf } from '../jobs/job-desk.js';
import { JobRunner } from '../jobs/runner.js';
import { sourceForJob } from '../jobs/sources.js';
import { SqliteQueue } from '../queue/sqlite.js';
import { pairGlossary } from '../glossary/pair-glossary.js';
import { SqliteMemory } from '../memory/sqlite.js';
import { engineSources, glossaryVersion, memorySettings, routeChecker, type EngineContext, type EngineTranslator, type LocalState } from '../state.js';
import { openChunkEvents, openChunkQueue, type ChunkData, type ChunkPolicy, type ChunkResult } from './chunks.js';
import { checkDatabase, redisOptions, within, resolveTeamOptions, teamPrefix, trackDuplicates, type TeamOptions } from './connection.js';
import { engineIdentity } from './engine-identity.js';
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

  const db = openDb(stateDbPath(options.dataDir));
  const l1 = new SqliteCache({ db, ...options.cache });
  const history = new HistoryStore(db);
  const cache = new TieredCache({
    local: l1,
    remote: new RedisCache({ client: cacheClient, prefix, ownsClient: true, ...options.cache }),
    link,
  });
  // Queue connections wait for Redis (BullMQ needs that); they connect in the background.
  const queueClient = trackDuplicates(new Redis(o.url, { ...redisOptions(o, 'queue'), lazyConnect: false }));
  queueClient.on('error', () => undefined);

  // The team's one glossary: every member and worker enforces it. Its writes (a 100,000-term
  // import) wait for Redis like the queue's; translation does not wait on its lookups (pairGlossary).
  const glossaryStore = new RedisGlossary({ client: queueClient, prefix });
  let engine: Promise<EngineTranslator> | undefined;
  const getEngine = () => (engine ??= options.openEngine({ glossary }));
  const resolveModel = engineIdentity(getEngine);
  const glossary = pairGlossary(glossaryStore, async (req) => (await resolveModel(req)).from, { reachable: () => link.status === 'online' });
  // The team's memory, with this member's copy in parla.db for when Redis is away.
  const { author, threshold } = memorySettings(options.dataDir);
  const memoryStore = new TieredMemory({
    local: new SqliteMemory({ db, author }),
    remote: new RedisMemory({ client: cacheClient, prefix, author }),
    bulk: new RedisMemory({ client: queueClient, prefix, author }),
    link,
    team: o.team,
  });
  const keyed = { resolveModel, glossaryVersion: glossaryVersion(glossary), memory: { store: memoryStore, glossary, threshold } };
  const lazy: Translator = { translate: async (req, signal) => (await getEngine()).translate(req, signal) };
  const sources = engineSources(getEngine);
  const translator = new DetectingTranslator(new CachedTranslator(lazy, cache, keyed), sources);

  const sqliteQueue = new SqliteQueue({ db });
  const localRunner = new JobRunner({ queue: sqliteQueue, translator, history, sourceFor: sourceForJob });
  const local: LocalState = {
    db, cache: l1, history, glossary: glossaryStore, memory: memoryStore, queue: sqliteQueue, runner: localRunner, translator,
    doorTranslator: (door) => new DetectingTranslator(new CachedTranslator(lazy, cache, { ...keyed, history: { store: history, door } }), sources),
    checkRoutes: routeChecker(getEngine),
    close: async () => undefined,
  };
  const teamQueue = new RedisQueue({ client: queueClient, prefix });
  const chunks: Queue<ChunkData, ChunkResult> = openChunkQueue(queueClient, prefix);
  // QueueEvents reads with blocking calls on a duplicate of this client that it makes itself.
  const events: QueueEvents = openChunkEvents(queueClient, prefix);
  events.on('error', () => undefined);
  chunks.on('error', () => undefined);
  const teamRunner = new TeamRunner({
    queue: teamQueue, chunks, events, history, sourceFor: sourceForJob,
    ...options.chunks,
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    ...(options.reconcileMs !== undefined ? { reconcileMs: options.reconcileMs } : {}),
  });

  // This app helps with the team's chunks once Redis is reachable.
  let worker: Promise<TeamWorker | undefined> | undefined;
  const startWorker = () => {
    if (work <= 0 || worker) return;
    worker = TeamWorker.start({
      ...options.redis, ...options.worker, openEngine: getEngine, dataDir: options.dataDir, concurrency: work,
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
    translator,
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
      await cache.close();
      await within(2000, memoryStore.close());
      if (engine) await (await engine).close?.();
      // Deferred writes (history entries, cache bookkeeping) go in before the file closes.
      history.flush();
      await l1.close();
      db.close();
    },
  };
}
