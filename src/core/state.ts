// Local state for one data dir: cache, history and queue over one SQLite file, and a job runner
// whose translator puts the cache in front of the engine. The engine is opened lazily, so work
// that the cache answers entirely never loads a model. Team mode is this state with the team's
// stores in front (`front`): one translation pipeline (`translationPipeline`) for every door, the
// app in team mode and `parla worker`.
import type { HistoryDoor } from '../shared/history.js';
import { AUTO_SOURCE, type TranslateRequest, type Translation, type Translator } from '../shared/translation.js';
import { ParlaError } from '../shared/errors.js';
import { CachedTranslator, type CachedTranslatorOptions, type ModelIdentity } from './cache/cached-translator.js';
import { DetectingTranslator, type SourcesFor } from './detect/detecting-translator.js';
import type { GlossaryBackend } from './glossary/backend.js';
import { pairGlossary, type PairGlossary } from './glossary/pair-glossary.js';
import { SqliteGlossary } from './glossary/sqlite.js';
import type { CacheBackend, CacheLimits } from './cache/backend.js';
import { SqliteCache } from './cache/sqlite.js';
import { openDb, stateDbPath, type Db } from './db.js';
import { HistoryStore } from './history/store.js';
import { JobRunner, type JobRunnerOptions } from './jobs/runner.js';
import { sourceForJob } from './jobs/sources.js';
import { SqliteQueue } from './queue/sqlite.js';
import type { MemoryBackend } from './memory/backend.js';
import type { TranslationMemory } from './memory/memory-answers.js';
import { SqliteMemory } from './memory/sqlite.js';
import { memoryAuthor, SettingsStore } from './api/settings-store.js';

/** The engine as local state needs it; `resolveModel` keys the cache by model revision. */
export type EngineTranslator = Translator & {
  close?(): Promise<void> | void;
  resolveModel?(request: TranslateRequest): Promise<ModelIdentity>;
  /** The source languages of the healthy installed models that translate into `to`. */
  sources?(to: string): Promise<string[]>;
};

/**
 * The model (and revision) a request is keyed by in every cache: the engine's own resolveModel
 * when it has one, otherwise the requested model or the routed pair. Every member and worker of a
 * team keys the same way, or the team cache never hits; keys never depend on whether the engine
 * happens to be open yet.
 */
export function engineIdentity(engine: () => Promise<EngineTranslator>): (request: TranslateRequest) => Promise<ModelIdentity> {
  return async (request) => {
    const e = await engine();
    return e.resolveModel ? e.resolveModel(request) : { id: request.model ?? `pair:${request.from ?? 'auto'}-${request.to}`, revision: 'unknown' };
  };
}

/** DetectingTranslator's SourcesFor over an engine (undefined for a stand-in engine without routing). */
export function engineSources(getEngine: () => Promise<EngineTranslator>): SourcesFor {
  return async (to) => (await getEngine()).sources?.(to);
}

/** LocalState.checkRoutes over an engine: each target routed as a translation would be. */
export function routeChecker(getEngine: () => Promise<EngineTranslator>): LocalState['checkRoutes'] {
  return async ({ to, from, model }) => {
    const engine = await getEngine();
    if (!engine.resolveModel) return; // a stand-in engine without routing serves every pair
    if (from === AUTO_SOURCE) {
      // Detected sources: the job can start when some installed model translates into each target.
      for (const lang of to) {
        if (engine.sources && (await engine.sources(lang)).length === 0) {
          throw new ParlaError('UNKNOWN_PAIR', `no installed model translates into ${lang}; run: parla models download Xenova/opus-mt-en-${lang}`);
        }
      }
      return;
    }
    for (const lang of to) await engine.resolveModel({ texts: [], to: lang, ...(from ? { from } : {}), ...(model ? { model } : {}) });
  };
}

/** What state hands the engine it opens: the glossary of each request's pair, to enforce. */
export interface EngineContext {
  glossary: PairGlossary;
}

/** The stores translation reads and writes, in front of the engine. */
export interface PipelineStores {
  cache: CacheBackend;
  /** The glossary enforced (and keyed by) in every translation. */
  glossary: GlossaryBackend;
  /** The translation memory, answering before the cache. */
  memory: MemoryBackend;
  /** Similarity from which memory suggestions are shown. */
  threshold: () => number;
  /** False while the glossary's store is known to be away (a team's Redis): lookups are skipped. */
  glossaryReachable?: () => boolean;
}

/** What team mode puts in front of the data dir's stores (built from them). */
export interface StateFront extends Omit<PipelineStores, 'threshold'> {
  /** Closes what the front opened; local state then closes its own. */
  close(): Promise<void>;
}

export interface LocalStateOptions {
  dataDir: string;
  openEngine: (context: EngineContext) => Promise<EngineTranslator>;
  cache?: CacheLimits;
  runner?: Partial<Omit<JobRunnerOptions, 'queue' | 'translator' | 'sourceFor' | 'history'>>;
  /**
   * Team mode: the stores to translate with instead of the data dir's, made from them (the
   * tiered cache and memory put the local ones first; the glossary is the team's).
   */
  front?: (local: { db: Db; cache: SqliteCache; memory: SqliteMemory; author: () => string }) => StateFront;
}

/** Opens the engine on first use and reuses it (the engine itself loads model weights lazily). */
class LazyEngine implements Translator {
  private engine: Promise<EngineTranslator> | undefined;
  constructor(private readonly open: () => Promise<EngineTranslator>) {}

  get(): Promise<EngineTranslator> {
    this.engine ??= this.open();
    return this.engine;
  }
  get opened(): boolean {
    return this.engine !== undefined;
  }
  async translate(request: TranslateRequest, signal?: AbortSignal): Promise<Translation[]> {
    return (await this.get()).translate(request, signal);
  }
  async warm(request: Omit<TranslateRequest, 'texts'>): Promise<void> {
    await (await this.get()).warm?.(request);
  }
}

export interface LocalState {
  db: Db;
  /** The data dir's cache (in team mode, the tier in front of the team's). */
  cache: SqliteCache;
  history: HistoryStore;
  /** The glossary every door edits and the engine enforces (the team's in team mode). */
  glossary: GlossaryBackend;
  /** The translation memory every door edits and consults first (the team's in team mode). */
  memory: MemoryBackend;
  queue: SqliteQueue;
  runner: JobRunner;
  /** Cache in front of the engine, without history (for batch jobs). */
  translator: Translator;
  /** Cache in front of the engine, recording each translation in history under `door`. */
  doorTranslator(door: Exclude<HistoryDoor, 'batch'>): Translator;
  /** The engine behind the caches, opened on first use (a team member's worker shares it). */
  engine(): Promise<EngineTranslator>;
  /**
   * Throws the engine's one-line UNKNOWN_PAIR (with its download hint) unless an installed model
   * serves each target: a job that can only fail is refused before it starts.
   */
  checkRoutes(request: { to: readonly string[]; from?: string; model?: string }): Promise<void>;
  close(): Promise<void>;
}

/**
 * The cache key's glossary part: the pair's version while it has entries. A pair without entries
 * keys as before any glossary existed, so adding a glossary to one pair leaves the others' hits.
 */
export function glossaryVersion(glossary: PairGlossary): (request: TranslateRequest) => Promise<string | undefined> {
  return async (request) => {
    const { version, entries } = await glossary(request);
    return entries.length > 0 ? version : undefined;
  };
}

/** Where memory entries get their author and suggestions their threshold: the data dir's settings. */
export function memorySettings(dataDir: string): { author: () => string; threshold: () => number } {
  const settings = new SettingsStore(dataDir);
  return { author: () => memoryAuthor(settings.get()), threshold: () => settings.get().memory.threshold };
}

export interface TranslationPipeline {
  /** Without history (batch jobs record one summary entry). */
  translator: Translator;
  /** Recording each translation in `history` under `door`. */
  doorTranslator(history: HistoryStore, door: Exclude<HistoryDoor, 'batch'>): Translator;
  /** The engine behind it all, opened on first use. */
  engine(): Promise<EngineTranslator>;
  checkRoutes: LocalState['checkRoutes'];
  /** Closes the engine if it was opened. */
  close(): Promise<void>;
}

/**
 * Translation as every door does it: source detection (`from: "auto"`), then the translation
 * memory, then the cache, then the engine (opened on first use), with the glossary of each
 * request's pair enforced and part of every key.
 */
export function translationPipeline(openEngine: LocalStateOptions['openEngine'], stores: PipelineStores): TranslationPipeline {
  // The glossary needs the routed model's source language, which needs the engine: the engine
  // only asks for the glossary while it translates, when it is open.
  const engine = new LazyEngine(() => openEngine({ glossary }));
  const resolveModel = engineIdentity(() => engine.get());
  const reachable = stores.glossaryReachable;
  const glossary = pairGlossary(stores.glossary, async (req) => (await resolveModel(req)).from, reachable ? { reachable } : {});
  const memory: TranslationMemory = { store: stores.memory, glossary, threshold: stores.threshold };
  const keyed = { resolveModel, glossaryVersion: glossaryVersion(glossary), memory };
  // `from: "auto"` is resolved in front of the memory and cache, which then key each text by its own model.
  const sources = engineSources(() => engine.get());
  const through = (history?: CachedTranslatorOptions['history']): Translator =>
    new DetectingTranslator(new CachedTranslator(engine, stores.cache, history ? { ...keyed, history } : keyed), sources);
  return {
    translator: through(),
    doorTranslator: (history, door) => through({ store: history, door }),
    engine: () => engine.get(),
    checkRoutes: routeChecker(() => engine.get()),
    async close() {
      if (engine.opened) await (await engine.get()).close?.();
    },
  };
}

export function openLocalState(options: LocalStateOptions): LocalState {
  const db = openDb(stateDbPath(options.dataDir));
  const l1 = new SqliteCache({ db, ...options.cache });
  const history = new HistoryStore(db);
  const queue = new SqliteQueue({ db });
  const { author, threshold } = memorySettings(options.dataDir);
  const localMemory = new SqliteMemory({ db, author });
  const front = options.front?.({ db, cache: l1, memory: localMemory, author }) ?? {
    cache: l1,
    glossary: new SqliteGlossary({ db }),
    memory: localMemory,
    close: async () => undefined,
  };
  const pipeline = translationPipeline(options.openEngine, { ...front, threshold });
  const runner = new JobRunner({ queue, translator: pipeline.translator, history, sourceFor: sourceForJob, ...options.runner });
  return {
    db,
    cache: l1,
    history,
    glossary: front.glossary,
    memory: front.memory,
    queue,
    runner,
    translator: pipeline.translator,
    doorTranslator: (door) => pipeline.doorTranslator(history, door),
    engine: pipeline.engine,
    checkRoutes: pipeline.checkRoutes,
    async close() {
      await front.close();
      await pipeline.close();
      // Deferred writes (history entries, cache bookkeeping) go in before the file closes.
      history.flush();
      await l1.close();
      db.close();
    },
  };
}
