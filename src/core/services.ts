// One place that opens Parla's services for a data dir; the CLI, `parla serve`, `parla worker`
// and the Electron main process all start here, so every door shares the same cache, history,
// queue and model host.
import type { Translator } from '../shared/translation.js';
import { HostClient } from './host/host-client.js';
import { HostTranslator } from './host/host-translator.js';
import { engineSettingsFromEnv } from './engine-settings-env.js';
import { ModelStore } from './models/model-store.js';

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

/** Opens the services for a data dir: today the model-host client; cache and history go in front later. */
export async function openServices(options: ServicesOptions): Promise<Services> {
  const settings = engineSettingsFromEnv();
  const client = new HostClient(options.dataDir, settings.requestTimeoutMs);
  const translator = new HostTranslator(client, new ModelStore(options.dataDir));
  return {
    translator,
    close: () => client.close(),
  };
}
