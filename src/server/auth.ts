// Bearer-token auth. The browser UI's first load carries `?token=`; the server answers with an
// HttpOnly SameSite=Strict cookie and a redirect that drops the token from the address bar, so
// later fetches and EventSources authenticate by cookie. A Host check blocks DNS rebinding when
// bound to loopback; an Origin / Sec-Fetch-Site check refuses requests another site's page makes
// from the user's browser, where the cookie would otherwise ride along.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ParlaError } from '../shared/errors.js';

export const TOKEN_COOKIE = 'parla_token';
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host);
}

/** Compared in constant time. */
export function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(header: string | undefined): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

export function queryToken(request: FastifyRequest): string | undefined {
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.token === 'string' ? query.token : undefined;
}

/** The token a request presents, from the header or else the cookie (a URL is no place for it). */
export function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return cookieToken(request.headers.cookie);
}

/** Refuses a missing or wrong token (compared in constant time). */
export function checkToken(given: string | undefined, token: string): void {
  if (!given) throw new ParlaError('UNAUTHORIZED', 'missing token: send "Authorization: Bearer <token>" (printed by `parla serve`)');
  if (!sameToken(given, token)) throw new ParlaError('UNAUTHORIZED', 'wrong token: use the one `parla serve` printed');
}

export function checkHost(request: FastifyRequest): void {
  const host = (request.headers.host ?? '').replace(/:\d+$/, '');
  if (!isLoopback(host)) throw new ParlaError('UNAUTHORIZED', `host "${host}" is not this machine; open the UI at 127.0.0.1`);
}

// `none` is a typed URL or a bookmark. A request with neither header is curl, a script or the
// CLI, judged by its token alone (a browser always sends one of them when it writes, and no
// page can read a cross-origin answer). `same-site` is refused: another port on this machine,
// perhaps another program's page, is the same site but another origin, and gets the cookie.
const FETCH_SITES_ALLOWED = new Set(['same-origin', 'none']);

/** Refuses a request a browser made for a page of another origin, token or cookie or not. */
export function checkSameOrigin(request: FastifyRequest): void {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && !FETCH_SITES_ALLOWED.has(String(site))) {
    throw new ParlaError('FORBIDDEN', `refused a ${String(site)} request: only pages served by this Parla may call its API`);
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${request.headers.host ?? ''}`) {
    throw new ParlaError('FORBIDDEN', `refused a request from ${origin}: only pages served by this Parla may call its API`);
  }
}

export function setTokenCookie(reply: FastifyReply, token: string): void {
  void reply.header('set-cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
}
