// `parla serve [--host 127.0.0.1] [--port 7717]`: the HTTP API and the browser UI over the same
// services as every other door. Prints the UI's URL with its token, then runs until a signal.
// The ParlaApi comes from the factory commands/index.ts passes in (services adapted to ParlaApi).
import { fileURLToPath } from 'node:url';
import type { CompatStores } from '../../core/compat/stores.js';
import type { ParlaApi } from '../../shared/api.js';
import { ParlaError } from '../../shared/errors.js';
import { LISTEN_DEFAULTS } from '../../server/defaults.js';
import type { createServer as CreateServer } from '../../server/server.js';
import { loadOrCreateToken } from '../../server/token.js';
import { defineCommand, type GlobalOptions, type LeafCommand } from '../registry.js';

/** Opens the shared services for the data dir as a ParlaApi; `close` stops them. */
export type OpenApi = (global: GlobalOptions) => Promise<ParlaApi & { close(): Promise<void>; compat?: CompatStores }>;

/** The built renderer; electron-vite writes it to out/renderer and the server serves it at `/`. */
export const RENDERER_DIR = fileURLToPath(new URL('../../../out/renderer', import.meta.url));

function parsePort(value: string | undefined): number {
  if (value === undefined) return LISTEN_DEFAULTS.port;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ParlaError('BAD_INPUT', `--port must be 0-65535, not "${value}"`);
  return port;
}

/** Resolves when the process is asked to stop (Ctrl-C, SIGTERM). */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function createServeCommand(openApi: OpenApi, rendererDir = RENDERER_DIR): LeafCommand {
  return defineCommand({
    name: 'serve',
    usage: 'parla serve [--host 127.0.0.1] [--port 7717]',
    summary: 'HTTP API and web UI; prints the UI link with its token.',
    options: { host: { type: 'string' }, port: { type: 'string' } },
    async run({ global, values, positionals, stdout, stderr }) {
      if (positionals.length) throw new ParlaError('BAD_INPUT', `unexpected argument "${positionals[0]}" (usage: parla serve [--host 127.0.0.1] [--port 7717])`);
      const host = values.host ?? LISTEN_DEFAULTS.host;
      const port = parsePort(values.port);
      const token = await loadOrCreateToken(global.dataDir);
      const { createServer }: { createServer: typeof CreateServer } = await import('../../server/server.js');
      const api = await openApi(global);
      try {
        const server = createServer({ api, token, host, port, rendererDir, ...(api.compat ? { compat: api.compat } : {}) });
        const { uiUrl } = await server.listen();
        if (host !== LISTEN_DEFAULTS.host && host !== 'localhost') {
          stderr.write(`parla serve: listening on ${host}; anyone who can reach it and has the token can use it\n`);
        }
        stdout.write(`${uiUrl}\n`);
        await untilSignal();
        await server.close();
      } finally {
        await api.close();
      }
      return 0;
    },
  });
}
