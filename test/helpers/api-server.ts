// A real `parla serve` for a test: the real local API on a temp data dir (engine given by the
// test) behind the real server on a free port, closed after each test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openParlaApi, type LocalApi } from '../../src/core/api/local-api.js';
import type { EngineTranslator } from '../../src/core/state.js';
import { createServer, type ParlaServer } from '../../src/server/server.js';
import { ensureBuilt, useShortHostSettings } from '../engine/host-helpers.js';

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

export interface ServedApi extends RunningServer {
  dataDir: string;
  close(): Promise<void>;
}

/**
 * A real `parla serve` with the bundled model (the host with short test settings) and the
 * compatible APIs, on a new temp data dir; `close` stops it and removes the dir.
 */
export async function serveWithModel(token: string, prefix: string): Promise<ServedApi> {
  ensureBuilt();
  useShortHostSettings();
  const dataDir = await mkdtemp(join(tmpdir(), prefix));
  const api = await openParlaApi({ dataDir, teamWork: 0 });
  const server = createServer({ api, token, port: 0, compat: api.compat });
  const { url } = await server.listen();
  return {
    api,
    server,
    url,
    dataDir,
    async close() {
      await server.close();
      await api.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
