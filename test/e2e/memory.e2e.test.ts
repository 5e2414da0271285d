// The translation memory in the browser, against the real local API (real memory, a stand-in
// engine at the model edge): correct a translation on the Translate page and save it; the same
// text then comes from the memory; a close sentence shows it as a suggestion; History approves.
// Needs `npx electron-vite build` first and /usr/bin/chromium. Screenshot: test/e2e/screenshots/memory-*.png.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openParlaApi, type LocalApi } from '../../src/core/api/local-api.js';
import { createServer, type ParlaServer } from '../../src/server/server.js';
import { FakeTranslator } from '../state/helpers/fake-translator.js';

const CHROMIUM = process.env.PARLA_CHROMIUM ?? '/usr/bin/chromium';
const RENDERER = join(import.meta.dirname, '../../out/renderer');
const SHOTS = join(import.meta.dirname, 'screenshots');
const TOKEN = 'e2e-memory-token-0123456789abcdef';

let dataDir: string;
let userDataDir: string;
let api: LocalApi;
let server: ParlaServer;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'parla-e2e-memory-'));
  api = await openParlaApi({ dataDir, openEngine: async () => new FakeTranslator(), teamWork: 0 });
  server = createServer({ api, token: TOKEN, port: 0, rendererDir: RENDERER });
  const { uiUrl } = await server.listen();
  userDataDir = await mkdtemp(join(tmpdir(), 'parla-e2e-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(uiUrl);
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  await api?.close();
  for (const d of [dataDir, userDataDir]) if (d) await rm(d, { recursive: true, force: true });
});

describe('translation memory in the app', () => {
  it('Edit, Save as correction: the next translation of that text comes from the memory', async () => {
    await page.getByTestId('source-text').fill('The file could not be saved because the disk is full');
    await expect.poll(() => page.getByTestId('translation-output').textContent()).toBe('es:THE FILE COULD NOT BE SAVED BECAUSE THE DISK IS FULL');
    await page.getByTestId('edit-translation').click();
    await page.getByTestId('translation-edit').fill('No se pudo guardar el archivo porque el disco está lleno');
    await page.getByTestId('save-correction').click();
    await page.getByTestId('memory-hit').waitFor();
    expect(await page.getByTestId('translation-output').textContent()).toBe('No se pudo guardar el archivo porque el disco está lleno');
    const { entries } = await api.listMemory({});
    expect(entries).toMatchObject([{ source: 'The file could not be saved because the disk is full', origin: 'typed' }]);
  });

  it('a close sentence shows the entry as a suggestion under the translation', async () => {
    await page.getByTestId('source-text').fill('The file could not be saved because the drive is full');
    await page.getByTestId('memory-suggestions').waitFor();
    expect(await page.getByTestId('memory-suggestions').textContent()).toContain('91%');
    expect(await page.getByTestId('memory-suggestions').textContent()).toContain('No se pudo guardar el archivo porque el disco está lleno');
    await page.screenshot({ path: join(SHOTS, 'memory-translate.png') });
  });

  it('History: Approve saves a translation as it is', async () => {
    await page.getByTestId('source-text').fill('Print the page');
    await expect.poll(() => page.getByTestId('translation-output').textContent()).toBe('es:PRINT THE PAGE');
    await page.getByRole('link', { name: 'History' }).or(page.getByRole('button', { name: 'History' })).first().click();
    await page.getByTestId('history-row').filter({ hasText: 'Print the page' }).first().getByTestId('history-approve').click();
    await expect.poll(async () => (await api.listMemory({ q: 'print' })).entries.map((e) => [e.target, e.origin])).toEqual([['es:PRINT THE PAGE', 'approved']]);
  });
});
