// The one gate in front of every route. Deny by default: a route answers without the token only
// when it declares `config: { public: true }` (the health check, the UI's files). The decision
// reads the route the router matched (request.routeOptions), never the raw URL, so no spelling
// of a path (percent-encoded, upper case, doubled slashes, dot segments) reaches a handler the
// gate did not judge; requests the router matches to nothing are gated too.
import { posix } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParlaError } from '../shared/errors.js';
import { checkHost, checkSameOrigin, checkToken, presentedToken } from './auth.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answer without the token. Only the health check and the UI's files say so. */
    public?: boolean;
    /**
     * Where a compatible API's clients put the token: DeepL's `Authorization: DeepL-Auth-Key`
     * header, LibreTranslate's `api_key` field (in the body, so judged once it is parsed).
     */
    auth?: 'deepl' | 'libre';
  }
}

export interface GateOptions {
  token: string;
  /** Bound to loopback: refuse Host headers naming another machine (DNS rebinding). */
  loopback: boolean;
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

/** DeepL's clients send `Authorization: DeepL-Auth-Key <key>`; the key is Parla's token. */
function authorizeDeepL(request: FastifyRequest, token: string): void {
  const header = request.headers.authorization ?? '';
  checkToken(header.startsWith('DeepL-Auth-Key ') ? header.slice(15).trim() : presentedToken(request), token);
  checkSameOrigin(request);
}

/** LibreTranslate's clients send `api_key` in the JSON or form body (or the query string). */
function authorizeLibre(request: FastifyRequest, token: string): void {
  const field = (source: unknown) => (source && typeof source === 'object' ? (source as Record<string, unknown>).api_key : undefined);
  const key = field(request.body) ?? field(request.query);
  checkToken(typeof key === 'string' && key ? key : presentedToken(request), token);
  checkSameOrigin(request);
}

export function installGate(app: FastifyInstance, { token, loopback }: GateOptions): void {
  app.addHook('onRequest', async (request) => {
    if (loopback) checkHost(request);
    const { public: open, auth } = request.routeOptions.config;
    if (open === true || auth === 'libre') return; // libre: judged in preHandler, once the body is read
    if (auth === 'deepl') authorizeDeepL(request, token);
    else authorize(request, token);
  });
  app.addHook('preHandler', async (request) => {
    if (request.routeOptions.config.auth === 'libre') authorizeLibre(request, token);
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

/** Paths the UI never has: Parla's API, the metrics, and the compatible APIs' endpoints. */
const GATED_PREFIXES = ['/api', '/metrics', '/v2', '/translate', '/translate_file', '/languages', '/detect', '/frontend'];

/** Whether a URL reaching the public UI catch-all in fact names a gated path, however spelled. */
export function namesGatedPath(url: string): boolean {
  const path = canonicalPath(url);
  return GATED_PREFIXES.some((prefix) => path === prefix || path.startsWith(prefix + '/'));
}
