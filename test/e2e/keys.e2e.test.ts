// Settings → API keys in the browser UI (Chromium) over `parla serve`'s server with the fake
// ParlaApi at the network edge: create a key (shown once), use it on the LibreTranslate API,
// see its usage in the list, revoke it. Needs `npx electron-vite build` and /usr/bin/chromium.
// Screenshot: test/e2e/screenshots/settings-keys.png.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ParlaServer } from '../../src/server/server.js';
import { createFakeApi, type FakeApi } from '../helpers/fake-api.js';

const CHROMIUM = process.env.PARLA_CHROMIUM ?? '/usr/bin/chromium';
const RENDERER = join(import.meta.dirname, '../../out/renderer');
const SHOTS = join(import.meta.dirname, 'screenshots');
const TOKEN = 'e2e-keys-token-0123456789abcdef';

let api: FakeApi;
let server: ParlaServer;
let base: string;
let userDataDir: string;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  if (!existsSync(join(RENDERER, 'index.html'))) throw new Error('out/renderer is missing: run `npx electron-vite build`');
  api = createFakeApi({ tickMs: 50, textsPerTick: 25 });
  server = createServer({ api, token: TOKEN, port: 0, rendererDir: RENDERER });
  const listening = await server.listen();
  base = listening.url;
  userDataDir = await mkdtemp(join(tmpdir(), 'parla-e2e-keys-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 1000 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(listening.uiUrl);
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  api?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

describe('Settings → API keys', () => {
  it('creates a key shown once, lists its usage, revokes it', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('key-name').fill('weblate');
    await page.getByTestId('key-chars').fill('50000');
    await page.getByTestId('key-rate').fill('60');
    await page.getByTestId('key-create').click();
    const key = (await page.getByTestId('key-text').textContent({ timeout: 10_000 }))!;
    expect(key).toMatch(/^parla_[\w-]{40,}$/);
    await page.getByTestId('api-keys').screenshot({ path: join(SHOTS, 'settings-key-created.png') });

    // The key works on the LibreTranslate API, and the list shows what it used.
    const res = await fetch(`${base}/translate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ q: 'hello world', source: 'en', target: 'es', api_key: key }) });
    expect(await res.json()).toEqual({ translatedText: 'hola mundo' });
    await page.getByTestId('nav-translate').click();
    await page.getByTestId('nav-settings').click();
    const row = page.getByTestId('key-row-weblate');
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('11 of 50,000');
    expect(await row.textContent()).toContain('60 / min');
    // Shown once: after leaving the page, the key's text is nowhere on it.
    expect(await page.getByTestId('key-text').count()).toBe(0);
    expect(await page.content()).not.toContain(key);
    await page.getByTestId('api-keys').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'settings-keys.png'), fullPage: true });

    await page.getByTestId('key-revoke-weblate').click();
    await expect.poll(() => page.getByTestId('key-row-weblate').count(), { timeout: 10_000 }).toBe(0);
    const refused = await fetch(`${base}/translate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ q: 'hello', source: 'en', target: 'es', api_key: key }) });
    expect(refused.status).toBe(403);
  });
});
