// A real `parla serve` for a test: the real local API on a temp data dir (engine given by the
// test) behind the real server on a free port, closed after each test.
import { afterEach } from 'vitest';
import { openParlaApi, type LocalApi } from '../../src/core/api/local-api.js';
import type { EngineTranslator } from '../../src/core/state.js';
import { createServer, type ParlaServer } from '../../src/server/server.js';

export interface RunningServer {
  api: LocalApi;
  server: ParlaServer;
  url: string;
}

/** Call at the top of a test file or describe block; `start` opens one server per test. */
export function useApiServer(token: string): { start(dataDir: string, engine: () => Promise<EngineTranslator>): Promise<RunningServer> } {
  let running: RunningServer | undefined;
  afterEach(async () => {
    await running?.server.close();
    await running?.api.close();
    running = undefined;
  });
  return {
    async start(dataDir, engine) {
      const api = await openParlaApi({ dataDir, openEngine: engine });
      const server = createServer({ api, token, port: 0 });
      running = { api, server, url: '' };
      running.url = (await server.listen()).url;
      return running;
    },
  };
}
