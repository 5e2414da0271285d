// Local state for one data dir: cache, history and queue over one SQLite file, and a job runner
// whose translator puts the cache in front of the engine. The engine is opened lazily, so work
// that the cache answers entirely never loads a model.
import type { HistoryDoor } from '../shared/history.js';
import { AUTO_SOURCE, type TranslateRequest, type Translation, type Translator } from '../shared/translation.js';
import { ParlaError } from '../shared/errors.js';
import { CachedTranslator, type ModelIdentity } from './cache/cached-translator.js';
import { DetectingTranslator, type SourcesFor } from './detect/detecting-translator.js';
import type { GlossaryBackend } from './glossary/backend.js';
import { pairGlossary, type PairGlossary } from './glossary/pair-glossary.js';
import { SqliteGlossary } from './glossary/sqlite.js';
import type { CacheLimits } from './cache/backend.js';
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

export interface LocalStateOptions {
  dataDir: string;
  openEngine: (context: EngineContext) => Promise<EngineTranslator>;
  cache?: CacheLimits;
  runner?: Partial<Omit<JobRunnerOptions, 'queue' | 'translator' | 'sourceFor' | 'history'>>;
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

export function openLocalState(options: LocalStateOptions): LocalState {
  const db = openDb(stateDbPath(options.dataDir));
  const cache = new SqliteCache({ db, ...options.cache });
  const history = new HistoryStore(db);
  const queue = new SqliteQueue({ db });
  const glossaryStore = new SqliteGlossary({ db });
  const { author, threshold } = memorySettings(options.dataDir);
  const memoryStore = new SqliteMemory({ db, author });
  // The glossary needs the routed model's source language, which needs the engine: the engine
  // only asks for the glossary while it translates, when it is open.
  const engine = new LazyEngine(() => options.openEngine({ glossary }));
  // Keys must not depend on whether the engine happens to be open yet, so an engine without
  // resolveModel is always keyed by the requested model or routed pair.
  const resolveModel = async (req: TranslateRequest): Promise<ModelIdentity> => {
    const e = await engine.get();
    return e.resolveModel ? e.resolveModel(req) : { id: req.model ?? `pair:${req.from ?? 'auto'}-${req.to}`, revision: 'unknown' };
  };
  const glossary = pairGlossary(glossaryStore, async (req) => (await resolveModel(req)).from);
  const memory: TranslationMemory = { store: memoryStore, glossary, threshold };
  const keyed = { resolveModel, glossaryVersion: glossaryVersion(glossary), memory };
  // `from: "auto"` is resolved in front of the cache (and memory), which then key each text by its own model.
  const sources = engineSources(() => engine.get());
  const translator = new DetectingTranslator(new CachedTranslator(engine, cache, keyed), sources);
  const runner = new JobRunner({ queue, translator, history, sourceFor: sourceForJob, ...options.runner });
  return {
    db,
    cache,
    history,
    glossary: glossaryStore,
    memory: memoryStore,
    queue,
    runner,
    translator,
    doorTranslator: (door) => new DetectingTranslator(new CachedTranslator(engine, cache, { ...keyed, history: { store: history, door } }), sources),
    checkRoutes: routeChecker(() => engine.get()),
    async close() {
      if (engine.opened) await (await engine.get()).close?.();
      // Deferred writes (history entries, cache bookkeeping) go in before the file closes.
      history.flush();
      await cache.close();
      db.close();
    },
  };
}
