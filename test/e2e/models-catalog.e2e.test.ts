// The Models page's catalog against a real `parla serve` whose Hub is the local Hub-like server
// the downloader tests use: search by a language's name, one click downloads with progress, the
// model shows as installed and translates. Screenshots at 1280 and 480 px wide.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeModelRepo, startHub } from '../engine/hub-server.js';
import { HAVE_MODEL } from '../engine/model-fixture.js';
import { serveUi, type ServedUi } from './serve-helper.js';

const SHOTS = join(import.meta.dirname, 'screenshots');
let hub: Awaited<ReturnType<typeof startHub>>;
let ui: ServedUi;

beforeAll(async () => {
  if (!HAVE_MODEL) return;
  hub = await startHub({ 'Xenova/opus-mt-en-de': fakeModelRepo('catalog') });
  ui = await serveUi({ PARLA_HUB_ENDPOINT: hub.url });
});

afterAll(async () => {
  await ui?.close();
  hub?.server.closeAllConnections();
  if (hub) await new Promise((r) => hub.server.close(r));
});

describe.skipIf(!HAVE_MODEL)('model catalog on the Models page', () => {
  it('the Translate page calls the bundled model a demo and leads to the catalog', async () => {
    const { page } = ui;
    await page.getByTestId('nav-translate').click();
    await page.getByTestId('demo-notice').waitFor();
    expect(await page.getByTestId('demo-notice').textContent()).toContain('demo model');
    await page.screenshot({ path: join(SHOTS, 'translate-demo-notice.png') });
    await page.getByTestId('demo-get-model').click();
    await page.getByTestId('catalog-search').waitFor();
  });

  it('finds a model by language name, downloads it with one click, and lists it as installed', async () => {
    const { page } = ui;
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
    const translated = await fetch(`${ui.origin}/api/v1/translate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ui.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ texts: ['Open file'], to: 'de' }),
    });
    expect(translated.status).toBe(200);
    expect(((await translated.json()) as { translations: { model: string }[] }).translations[0]!.model).toBe('Xenova/opus-mt-en-de');
    await page.setViewportSize({ width: 480, height: 800 });
    await page.screenshot({ path: join(SHOTS, 'models-catalog-480.png'), fullPage: true });
  });
});
