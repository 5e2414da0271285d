// One gate for every route (issue 10, item 1): every route `parla serve` registers (collected
// by its onRoute hook, not a hand list) is walked over a real socket with path spellings the
// router may decode or a proxy may normalise, and must answer 401 without the token and 403 to
// a cross-site browser request that carries it. Only routes that declare themselves public
// answer without the token; no refused request reaches ParlaApi.
import { request as httpRequest } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParlaApi } from '../../src/shared/api.js';
import { createServer, type ParlaServer, type RouteInfo } from '../../src/server/server.js';
import { createFakeApi, type FakeApi } from '../helpers/fake-api.js';

const TOKEN = 'gate-token-0123456789abcdef';
const BEARER = { authorization: `Bearer ${TOKEN}` };

interface Answer {
  status: number;
  type: string;
  body: string;
}

let fake: FakeApi;
let server: ParlaServer;
let uiDir: string;
let port: number;
let jobId: string;
/** Every ParlaApi call the server made, by method name. */
const calls: string[] = [];

/** The fake ParlaApi, recording each call, so a test can prove a refused request reached nothing. */
function recording(api: FakeApi): ParlaApi {
  return new Proxy(api, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        calls.push(key);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/**
 * One request with the path sent byte for byte (fetch and inject would normalise it). The body's
 * length is always sent: node does not frame a DELETE body by default, and the server would read
 * the stray bytes as a second request.
 */
function send(method: string, path: string, headers: Record<string, string> = {}, body?: string, type = 'application/json'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { ...headers, ...(body !== undefined ? { 'content-type': type, 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const type = String(res.headers['content-type'] ?? '');
      // An event stream never ends: its status and type are the answer.
      if (type.startsWith('text/event-stream')) {
        res.destroy();
        return resolve({ status: res.statusCode ?? 0, type, body: '' });
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type, body: text }));
      res.on('error', reject);
    });
    req.on('error', (e) => reject(new Error(`${method} ${path}: ${e.message}`)));
    // A request the server leaves open is an answer too: it must not hang the walk.
    req.setTimeout(15_000, () => {
      req.destroy();
      resolve({ status: 0, type: '', body: 'no answer within 15 s' });
    });
    req.end(body);
  });
}

/** A route's URL with its parameters filled so that, were the gate open, it would find data. */
function concrete(url: string): string {
  return url.replace(':id', jobId).replace(':action', 'cancel').replace(/\*$/, '');
}

const encodeAll = (s: string) => [...s].map((c) => (/[a-z]/i.test(c) ? `%${c.charCodeAt(0).toString(16)}` : c)).join('');
const encodeFirst = (s: string) => s.replace(/\/([a-z])/gi, (_, c: string) => `/%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The same path spelled every way a router, a proxy or a file system might read as that path. */
function spellings(path: string): string[] {
  const rest = path.slice(1);
  const [first = '', ...tail] = rest.split('/');
  return [
    path,
    encodeFirst(path),
    '/' + encodeAll(rest),
    path.toUpperCase(),
    '/' + first.charAt(0).toUpperCase() + first.slice(1) + (tail.length ? '/' + tail.join('/') : ''),
    '/' + path,
    path.replace(/\//g, '//'),
    path + '/',
    path + '//',
    '/.' + path,
    '/' + [first, '.', ...tail].join('/'),
    '/x/..' + path,
    '/x/%2e%2e' + path,
    '/%2e' + path,
    '/' + rest.replace(/\//g, '%2F'),
    '/' + rest.replace(/\//g, '%2f'),
    '/' + rest.replace(/\//g, '\\'),
    '/' + encodeAll(rest).replace(/\//g, '%2F'),
    '/' + encodeFirst(path).slice(1).replace(/%(..)/, '%25$1'),
    '/.//X/../' + encodeFirst(path).slice(1).toUpperCase().replace(/\//g, '//'),
    path + '?token=' + TOKEN,
    encodeFirst(path) + '?%74oken=' + TOKEN,
  ];
}

/** A body the route would act on if it were let through. */
function bodyFor(route: RouteInfo): string | undefined {
  if (route.method === 'GET' || route.method === 'HEAD') return undefined;
  if (route.url.endsWith('/translate') || route.url.endsWith('/jobs')) return JSON.stringify({ texts: ['the red book'], to: 'es' });
  if (route.url.endsWith('/settings')) return JSON.stringify({ cache: { maxEntries: 7 } });
  if (route.url.endsWith('/history/delete')) return JSON.stringify({ ids: [1] });
  if (route.url.includes('/models/')) return JSON.stringify({ id: 'parla/tiny-en-es' });
  return JSON.stringify({});
}

const gated = () => server.routes.filter((r) => !r.public);

/**
 * A refusal as the route's clients expect it: Parla's `{error: {code}}` with `status`, or for a
 * compatible API's route (matched under this spelling) its own 403 with `{message}` (DeepL) or
 * `{error}` (LibreTranslate). A spelling the router does not match gets Parla's refusal.
 */
function refusal(answer: Answer, route: RouteInfo, status: number, code: string): boolean {
  if (route.method === 'HEAD') return answer.status === status || (route.auth !== undefined && answer.status === 403);
  if (answer.status === status && isError(answer, code)) return true;
  if (!route.auth || answer.status !== 403 || !answer.type.startsWith('application/json')) return false;
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  return typeof (route.auth === 'deepl' ? body.message : body.error) === 'string' && Object.keys(body).length === 1;
}
const isError = (a: Answer, code: string) => a.type.startsWith('application/json') && (JSON.parse(a.body) as { error?: { code?: string } }).error?.code === code;

beforeAll(async () => {
  uiDir = await mkdtemp(join(tmpdir(), 'parla-gate-ui-'));
  await mkdir(join(uiDir, 'assets'));
  await writeFile(join(uiDir, 'index.html'), '<!doctype html><title>Parla</title>');
  await writeFile(join(uiDir, 'assets', 'app.js'), 'console.log(1)');
  fake = createFakeApi({ tickMs: 5, textsPerTick: 500 });
  server = createServer({ api: recording(fake), token: TOKEN, port: 0, rendererDir: uiDir });
  port = Number(new URL((await server.listen()).url).port);
  const created = await send('POST', '/api/v1/jobs', BEARER, JSON.stringify({ texts: ['the cat'], to: 'es' }));
  jobId = (JSON.parse(created.body) as { id: string }).id;
  await send('POST', '/api/v1/translate', BEARER, JSON.stringify({ texts: ['the house'], to: 'es' }));
  calls.length = 0;
});

afterAll(async () => {
  await server?.close();
  fake?.close();
  await rm(uiDir, { recursive: true, force: true });
});

describe('every registered route', () => {
  it('is collected from the router, API and metrics included, and only /healthz and the UI are public', () => {
    const urls = new Set(server.routes.map((r) => `${r.method} ${r.url}`));
    for (const must of ['GET /api/v1/settings', 'PATCH /api/v1/settings', 'GET /api/v1/events', 'POST /api/v1/jobs/:id/:action', 'GET /metrics', 'HEAD /api/v1/history/export']) expect(urls).toContain(must);
    expect(gated().length).toBeGreaterThan(25);
    expect(server.routes.filter((r) => r.public).map((r) => r.url).sort()).toEqual(['/*', '/*', '/healthz', '/healthz']);
  });

  it('answers 401 without the token under every path spelling, and reaches no ParlaApi method', async () => {
    const leaks: string[] = [];
    for (const route of gated()) {
      for (const path of spellings(concrete(route.url))) {
        const answer = await send(route.method, path, {}, bodyFor(route));
        const refused = refusal(answer, route, 401, 'UNAUTHORIZED');
        if (!refused) leaks.push(`${route.method} ${path} → ${answer.status} ${answer.body.slice(0, 60)}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('answers 401 for unmatched routes and methods, whatever they look like', async () => {
    for (const [method, path] of [
      ['POST', '/nothing'],
      ['DELETE', '/api/v1/settings'],
      ['OPTIONS', '/api/v1/translate'],
      ['PUT', '/%61pi/v1/jobs'],
      ['GET', '/api/v1/nothing'],
      ['GET', '/API'],
      ['GET', '/%6detrics/x'],
    ] as const) {
      const answer = await send(method, path);
      expect(answer.status, `${method} ${path}`).toBe(401);
    }
    expect(calls).toEqual([]);
  });

  it('refuses cross-site browser requests with 403 even with the token or the cookie', async () => {
    const crossSite: Record<string, string>[] = [
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { origin: `http://localhost:${port}` },
      { origin: `http://127.0.0.1:${port + 1}` },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'cross-site' },
    ];
    const credentials = [BEARER, { cookie: `parla_token=${TOKEN}` }];
    const leaks: string[] = [];
    for (const route of gated()) {
      const path = concrete(route.url);
      for (const site of crossSite) {
        for (const spelled of [path, encodeFirst(path), path.toUpperCase()]) {
          const answer = await send(route.method, spelled, { ...credentials[leaks.length % 2]!, ...site }, bodyFor(route));
          const refused = refusal(answer, route, 403, 'FORBIDDEN');
          if (!refused) leaks.push(`${route.method} ${spelled} ${JSON.stringify(site)} → ${answer.status}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('lets the same origin, a typed URL and non-browser clients through with the token', async () => {
    const allowed: Record<string, string>[] = [
      {},
      { 'sec-fetch-site': 'same-origin', origin: `http://127.0.0.1:${port}` },
      { 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'none' },
    ];
    for (const route of gated()) {
      for (const site of allowed) {
        const answer = await send(route.method, concrete(route.url), { ...BEARER, ...site }, bodyFor(route));
        expect([401, 403], `${route.method} ${route.url} ${JSON.stringify(site)}`).not.toContain(answer.status);
      }
    }
    const settings = await send('GET', '/api/v1/settings', { cookie: `parla_token=${TOKEN}`, 'sec-fetch-site': 'same-origin' });
    expect(settings.status).toBe(200);
  });

  it('keeps /healthz and the UI public, and trades ?token= for a cookie only on a page load', async () => {
    expect((await send('GET', '/healthz')).status).toBe(200);
    expect((await send('GET', '/healthz', { 'sec-fetch-site': 'cross-site' })).status).toBe(200);
    const index = await send('GET', '/');
    expect([index.status, index.body]).toEqual([200, '<!doctype html><title>Parla</title>']);
    expect((await send('GET', '/assets/app.js')).status).toBe(200);
    expect((await send('GET', '/history')).status).toBe(200);
    expect((await send('GET', `/?token=${TOKEN}`)).status).toBe(302);
    expect((await send('GET', `/api/v1/settings?token=${TOKEN}&token=${TOKEN}`)).status).toBe(401);
    expect((await send('GET', `/api/v1/settings?token=${TOKEN}`, BEARER)).status).toBe(401);
    const api = await send('GET', `/api/v1/settings?token=${TOKEN}`);
    expect(api.status).toBe(401);
    expect(JSON.parse(api.body)).toMatchObject({ error: { code: 'UNAUTHORIZED', message: expect.stringContaining('Authorization') } });
  });
});

describe('multipart', () => {
  const boundary = '----parla-gate';
  const filePart = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.csv"\r\n\r\ntext\nhello\n`;

  it('answers 400 with one line for a multipart body without a boundary, truncated or garbled', async () => {
    calls.length = 0;
    for (const [type, body, says] of [
      ['multipart/form-data', '', 'boundary'],
      ['multipart/form-data; charset=utf-8', 'x', 'boundary'],
      [`multipart/form-data; boundary=${boundary}`, filePart, 'multipart'],
      [`multipart/form-data; boundary=${boundary}`, 'garbage', 'multipart'],
    ] as const) {
      const answer = await send('POST', '/api/v1/jobs', { ...BEARER, 'content-type': type }, body, type);
      expect(answer.status, `${type} ${body}`).toBe(400);
      const { error } = JSON.parse(answer.body) as { error: { code: string; message: string } };
      expect(error.code).toBe('BAD_INPUT');
      expect(error.message.toLowerCase()).toContain(says);
      expect(error.message).not.toContain('\n');
    }
    expect(calls).toEqual([]);
  });
});
