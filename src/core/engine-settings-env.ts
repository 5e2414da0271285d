// Engine settings for this process: defaults plus `PARLA_ENGINE_SETTINGS` (JSON). The same
// variable reaches the host it spawns, so client and host agree.
import { ParlaError } from '../shared/errors.js';
import { resolveEngineSettings, type EngineSettings } from '../shared/engine-settings.js';

export function engineSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): EngineSettings {
  const raw = env.PARLA_ENGINE_SETTINGS;
  try {
    return resolveEngineSettings(raw ? (JSON.parse(raw) as Record<string, unknown>) : {});
  } catch (e) {
    throw new ParlaError('BAD_INPUT', `PARLA_ENGINE_SETTINGS: ${(e as Error).message}`);
  }
}
