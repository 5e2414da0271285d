// Where the desktop app gets its ParlaApi. The services (cache, history, queue, model host
// client) are built on other branches; at merge this returns core's ParlaApi for the data dir.
// Until then every call answers INTERNAL with a message that says so, and health reports the
// model host's state, so the window opens and explains itself.
import type { ParlaApi } from '../shared/api.js';
import { ParlaError } from '../shared/errors.js';
import type { Health } from '../shared/settings.js';

export function unwiredApi(health: () => Health): ParlaApi {
  const target = {
    health: async () => health(),
    subscribe: () => () => {},
  };
  return new Proxy(target, {
    get: (t, key) =>
      key in t ? t[key as keyof typeof t] : async () => Promise.reject(new ParlaError('INTERNAL', 'the desktop services are not wired in this build; use `parla serve`')),
  }) as unknown as ParlaApi;
}
