// History in the browser against a real `parla serve` (bundled model): typing a sentence makes one
// entry (recorded when typing pauses, on copy, on leaving the field or the page), a batch job is
// listed as the job with a link to it, and the empty list and a search with no match say what to
// do. The page's clock is Playwright's fake one, so "a pause" is exact, not a race with the load.
// Needs `npx electron-vite build` and /usr/bin/chromium. Screenshots: test/e2e/screenshots/history-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryPage } from '../../src/shared/history-api.js';
import { HAVE_MODEL } from '../engine/model-fixture.js';
import { screenshotSizesAndThemes, serveUi, type ServedUi } from './serve-helper.js';

let ui: ServedUi;

beforeAll(async () => {
  if (!HAVE_MODEL) return;
  ui = await serveUi();
  // The model host starts on the first translation (slow on a busy machine): before the typing
  // test, not inside one of its waits. A draft, so History stays empty.
  const warm = await authed('/api/v1/translate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ texts: ['Hello'], from: 'en', to: 'es', history: false }) });
  expect(warm.status).toBe(200);
}, 300_000);
afterAll(async () => {
  await ui?.close();
});

const authed = (path: string, init: RequestInit = {}) => fetch(`${ui.origin}${path}`, { ...init, headers: { authorization: `Bearer ${ui.token}`, ...init.headers } });
const history = async (): Promise<HistoryPage> => (await (await authed('/api/v1/history?limit=50')).json()) as HistoryPage;
const recorded = () => ui.page.waitForResponse((r) => r.url().endsWith('/api/v1/history') && r.request().method() === 'POST', { timeout: 10_000 });
const translated = () => ui.page.waitForResponse((r) => r.url().endsWith('/api/v1/translate'), { timeout: 120_000 });


describe.skipIf(!HAVE_MODEL)('History', () => {
  it('says what to do while it is empty', async () => {
    const { page } = ui;
    await page.getByTestId('nav-history').click();
    await page.getByTestId('history-empty').waitFor();
    expect(await page.getByTestId('history-empty').textContent()).toContain('No translations yet');
    await screenshotSizesAndThemes(ui.page, 'history-empty');
    await page.getByTestId('history-go-translate').click();
    await page.getByTestId('source-text').waitFor();
  });

  it('typing a sentence key by key makes one entry, recorded once typing pauses', async () => {
    const { page } = ui;
    await page.clock.install();
    await page.reload();
    const input = page.getByTestId('source-text');
    const sentence = 'Good morning friends';
    await input.click();
    for (const key of sentence) {
      // Each key waits out the as-you-type delay: the old Translate page recorded every answer.
      const answered = translated();
      await page.keyboard.type(key);
      await page.clock.runFor(300);
      await answered;
    }
    expect((await history()).total).toBe(0);
    const saved = recorded();
    await page.clock.runFor(1600);
    await saved;
    const { entries, total } = await history();
    expect(total).toBe(1);
    expect(entries[0]).toMatchObject({ source: sentence, from: 'en', to: 'es' });
    expect(entries[0]!.text).not.toBe('');
  });

  it('records on copy and on leaving the field, each text once', async () => {
    const { page } = ui;
    const input = page.getByTestId('source-text');
    let answered = translated();
    await input.fill('Thank you very much');
    await page.clock.runFor(300);
    await answered;
    let saved = recorded();
    await page.getByTestId('copy-translation').click();
    await saved;
    expect((await history()).entries[0]).toMatchObject({ source: 'Thank you very much' });

    answered = translated();
    await input.fill('See you tomorrow');
    await page.clock.runFor(300);
    await answered;
    saved = recorded();
    await page.getByTestId('beam').focus(); // the text field loses focus
    await saved;
    const { entries, total } = await history();
    expect(total).toBe(3);
    expect(entries[0]).toMatchObject({ source: 'See you tomorrow' });

    // Coming back to the field and leaving it again with the same text adds nothing.
    await input.focus();
    await page.getByTestId('beam').focus();
    await page.clock.runFor(2000);
    expect((await history()).total).toBe(3);
  });

  it('lists a batch job as the job: file name, size, languages and a link to it; never its upload path', async () => {
    const { page } = ui;
    const form = new FormData();
    form.append('to', 'es');
    form.append('from', 'en');
    form.append('file', new Blob(['sku,name\nSKU-1001,Red shoes\nSKU-1002,Blue hat\nSKU-1003,Green coat\n']), 'catalog.csv');
    const created = await authed('/api/v1/jobs', { method: 'POST', body: form });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    await (await authed(`/api/v1/jobs/${id}/events`)).text();

    await page.getByTestId('nav-history').click();
    const job = page.getByTestId('history-job');
    await job.waitFor();
    expect(await job.getByTestId('history-job-file').textContent()).toBe('catalog.csv');
    expect(await job.getByTestId('history-job-summary').textContent()).toMatch(/^3 texts into 1 language · all translated/u);
    expect(await job.getByTestId('history-retranslate').count()).toBe(0);
    expect(await page.getByTestId('history-row').count()).toBe(3);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toMatch(/uploads|parla-e2e-serve-|\/tmp\//u);
    await screenshotSizesAndThemes(ui.page, 'history');

    await job.getByTestId('history-open-job').click();
    await page.locator(`[data-testid="job-${id}"][data-shown="true"]`).waitFor();
  });

  it('a search with no match says so and offers to clear it', async () => {
    const { page } = ui;
    await page.getByTestId('nav-history').click();
    await page.getByTestId('history-search').fill('zebra');
    await page.clock.runFor(500);
    await page.getByTestId('history-no-match').waitFor();
    expect(await page.getByTestId('history-no-match').textContent()).toContain('No translation matches “zebra”');
    await screenshotSizesAndThemes(ui.page, 'history-no-match');
    await page.getByTestId('history-clear-search').click();
    await page.clock.runFor(500);
    await page.getByTestId('history-job').waitFor();
  });

  it('shows what other doors record while it is open: a finished job at once, a translation when the window is back in focus', async () => {
    const { page } = ui;
    await page.getByTestId('nav-history').click();
    await page.getByTestId('history-job').first().waitFor();
    const jobs = await page.getByTestId('history-job').count();
    const form = new FormData();
    form.append('to', 'es');
    form.append('from', 'en');
    form.append('file', new Blob(['name\nYellow scarf\n']), 'scarves.csv');
    const created = await authed('/api/v1/jobs', { method: 'POST', body: form });
    const { id } = (await created.json()) as { id: string };
    await (await authed(`/api/v1/jobs/${id}/events`)).text();
    await expect.poll(() => page.getByTestId('history-job').count(), { timeout: 30_000 }).toBe(jobs + 1);

    // As `parla translate` in a terminal would: recorded by the services, no event for it.
    const answer = await authed('/api/v1/translate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ texts: ['The museum opens at nine'], from: 'en', to: 'es' }) });
    expect(answer.status).toBe(200);
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await page.getByText('The museum opens at nine').first().waitFor({ timeout: 30_000 });
  });
});

