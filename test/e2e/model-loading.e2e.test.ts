// "Loading model" on the Translate page: while the first translation waits for its model to
// load, the page says which model is loading (from the host's per-model state in health), and
// stops saying it once the translation arrives. The UI runs over the in-memory fake ParlaApi so
// the test decides when the load ends (the host's own states are tested in test/models/).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ParlaServer } from '../../src/server/server.js';
import type { Health } from '../../src/shared/settings.js';
import { createFakeApi, type FakeApi } from '../helpers/fake-api.js';

const CHROMIUM = process.env.PARLA_CHROMIUM ?? '/usr/bin/chromium';
const RENDERER = join(import.meta.dirname, '../../out/renderer');
const SHOTS = join(import.meta.dirname, 'screenshots');
const TOKEN = 'e2e-token-loading-0123456789';

let api: FakeApi;
let server: ParlaServer;
let context: BrowserContext;
let page: Page;
let userDataDir: string;
/** Resolves the pending load; while unresolved the host reports the model loading. */
let finishLoad: () => void = () => undefined;
let loading = false;

beforeAll(async () => {
  if (!existsSync(join(RENDERER, 'index.html'))) throw new Error('out/renderer is missing: run `npx electron-vite build`');
  api = createFakeApi();
  const translate = api.translate.bind(api);
  const health = api.health.bind(api);
  const loaded = new Promise<void>((resolve) => (finishLoad = resolve));
  api.translate = async (request) => {
    loading = true;
    await loaded;
    loading = false;
    return translate(request);
  };
  api.health = async (): Promise<Health> => ({
    ...(await health()),
    host: { pid: 1, models: ['parla/tiny-en-es'], modelStates: [{ id: 'parla/tiny-en-es', state: loading ? 'loading' : 'ready', quantized: false }] },
  });
  server = createServer({ api, token: TOKEN, port: 0, rendererDir: RENDERER });
  const { uiUrl } = await server.listen();
  userDataDir = await mkdtemp(join(tmpdir(), 'parla-e2e-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    viewport: { width: 1280, height: 800 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(uiUrl);
});

afterAll(async () => {
  finishLoad();
  await context?.close();
  await server?.close();
  api?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

describe('loading model progress', () => {
  it('says which model is loading while the first translation waits, and nothing once it is ready', async () => {
    expect(await page.getByTestId('model-loading').count()).toBe(0);
    await page.getByTestId('source-text').fill('Hello world');
    await page.getByTestId('model-loading').waitFor();
    expect(await page.getByTestId('model-loading').textContent()).toBe('Loading model parla/tiny-en-es (fp32)… The first translation waits for it.');
    await page.screenshot({ path: join(SHOTS, 'translate-model-loading.png') });
    finishLoad();
    await expect.poll(() => page.getByTestId('translation-output').textContent()).toBe('Hola mundo');
    await page.getByTestId('model-loading').waitFor({ state: 'detached' });
    // A later translation of a loaded model shows no loading line.
    await page.getByTestId('source-text').fill('Hello');
    await expect.poll(() => page.getByTestId('translation-output').textContent()).toBe('Hola');
    expect(await page.getByTestId('model-loading').count()).toBe(0);
  });
});
