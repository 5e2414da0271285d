// Bearer-token auth. The browser UI's first load carries `?token=`; the server answers with an
// HttpOnly SameSite=Strict cookie and a redirect that drops the token from the address bar, so
// later fetches and EventSources authenticate by cookie. A Host check blocks DNS rebinding when
// bound to loopback.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ParlaError } from '../shared/errors.js';

export const TOKEN_COOKIE = 'parla_token';
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host);
}

function sameToken(given: string, expected: string): boolean {
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

/** The token a request presents, from the header, the query string or the cookie, in that order. */
export function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return queryToken(request) ?? cookieToken(request.headers.cookie);
}

export function checkToken(request: FastifyRequest, token: string): void {
  const given = presentedToken(request);
  if (!given) throw new ParlaError('UNAUTHORIZED', 'missing token: send "Authorization: Bearer <token>" (printed by `parla serve`)');
  if (!sameToken(given, token)) throw new ParlaError('UNAUTHORIZED', 'wrong token: use the one `parla serve` printed');
}

export function checkHost(request: FastifyRequest): void {
  const host = (request.headers.host ?? '').replace(/:\d+$/, '');
  if (!isLoopback(host)) throw new ParlaError('UNAUTHORIZED', `host "${host}" is not this machine; open the UI at 127.0.0.1`);
}

export function setTokenCookie(reply: FastifyReply, token: string): void {
  void reply.header('set-cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
}
