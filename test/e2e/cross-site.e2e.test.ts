// A page on another origin, opened in the browser of a user who is logged into their Parla (the
// cookie is set), tries every way a page can reach the API: fetch in cors and no-cors modes, GET
// and POST, percent-encoded and upper-case paths, form posts, <img>, <script>, <iframe> and
// EventSource. It must read nothing and change nothing: every answer the browser sees from Parla
// is a refusal, and the API (asked afterwards with the token) shows the same jobs, settings,
// history and cache as before. Two attacker origins: `localhost` (another site, so the
// SameSite=Strict cookie stays home) and 127.0.0.1 on another port (the same site: the cookie
// rides along, and only the Origin / Sec-Fetch-Site check stands in the way). The browser reaches
// Parla through a pass-through proxy that notes each request and Parla's answer, since a browser
// hides the status of the cross-origin answers it refuses to show the page.
// Runs a real `parla serve` (dist/, built by `npm test`) and Debian's /usr/bin/chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { createInterface } from 'node:readline';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = process.env.PARLA_CHROMIUM ?? '/usr/bin/chromium';

let serve: ChildProcess;
let dataDir: string;
let userDataDir: string;
/** `parla serve` itself, for the test's own requests with the token. */
let direct: string;
/** Where the browser meets Parla: the proxy's origin. */
let parla: string;
let token: string;
let proxy: Server;
let attacker: Server;
let attackerPort: number;
let context: BrowserContext;

const authed = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${direct}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
  expect(res.status, path).toBeLessThan(300);
  return res.json() as Promise<unknown>;
};

interface Passed {
  method: string;
  path: string;
  status: number;
  cookie: boolean;
}
/** Every request the browser sent to Parla, with Parla's status. */
const passed: Passed[] = [];

/** Forwards each request byte for byte (path, headers, Host included) and notes the answer. */
function startProxy(upstreamPort: number): Server {
  return createHttpServer((req, res) => {
    const upstream = httpRequest({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      passed.push({ method: req.method ?? '', path: req.url ?? '', status: answer.statusCode ?? 0, cookie: /parla_token=/.test(req.headers.cookie ?? '') });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  }).listen(0, '127.0.0.1');
}

/** What an attacker would want to read or change, asked with the token. */
const snapshot = async () => ({
  jobs: await authed('/api/v1/jobs'),
  settings: await authed('/api/v1/settings'),
  history: await authed('/api/v1/history'),
  cache: await authed('/api/v1/cache/stats'),
  // Without `memory`: the host records a model's measured memory after the set-up's translation,
  // at a moment of its own, which is not a change anyone made.
  models: ((await authed('/api/v1/models')) as { models: Record<string, unknown>[] }).models.map(({ memory: _memory, ...model }) => model),
});

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'parla-cross-site-'));
  serve = spawn(process.execPath, [join(import.meta.dirname, '../../bin/parla.js'), 'serve', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: serve.stdout! }), 'line')) as [string];
  const link = new URL(line);
  direct = link.origin;
  token = link.searchParams.get('token') ?? '';
  proxy = startProxy(Number(link.port));
  await once(proxy, 'listening');
  parla = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;

  // The attacker's site: one empty page; its script is what page.evaluate runs below.
  attacker = createHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>cute cats</title>'));
  attacker.listen(0, '127.0.0.1');
  await once(attacker, 'listening');
  attackerPort = (attacker.address() as { port: number }).port;

  userDataDir = await mkdtemp(join(tmpdir(), 'parla-cross-site-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // The user logs in: the printed link trades the token for the cookie.
  const own = context.pages()[0] ?? (await context.newPage());
  await own.goto(`${parla}/?token=${encodeURIComponent(token)}`);
  expect(new URL(own.url()).search).toBe('');
  expect((await context.cookies(parla)).map((c) => c.name)).toContain('parla_token');
  // Something worth stealing or deleting: one translation in the history and the cache.
  await authed('/api/v1/translate', { method: 'POST', body: JSON.stringify({ texts: ['Open the file'], to: 'es' }) });
});

afterAll(async () => {
  await context?.close();
  attacker?.close();
  proxy?.closeAllConnections();
  proxy?.close();
  if (serve && serve.exitCode === null) {
    serve.kill('SIGTERM');
    await once(serve, 'exit');
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

/** Every way a page can send a request to Parla; returns what the page could observe. */
async function attack(page: Page, target: string): Promise<string[]> {
  return page.evaluate(async (target) => {
    const seen: string[] = [];
    const paths = [
      '/api/v1/settings',
      '/%61pi/v1/settings',
      '/API/V1/SETTINGS',
      '/%61pi/v1/history',
      '/%61pi/v1/history/export?format=json',
      '/api/v1/jobs',
      '/%6detrics',
      '/api/v1/health',
    ];
    const writes: [string, string, string][] = [
      ['POST', '/api/v1/jobs', JSON.stringify({ texts: ['stolen'], to: 'es' })],
      ['POST', '/%61pi/v1/jobs', JSON.stringify({ texts: ['stolen'], to: 'es' })],
      ['POST', '/%61pi/v1/translate', JSON.stringify({ texts: ['stolen'], to: 'es' })],
      ['POST', '/%61pi/v1/cache/clear', '{}'],
      ['POST', '/api/v1/history/delete', JSON.stringify({ query: {} })],
      ['PATCH', '/%61pi/v1/settings', JSON.stringify({ cache: { maxEntries: 1 } })],
    ];
    const note = async (label: string, run: () => Promise<Response>) => {
      try {
        const res = await run();
        // An opaque answer (no-cors) has status 0 and no body: nothing read.
        if (res.type !== 'opaque') seen.push(`${label} → read ${res.status}: ${(await res.text()).slice(0, 80)}`);
      } catch {
        // Refused by the browser (CORS): nothing read.
      }
    };
    for (const path of paths) {
      await note(`cors GET ${path}`, () => fetch(target + path, { credentials: 'include' }));
      await note(`no-cors GET ${path}`, () => fetch(target + path, { mode: 'no-cors', credentials: 'include' }));
    }
    for (const [method, path, body] of writes) {
      await note(`cors ${method} ${path}`, () => fetch(target + path, { method, body, credentials: 'include', headers: { 'content-type': 'application/json' } }));
      await note(`no-cors ${method} ${path}`, () => fetch(target + path, { method, body, mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' } }));
    }
    // Form posts (no preflight, cookies attached as the browser's SameSite rules allow), into
    // an iframe so the page stays.
    for (const [path, fields] of [
      ['/api/v1/jobs', { texts: 'stolen', to: 'es' }],
      ['/%61pi/v1/cache/clear', {}],
      ['/api/v1/history/delete', { query: '' }],
    ] as const) {
      for (const enctype of ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']) {
        const frame = document.createElement('iframe');
        frame.name = `f${Math.random()}`;
        document.body.append(frame);
        const form = document.createElement('form');
        Object.assign(form, { method: 'POST', action: target + path, enctype, target: frame.name });
        for (const [name, value] of Object.entries(fields)) form.append(Object.assign(document.createElement('input'), { name, value }));
        document.body.append(form);
        const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
        form.submit();
        await Promise.race([loaded, new Promise((r) => setTimeout(r, 3000))]);
        // Another origin's document is null to this page: unreadable.
        if (frame.contentDocument) seen.push(`form ${path} → read ${frame.contentDocument.body.textContent ?? ''}`);
      }
    }
    // Subresources: an image, a script, a frame, an event stream.
    const loads = (element: HTMLImageElement | HTMLScriptElement | HTMLIFrameElement, label: string) =>
      new Promise<void>((resolve) => {
        element.addEventListener('load', () => (label.startsWith('iframe') ? resolve() : (seen.push(`${label} → loaded`), resolve())), { once: true });
        element.addEventListener('error', () => resolve(), { once: true });
        setTimeout(resolve, 3000);
        document.body.append(element);
      });
    for (const path of ['/api/v1/settings', '/%61pi/v1/history', '/%6detrics']) {
      await loads(Object.assign(document.createElement('img'), { src: target + path }), `img ${path}`);
      await loads(Object.assign(document.createElement('script'), { src: target + path }), `script ${path}`);
      await loads(Object.assign(document.createElement('iframe'), { src: target + path }), `iframe ${path}`);
    }
    for (const path of ['/api/v1/events', '/%61pi/v1/events']) {
      const events = await new Promise<string>((resolve) => {
        const source = new EventSource(target + path, { withCredentials: true });
        const done = (what: string) => {
          source.close();
          resolve(what);
        };
        source.addEventListener('open', () => done('open'));
        source.addEventListener('error', () => done('error'));
        setTimeout(() => done('timeout'), 3000);
      });
      if (events !== 'error') seen.push(`EventSource ${path} → ${events}`);
    }
    return seen;
  }, target);
}

describe('a page on another origin', () => {
  it('can neither read nor change anything in the logged-in user\'s Parla, nor start a job', async () => {
    const before = await snapshot();
    expect((before.history as { total: number }).total).toBe(1);
    expect((before.cache as { entries: number }).entries).toBe(1);

    for (const origin of [`http://localhost:${attackerPort}`, `http://127.0.0.1:${attackerPort}`]) {
      const page = await context.newPage();
      await page.goto(`${origin}/`);
      passed.length = 0;
      expect(await attack(page, parla), origin).toEqual([]);
      await page.close();
      // Everything the page sent reached Parla and was refused: 401 without the cookie (preflights,
      // and every request from another site), 403 with it.
      const paths = new Set(passed.map((p) => p.path));
      for (const path of ['/%61pi/v1/settings', '/%61pi/v1/jobs', '/%61pi/v1/cache/clear', '/api/v1/history/delete', '/%61pi/v1/events', '/%6detrics']) expect(paths, origin).toContain(path);
      expect(passed.length, origin).toBeGreaterThan(40);
      expect(passed.filter((p) => p.status !== (p.cookie ? 403 : 401)), origin).toEqual([]);
      // From 127.0.0.1 (the same site) the cookie rode along: only the cross-site check refused.
      const withCookie = passed.filter((p) => p.cookie).length;
      if (origin.includes('localhost')) expect(withCookie, origin).toBe(0);
      else expect(withCookie, origin).toBeGreaterThan(40);
    }

    expect(await snapshot()).toEqual(before);
  });

  it('while the user\'s own Parla page, with the same cookie, still reads and writes', async () => {
    const own = await context.newPage();
    await own.goto(`${parla}/`);
    const answers = await own.evaluate(async () => {
      const settings = await fetch('/api/v1/settings');
      const cleared = await fetch('/api/v1/cache/clear', { method: 'POST' });
      return [settings.status, cleared.status];
    });
    await own.close();
    expect(answers).toEqual([200, 200]);
    expect(((await authed('/api/v1/cache/stats')) as { entries: number }).entries).toBe(0);
  });
});
