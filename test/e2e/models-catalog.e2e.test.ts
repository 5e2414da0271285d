// The Models page's catalog against a real `parla serve` whose Hub is the local Hub-like server
// the downloader tests use: search by a language's name, one click downloads with progress, the
// model shows as installed and translates. Screenshots at 1280 and 480 px wide.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeModelRepo, startHub } from '../engine/hub-server.js';
import { HAVE_MODEL } from '../engine/model-fixture.js';

const CHROMIUM = process.env.PARLA_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(import.meta.dirname, 'screenshots');

let hub: Awaited<ReturnType<typeof startHub>>;
let serve: ChildProcess;
let dataDir: string;
let userDataDir: string;
let context: BrowserContext;
let page: Page;
let origin: string;
let token: string;

beforeAll(async () => {
  if (!HAVE_MODEL) return;
  hub = await startHub({ 'Xenova/opus-mt-en-de': fakeModelRepo('catalog') });
  dataDir = await mkdtemp(join(tmpdir(), 'parla-e2e-catalog-'));
  serve = spawn(process.execPath, [join(import.meta.dirname, '../../bin/parla.js'), 'serve', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PARLA_HUB_ENDPOINT: hub.url },
  });
  const [line] = (await once(createInterface({ input: serve.stdout! }), 'line')) as [string];
  const link = new URL(line);
  origin = link.origin;
  token = link.searchParams.get('token') ?? '';
  userDataDir = await mkdtemp(join(tmpdir(), 'parla-e2e-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    viewport: { width: 1280, height: 800 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(line);
});

afterAll(async () => {
  await context?.close();
  if (serve) {
    serve.kill('SIGTERM');
    await once(serve, 'exit');
  }
  hub?.server.closeAllConnections();
  if (hub) await new Promise((r) => hub.server.close(r));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

describe.skipIf(!HAVE_MODEL)('model catalog on the Models page', () => {
  it('finds a model by language name, downloads it with one click, and lists it as installed', async () => {
    await page.getByTestId('nav-models').click();
    await page.getByTestId('catalog-search').fill('klingon');
    await page.getByTestId('catalog-empty').waitFor();
    await page.getByTestId('catalog-search').fill('German');
    const row = page.getByTestId('catalog-row').filter({ hasText: 'English → German' });
    await row.waitFor();
    expect(await page.getByTestId('catalog-row').count()).toBeGreaterThan(1);
    await page.screenshot({ path: join(SHOTS, 'models-catalog.png') });
    await row.getByTestId('catalog-download').click();
    await expect.poll(() => page.getByTestId('model-row').filter({ hasText: 'Xenova/opus-mt-en-de' }).count(), { timeout: 60_000 }).toBe(1);
    await row.getByText('installed').waitFor();
    const translated = await fetch(`${origin}/api/v1/translate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ texts: ['Open file'], to: 'de' }),
    });
    expect(translated.status).toBe(200);
    expect(((await translated.json()) as { translations: { model: string }[] }).translations[0]!.model).toBe('Xenova/opus-mt-en-de');
    await page.setViewportSize({ width: 480, height: 800 });
    await page.screenshot({ path: join(SHOTS, 'models-catalog-480.png'), fullPage: true });
  });
});
