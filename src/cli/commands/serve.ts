// `parla serve [--host 127.0.0.1] [--port 7717]`: the HTTP API and the browser UI over the same
// services as every other door. Prints the UI's URL with its token, then runs until a signal.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ParlaApi } from '../../shared/api.js';
import { ParlaError } from '../../shared/errors.js';
import { createServer, SERVER_DEFAULTS } from '../../server/server.js';
import { loadOrCreateToken } from '../../server/token.js';

/** What `serve` needs from the CLI dispatcher's context (a subset of its CliContext). */
export interface ServeContext {
  dataDir: string;
  /** The shared services as a ParlaApi; `close` stops them (model host, queue, databases). */
  openApi(): Promise<ParlaApi & { close(): Promise<void> }>;
  stdout: { write(line: string): unknown };
  stderr: { write(line: string): unknown };
}

/** The built renderer; electron-vite writes it to out/renderer (see README "Web UI"). */
export const RENDERER_DIR = fileURLToPath(new URL('../../../out/renderer', import.meta.url));

function parsePort(value: string | undefined): number {
  if (value === undefined) return SERVER_DEFAULTS.port;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ParlaError('BAD_INPUT', `--port must be 0-65535, not "${value}"`);
  return port;
}

export const serve = {
  name: 'serve',
  usage: 'parla serve [--host 127.0.0.1] [--port 7717]    HTTP API + web UI',
  async run(argv: string[], ctx: ServeContext): Promise<number> {
    let values: { host?: string; port?: string };
    try {
      ({ values } = parseArgs({ args: argv, options: { host: { type: 'string' }, port: { type: 'string' } }, strict: true, allowPositionals: false }));
    } catch (error) {
      throw new ParlaError('BAD_INPUT', `${(error as Error).message}; usage: ${serve.usage}`);
    }
    const host = values.host ?? SERVER_DEFAULTS.host;
    const port = parsePort(values.port);
    const token = await loadOrCreateToken(ctx.dataDir);
    const api = await ctx.openApi();
    const server = createServer({ api, token, host, port, rendererDir: RENDERER_DIR });
    const { uiUrl } = await server.listen();
    if (host !== SERVER_DEFAULTS.host && host !== 'localhost') {
      ctx.stderr.write(`parla serve: listening on ${host}; anyone who can reach it and has the token can use it\n`);
    }
    ctx.stdout.write(`${uiUrl}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    await api.close();
    return 0;
  },
};

export default serve;
