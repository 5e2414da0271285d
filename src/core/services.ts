// One place that opens Parla's services for a data dir; the CLI, `parla serve`, `parla worker`
// and the Electron main process all start here, so every door shares the same cache, history,
// queue and model host.
import type { Translator } from '../shared/translation.js';

export interface ServicesOptions {
  dataDir: string;
  /** Team mode when set (Redis cache + BullMQ queue). */
  redisUrl?: string;
  team?: string;
}

export interface Services {
  /** The engine as every door sees it (model host client; cache and history in front). */
  translator: Translator;
  close(): Promise<void>;
}
