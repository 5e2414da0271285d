// The Models page's catalog against a real `parla serve` whose Hub is the local Hub-like server
// the downloader tests use: search by a language's name, choose fp32 or int8 with the bytes each
// fetches (from the Hub's listing), the download shows progress, the model shows as installed,
// translates, and then shows the memory the model host measured for it. Screenshots at 1280 and
// 480 px wide.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/shared/format.js';
import { filesToFetch } from '../../src/shared/model-layout.js';
import { fakeModelRepo, startHub, type FakeRepo } from '../engine/hub-server.js';
import { HAVE_MODEL } from '../engine/model-fixture.js';
import { serveUi, type ServedUi } from './serve-helper.js';

const SHOTS = join(import.meta.dirname, 'screenshots');
let hub: Awaited<ReturnType<typeof startHub>>;
let ui: ServedUi;
const repo: FakeRepo = HAVE_MODEL ? fakeModelRepo('catalog', true) : {};
/** The bytes a download picks from the repo, as the page should show them. */
const shown = (quantizedOnly: boolean) => formatBytes(filesToFetch(Object.keys(repo), quantizedOnly)!.reduce((s, p) => s + repo[p]!.length, 0));

beforeAll(async () => {
  if (!HAVE_MODEL) return;
  hub = await startHub({ 'Xenova/opus-mt-en-de': repo });
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

  it('finds a model by language name, offers fp32 or int8 with their sizes, downloads int8, and lists it with its measured memory', async () => {
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
    const choice = row.getByTestId('precision-choice');
    await expect.poll(() => choice.getByTestId('size-int8').textContent()).toBe(shown(true));
    expect(await choice.getByTestId('size-fp32').textContent()).toBe(shown(false));
    expect(shown(true)).not.toBe(shown(false));
    await choice.getByTestId('precision-int8').check();
    expect(await choice.getByTestId('precision-download').textContent()).toBe('Download int8');
    // The choice opens inside the scrolling list: all of it is in view, buttons and border.
    const inView = () =>
      page.evaluate(() => {
        const box = document.querySelector('[data-testid="precision-choice"]')!.getBoundingClientRect();
        const list = document.querySelector('.catalog-list')!.getBoundingClientRect();
        return box.top >= list.top && box.bottom <= list.bottom;
      });
    await expect.poll(inView).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'models-precision-choice.png') });
    await choice.getByTestId('precision-download').click();
    const installedRow = page.getByTestId('model-row').filter({ hasText: 'Xenova/opus-mt-en-de' });
    await expect.poll(() => installedRow.count(), { timeout: 60_000 }).toBe(1);
    await row.getByText('installed').waitFor();
    expect(await installedRow.textContent()).toContain('int8');
    expect(await installedRow.getByTestId('model-memory').textContent()).toBe('in memory: measured on first use');
    const translated = await fetch(`${ui.origin}/api/v1/translate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ui.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ texts: ['Open file'], to: 'de' }),
    });
    expect(translated.status).toBe(200);
    expect(((await translated.json()) as { translations: { model: string }[] }).translations[0]!.model).toBe('Xenova/opus-mt-en-de');
    // The host measured the model when it loaded it (int8: the only precision downloaded).
    await expect
      .poll(
        async () => {
          await page.getByTestId('nav-translate').click();
          await page.getByTestId('nav-models').click();
          return installedRow.getByTestId('model-memory').textContent();
        },
        { timeout: 20_000 },
      )
      .toMatch(/^in memory: [\d.]+ [KMG]?B \(int8, \d+ lanes? × \d+ threads?\)$/);
    await page.screenshot({ path: join(SHOTS, 'models-memory.png') });
    // The memory budget setting shows the same measurement, and keeps a budget given in MB.
    const measured = (await installedRow.getByTestId('model-memory').textContent())!.match(/^in memory: ([\d.]+ [KMG]?B)/)![1];
    await page.getByTestId('nav-settings').click();
    expect(await page.getByTestId('model-memory-measured').textContent()).toContain(`Xenova/opus-mt-en-de ${measured} (int8)`);
    await page.getByTestId('memory-budget').fill('1500');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await (await fetch(`${ui.origin}/api/v1/settings`, { headers: { authorization: `Bearer ${ui.token}` } })).json()).memoryBudgetMB).toBe(1500);
    await page.getByTestId('memory-budget').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'settings-memory-budget.png') });
    await page.getByTestId('nav-models').click();
    await page.setViewportSize({ width: 480, height: 800 });
    await page.screenshot({ path: join(SHOTS, 'models-catalog-480.png'), fullPage: true });
  });
});
