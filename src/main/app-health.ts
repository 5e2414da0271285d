// The app's health: the core's (the data dir's host, whoever started it) with what only the app
// knows, its own utilityProcess host starting, or given up after too many crashes.
import type { Health } from '../shared/settings.js';
import type { HostProcessState } from './model-host.js';

export function appHealth(core: Health, own: HostProcessState): Health {
  // A host answering the socket serves the app, its own or the CLI's (`served-elsewhere`).
  if (core.modelHost === 'ready') return core;
  if (own === 'starting' || own === 'crashed') return { ...core, ok: own !== 'crashed' && core.ok, modelHost: own };
  return core;
}
