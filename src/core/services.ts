// One place that opens Parla's services for a data dir; the CLI, `parla serve`, `parla worker`
// and the Electron main process all start here, so every door shares the same cache, history,
// queue and model host.
import type { HistoryDoor } from '../shared/history.js';
import type { Translator } from '../shared/translation.js';
import { engineSettingsFromEnv } from './engine-settings-env.js';
import { HostClient } from './host/host-client.js';
import { HostTranslator } from './host/host-translator.js';
import { ProtectingTranslator } from './protect/protecting-translator.js';
import { REVIEW_DEFAULTS } from './review/flags.js';
import { ReviewingTranslator } from './review/reviewing-translator.js';
import { SettingsStore } from './api/settings-store.js';
import { ModelStore } from './models/model-store.js';
import type { openTeamState as OpenTeamState } from './team/team-state.js';
import { openLocalState, type EngineContext, type EngineTranslator, type LocalState } from './state.js';
import { localDesk, type JobDesk } from './jobs/job-desk.js';

export interface ServicesOptions {
  dataDir: string;
  /** Team mode when set (Redis cache + BullMQ queue). */
  redisUrl?: string;
  team?: string;
  /** Which door interactive translations are recorded under in history. */
  door?: Exclude<HistoryDoor, 'batch'>;
  /** Team chunks this process translates for the team at once (team mode); 0 = none. */
  teamWork?: number;
  /** `model` may name a folder (only the local CLI's `--model DIR`); see ModelStoreOptions. */
  modelFolders?: boolean;
  /** The engine behind the caches; the shared model host when left out (tests give a stand-in). */
  openEngine?: (context: EngineContext) => Promise<EngineTranslator>;
}

export interface Services {
  /** The engine as every door sees it: cache first, then the shared model host; records history. */
  translator: Translator;
  models: ModelStore;
  state: LocalState;
  /** Batch jobs: local ones, and the team's in team mode. */
  desk: JobDesk;
  close(): Promise<void>;
}

/**
 * The bare engine: route the request to a model and translate on the machine's shared model
 * host (started on first use), protected spans kept and the glossary of the request's pair (from
 * the state that opens it) enforced. No cache, no history: local state puts those in front.
 * Every door and team worker translates through here, so all get protection and the glossary.
 */
export function openEngine(
  options: Pick<ServicesOptions, 'dataDir'>,
  models = new ModelStore(options.dataDir),
  context?: EngineContext,
): EngineTranslator {
  const client = new HostClient(options.dataDir, engineSettingsFromEnv().requestTimeoutMs);
  // The review threshold is read per request, so a change in Settings applies at once in every door.
  const userSettings = new SettingsStore(options.dataDir);
  const thresholds = () => ({ ...REVIEW_DEFAULTS, minConfidence: userSettings.get().review.minConfidence });
  const host = new ReviewingTranslator(new ProtectingTranslator(new HostTranslator(client, models), context ? { glossary: context.glossary } : {}), thresholds);
  return {
    translate: (request, signal) => host.translate(request, signal),
    warm: (request) => host.warm(request),
    async resolveModel(request) {
      const model = await models.forRequest(request);
      return { id: model.id, revision: model.revision, from: model.from };
    },
    async sources(to) {
      const served = (await models.list()).filter((m) => !m.problem && m.from && m.to.includes(to)).map((m) => m.from);
      return [...new Set(served)];
    },
    close: () => client.close(),
  };
}

/** The engine state puts behind its caches: the one `options` gives (a stand-in), else the model host's. */
export function engineOf(
  options: Pick<ServicesOptions, 'dataDir' | 'openEngine'>,
  models?: ModelStore,
): (context: EngineContext) => Promise<EngineTranslator> {
  return options.openEngine ?? (async (context) => openEngine(options, models, context));
}

export async function openServices(options: ServicesOptions): Promise<Services> {
  const models = new ModelStore(options.dataDir, { folders: options.modelFolders ?? false });
  const engine = engineOf(options, models);
  if (options.redisUrl) {
    // Team mode: local SQLite cache, then the team's Redis cache, then the engine.
    // Loaded on demand: Redis and BullMQ cost every other command a noticeable start-up time.
    const { openTeamState }: { openTeamState: typeof OpenTeamState } = await import('./team/team-state.js');
    const team = await openTeamState({
      dataDir: options.dataDir,
      redis: { url: options.redisUrl, ...(options.team ? { team: options.team } : {}) },
      openEngine: engine,
      workConcurrency: options.teamWork ?? 0,
    });
    return { translator: team.local.doorTranslator(options.door ?? 'cli'), models, state: team.local, desk: team.desk, close: () => team.close() };
  }
  const state = openLocalState({ dataDir: options.dataDir, openEngine: engine });
  return {
    translator: state.doorTranslator(options.door ?? 'cli'),
    models,
    state,
    desk: localDesk(state),
    close: () => state.close(),
  };
}
