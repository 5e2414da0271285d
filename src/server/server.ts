// `parla serve`: the HTTP door to ParlaApi (docs/contracts.md "HTTP API") plus the browser UI.
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ParlaApi } from '../shared/api.js';
import { ParlaError } from '../shared/errors.js';
import { LIMITS } from '../shared/limits.js';
import { checkToken, isLoopback, queryToken, sameToken, setTokenCookie } from './auth.js';
import { sendTokenPage, wantsPage } from './token-page.js';
import { installErrorHandling, toErrorBody } from './errors.js';
import { authorize, installGate, namesGatedPath } from './gate.js';
import { Metrics } from './metrics.js';
import { glossaryRoutes } from './routes/glossary.js';
import { memoryRoutes } from './routes/memory.js';
import { jobRoutes } from './routes/jobs.js';
import { keyRoutes } from './routes/keys.js';
import { resourceRoutes } from './routes/resources.js';
import { translateRoutes } from './routes/translate.js';
import { sendRendererFile } from './static.js';
import { compatRoutes } from './compat/index.js';
import { ClientKeys } from './compat/client-keys.js';
import { memoryCompatStores, type CompatStores } from '../core/compat/stores.js';
import { redactedUrl } from './redact.js';
import { LISTEN_DEFAULTS } from './defaults.js';

export interface ServerOptions {
  api: ParlaApi;
  token: string;
  /** 127.0.0.1 unless told otherwise; on loopback, requests naming another Host are refused. */
  host?: string;
  port?: number;
  /** The built renderer (out/renderer); without it `/` explains how to build it. */
  rendererDir?: string;
  /** Heavy requests (translate, job creation) in flight before answering 429. */
  maxInFlight?: number;
  /** Largest JSON body and uploaded file, in bytes. */
  bodyLimit?: number;
  fileLimit?: number;
  /** Fastify's request log: on (to stdout), off, or to a stream. Keys and tokens never appear in it. */
  logger?: boolean | { stream: NodeJS.WritableStream };
  /** The compatible APIs' client keys and DeepL glossary records (the data dir's; default: in memory). */
  compat?: CompatStores;
}

export const SERVER_DEFAULTS = {
  ...LISTEN_DEFAULTS,
  maxInFlight: 256,
  bodyLimit: LIMITS.jsonBodyBytes,
  fileLimit: LIMITS.fileBytes,
} as const;

/** A route as registered: the gate test walks every one of them. */
export interface RouteInfo {
  method: string;
  url: string;
  public: boolean;
  /** A compatible API's route (DeepL, LibreTranslate): its own key field and error shape. */
  auth?: 'deepl' | 'libre';
}

export interface ParlaServer {
  app: FastifyInstance;
  /** Every route the router holds (HEAD twins included), complete once the server is ready. */
  readonly routes: readonly RouteInfo[];
  /** Starts listening; resolves to the base URL and the UI URL with its token. */
  listen(): Promise<{ url: string; uiUrl: string }>;
  close(): Promise<void>;
}

/**
 * Fastify's logger with the request line's URL redacted: a LibreTranslate client may send its
 * `api_key` in the query string, and a browser's first load carries `?token=`.
 */
function loggerOptions(logger: NonNullable<ServerOptions['logger']>) {
  if (logger === false) return false;
  const serializers = {
    req: (request: { method: string; url: string; hostname?: string; ip?: string }) => ({ method: request.method, url: redactedUrl(request.url), hostname: request.hostname, remoteAddress: request.ip }),
  };
  return logger === true ? { serializers } : { serializers, stream: logger.stream };
}

export function createServer(options: ServerOptions): ParlaServer {
  const o = { ...SERVER_DEFAULTS, ...options };
  if (o.token.length < 16) throw new ParlaError('BAD_INPUT', 'the server token must be at least 16 characters');
  const app = Fastify({ logger: loggerOptions(o.logger ?? false), bodyLimit: o.bodyLimit, forceCloseConnections: true });
  const compat = o.compat ?? memoryCompatStores();
  const keys = new ClientKeys(compat.keys);
  const metrics = new Metrics();
  let inFlight = 0;
  const limit = async <T>(work: () => Promise<T>): Promise<T> => {
    if (inFlight >= o.maxInFlight) throw new ParlaError('RATE_LIMITED', `more than ${o.maxInFlight} requests in flight; retry shortly`);
    inFlight++;
    try {
      return await work();
    } finally {
      inFlight--;
    }
  };

  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, public: route.config?.public === true, ...(route.config?.auth ? { auth: route.config.auth } : {}) });
  });
  installErrorHandling(app);
  void app.register(multipart, { limits: { fileSize: o.fileLimit, files: 1, fields: 32 }, throwFileSizeLimit: true });

  const started = new WeakMap<object, bigint>();
  app.addHook('onRequest', async (request) => {
    started.set(request, process.hrtime.bigint());
  });
  installGate(app, { token: o.token, loopback: isLoopback(o.host), keys, allowedOrigins: () => compat.allowedOrigins() });
  // Server-Timing: how long the server itself spent on the request (browsers' devtools show it;
  // bench:api separates it from the time a request waits in the machine's network stack).
  app.addHook('onSend', async (request, reply) => {
    const t0 = started.get(request);
    if (t0 !== undefined) void reply.header('server-timing', `app;dur=${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(3)}`);
  });
  app.addHook('onResponse', async (request, reply) => {
    const t0 = started.get(request);
    if (t0 === undefined) return;
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, Number(process.hrtime.bigint() - t0) / 1e9);
  });

  void app.register(async (scope) => {
    const ctx = { api: o.api, metrics, limit };
    translateRoutes(scope, ctx);
    jobRoutes(scope, ctx);
    resourceRoutes(scope, ctx);
    glossaryRoutes(scope, ctx);
    keyRoutes(scope, compat.keys);
    memoryRoutes(scope, ctx);
  });
  // DeepL- and LibreTranslate-compatible APIs, in their own scope (they also read form bodies).
  void app.register(async (scope) => compatRoutes(scope, { api: o.api, metrics, limit }, { keys, glossaries: compat.glossaries }));

  app.get('/healthz', { config: { public: true } }, async () => {
    const health = await o.api.health().catch((error: unknown) => ({ ok: false, error: toErrorBody(error).body.error }));
    return health;
  });

  app.get('/metrics', async (_request, reply) =>
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(metrics.render(await o.api.listJobs())),
  );

  // The UI: `/?token=…` trades the token for a cookie and drops it from the address bar. Any
  // other spelling of an API or metrics path lands here too: it gets the gate's answer, then 404.
  app.get('/*', { config: { public: true } }, async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (namesGatedPath(path)) {
      authorize(request, o.token);
      throw new ParlaError('NOT_FOUND', `no route ${request.method} ${path}`);
    }
    const token = queryToken(request);
    if (token !== undefined) {
      // A person who opened a wrong link gets a page that says how to find the right one.
      if (wantsPage(request.headers.accept) && !sameToken(token, o.token)) return sendTokenPage(reply);
      checkToken(token, o.token);
      setTokenCookie(reply, o.token);
      // One leading slash: `//host/?token=…` must not redirect off this server.
      return reply.redirect('/' + path.replace(/^[/\\]+/, ''), 302);
    }
    return sendRendererFile(reply, o.rendererDir, path === '/' ? '/index.html' : path);
  });

  return {
    app,
    routes,
    async listen() {
      await app.listen({ host: o.host, port: o.port });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : o.port;
      const host = o.host.includes(':') ? `[${o.host}]` : o.host;
      const url = `http://${host}:${port}`;
      return { url, uiUrl: `${url}/?token=${encodeURIComponent(o.token)}` };
    },
    close: () => app.close(),
  };
}
