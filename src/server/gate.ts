// The one gate in front of every route. Deny by default: a route answers without the token only
// when it declares `config: { public: true }` (the health check, the UI's files). The decision
// reads the route the router matched (request.routeOptions), never the raw URL, so no spelling
// of a path (percent-encoded, upper case, doubled slashes, dot segments) reaches a handler the
// gate did not judge; requests the router matches to nothing are gated too.
import { posix } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ParlaError } from '../shared/errors.js';
import { checkHost, checkSameOrigin, checkToken, presentedToken } from './auth.js';
import type { ClientKeys } from './compat/client-keys.js';
import { readMultipartBody } from './compat/multipart-body.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answer without the token. Only the health check and the UI's files say so. */
    public?: boolean;
    /**
     * Where a compatible API's clients put the token: DeepL's `Authorization: DeepL-Auth-Key`
     * header, LibreTranslate's `api_key` field (in the body, so judged once it is parsed). Such
     * a route also takes a named client key (docs/compat.md); every other route only the token.
     */
    auth?: 'deepl' | 'libre';
  }
}

export interface GateOptions {
  token: string;
  /** Bound to loopback: refuse Host headers naming another machine (DNS rebinding). */
  loopback: boolean;
  /** The compatible APIs' named client keys: accepted on their routes only. */
  keys: ClientKeys;
  /** Origins (browser extensions, web apps) the user lets call the compatible APIs cross-origin. */
  allowedOrigins: () => readonly string[];
}

/** What a request must show to reach a non-public route: the token, from a same-origin page. */
export function authorize(request: FastifyRequest, token: string): void {
  // A token in a URL lands in logs, history and Referer headers; the UI trades it for a cookie
  // on its first page load, and every other client sends the header.
  if (Object.hasOwn(request.query ?? {}, 'token')) {
    throw new ParlaError('UNAUTHORIZED', 'send the token as "Authorization: Bearer <token>", not in the URL');
  }
  checkToken(presentedToken(request), token);
  checkSameOrigin(request);
}

/** The key a compatible API's client presents, from where that API's clients put it. */
function compatKey(request: FastifyRequest, auth: 'deepl' | 'libre', crossOrigin: boolean, fields?: Record<string, string>): string | undefined {
  let key: unknown;
  if (auth === 'deepl') {
    // DeepL's clients send `Authorization: DeepL-Auth-Key <key>`.
    const header = request.headers.authorization ?? '';
    if (header.startsWith('DeepL-Auth-Key ')) key = header.slice(15).trim();
  } else {
    // LibreTranslate's send `api_key` in the JSON or form body (or the query string).
    const field = (source: unknown) => (source && typeof source === 'object' ? (source as Record<string, unknown>).api_key : undefined);
    key = field(fields ?? request.body) ?? field(request.query);
  }
  if (typeof key === 'string' && key) return key;
  // A page of an allowed origin names its key: the UI's cookie never rides along cross-origin.
  return crossOrigin ? undefined : presentedToken(request);
}

/**
 * A compatible API's request: the server's token or a client key, from this server's pages, a
 * non-browser client, or an origin the user allowed (whose answers then carry CORS headers).
 */
function authorizeCompat(request: FastifyRequest, auth: 'deepl' | 'libre', token: string, keys: ClientKeys, crossOrigin: boolean, fields?: Record<string, string>): void {
  const key = compatKey(request, auth, crossOrigin, fields);
  if (!(key && key !== token && keys.admit(request, key))) checkToken(key, token);
  if (!crossOrigin) checkSameOrigin(request);
}

/** CORS for an allowed origin: the answer names it (and varies by it). */
function allowOrigin(reply: FastifyReply, origin: string): void {
  void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
}

export function installGate(app: FastifyInstance, { token, loopback, keys, allowedOrigins }: GateOptions): void {
  const crossOrigin = new WeakSet<FastifyRequest>();
  /** Whether the request comes from an origin the user allowed, for a compatible API's path. */
  const allowedCompat = (request: FastifyRequest): string | undefined => {
    const origin = request.headers.origin;
    if (!origin || !namesCompatPath(request.url)) return undefined;
    return allowedOrigins().includes(origin) ? origin : undefined;
  };
  app.addHook('onRequest', async (request, reply) => {
    if (loopback) checkHost(request);
    const { public: open, auth } = request.routeOptions.config;
    const origin = allowedCompat(request);
    if (origin !== undefined) {
      // A preflight carries no key: it learns only that this origin may send one.
      if (request.method === 'OPTIONS') {
        allowOrigin(reply, origin);
        return reply
          .status(204)
          .header('access-control-allow-methods', 'GET, POST, DELETE')
          .header('access-control-allow-headers', 'Authorization, Content-Type, Accept')
          .header('access-control-max-age', '600')
          .send();
      }
      if (auth !== undefined) {
        allowOrigin(reply, origin);
        crossOrigin.add(request);
      }
    }
    if (open === true || auth === 'libre') return; // libre: judged in preHandler, once the body is read
    if (auth === 'deepl') authorizeCompat(request, auth, token, keys, crossOrigin.has(request));
    else authorize(request, token);
  });
  app.addHook('preHandler', async (request) => {
    const { auth } = request.routeOptions.config;
    if (auth !== 'libre') return;
    // A file upload's key is one of its multipart fields: read them (bounded) before judging.
    const fields = request.isMultipart() ? await readMultipartBody(request) : undefined;
    authorizeCompat(request, auth, token, keys, crossOrigin.has(request), fields);
  });
}

/**
 * The path as any router, proxy or file system might read it: percent-decoding repeated until
 * it settles, `\` taken as `/`, dot segments and repeated slashes resolved, lower case.
 */
export function canonicalPath(url: string): string {
  let path = url.split('?')[0] ?? '';
  for (let round = 0; round < 4; round++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      break;
    }
    if (decoded === path) break;
    path = decoded;
  }
  return posix.normalize('/' + path.replace(/\\/g, '/')).toLowerCase();
}

/** The compatible APIs' endpoints (DeepL's under /v2, LibreTranslate's at the root). */
const COMPAT_PREFIXES = ['/v2', '/translate', '/translate_file', '/download_file', '/languages', '/detect', '/frontend'];
/** Paths the UI never has: Parla's API, the metrics, and the compatible APIs' endpoints. */
const GATED_PREFIXES = ['/api', '/metrics', ...COMPAT_PREFIXES];

const under = (prefixes: readonly string[], url: string) => {
  const path = canonicalPath(url);
  return prefixes.some((prefix) => path === prefix || path.startsWith(prefix + '/'));
};

/** Whether a URL reaching the public UI catch-all in fact names a gated path, however spelled. */
export function namesGatedPath(url: string): boolean {
  return under(GATED_PREFIXES, url);
}

/** Whether a URL names a compatible API's path, however spelled. */
export function namesCompatPath(url: string): boolean {
  return under(COMPAT_PREFIXES, url);
}
