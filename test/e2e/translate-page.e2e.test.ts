// The Translate page against a real `parla serve` (bundled model; a Hub-like server offers the
// way back, es→en): blank lines kept, the draft outlives navigation and reload, the browser keeps
// its own keys, Swap only with a model for the way back, errors that point to the Models page and
// never to a command line, and a 1,200-line paste translated in parts. Screenshots at 1280 and
// 480 px wide, light and dark, in test/e2e/screenshots/translate-page-*.png.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeModelRepo, startHub } from '../engine/hub-server.js';
import { HAVE_MODEL } from '../engine/model-fixture.js';
import { serveUi, type ServedUi } from './serve-helper.js';

const SHOTS = join(import.meta.dirname, 'screenshots');
const PARAGRAPHS = 'Open the file.\n\nThe book is red.\n\n\nHello world.';
let hub: Awaited<ReturnType<typeof startHub>>;
let ui: ServedUi;

const api = (path: string, body?: unknown) =>
  fetch(`${ui.origin}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${ui.token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const source = () => ui.page.getByTestId('source-text').inputValue();
const output = () => ui.page.getByTestId('translation-output').textContent();
/** Which lines of the output are blank (the layout, whatever the words). */
const blankLines = async () => ((await output()) ?? '').split('\n').map((l) => l.trim() === '');
async function translated(): Promise<void> {
  await expect.poll(output, { timeout: 60_000 }).not.toBe('Translation');
  await ui.page.getByTestId('model-used').waitFor({ timeout: 60_000 });
}

beforeAll(async () => {
  if (!HAVE_MODEL) return;
  hub = await startHub({ 'Xenova/opus-mt-es-en': fakeModelRepo('way-back') });
  ui = await serveUi({ PARLA_HUB_ENDPOINT: hub.url });
  // The model host starts on the first translation: here, not inside the first test's wait.
  expect((await api('/api/v1/translate', { texts: ['Hello.'], to: 'es', from: 'en' })).status).toBe(200);
});

afterAll(async () => {
  await ui?.close();
  hub?.server.closeAllConnections();
  if (hub) await new Promise((r) => hub.server.close(r));
});

describe.skipIf(!HAVE_MODEL)('the Translate page', () => {
  it('keeps paragraphs and blank lines exactly', async () => {
    const { page } = ui;
    await page.getByTestId('source-text').fill(PARAGRAPHS);
    await translated();
    await expect.poll(blankLines, { timeout: 60_000 }).toEqual([false, true, false, true, true, false]);
  });

  it('keeps the draft and its languages across pages and a reload', async () => {
    const { page } = ui;
    await page.getByTestId('from-lang').selectOption('');
    await page.getByTestId('nav-history').click();
    await page.getByTestId('nav-translate').click();
    expect(await source()).toBe(PARAGRAPHS);
    expect(await page.getByTestId('from-lang').inputValue()).toBe('');
    await page.reload();
    await page.getByTestId('source-text').waitFor();
    expect(await source()).toBe(PARAGRAPHS);
    expect(await page.getByTestId('from-lang').inputValue()).toBe('');
    expect(await page.getByTestId('to-lang').inputValue()).toBe('es');
    await page.getByTestId('from-lang').selectOption('en');
  });

  it("leaves the browser's keys alone: Ctrl+F stays find-in-page", async () => {
    const { page } = ui;
    // Registered after the app's listener on the same target, so it sees whether the app took the key.
    await page.evaluate(() => window.addEventListener('keydown', (e) => ((window as unknown as { taken: boolean }).taken = e.defaultPrevented)));
    await page.getByTestId('source-text').focus();
    await page.keyboard.press('Control+F');
    expect(await page.evaluate(() => (window as unknown as { taken: boolean }).taken)).toBe(false);
    await page.keyboard.press('Control+1');
    expect(await page.evaluate(() => (window as unknown as { taken: boolean }).taken)).toBe(false);
    expect(await page.getByTestId('nav-translate').getAttribute('aria-current')).toBe('page');
    expect(await source()).toBe(PARAGRAPHS);
    // No tooltip promises a shortcut the browser keeps; a key no browser uses still works.
    expect(await page.getByTestId('nav-history').getAttribute('title')).toBe('History');
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    const before = await theme();
    await page.keyboard.press('Control+Shift+L');
    await expect.poll(theme).not.toBe(before);
    await page.keyboard.press('Control+Shift+L');
    await expect.poll(theme).toBe(before);
  });

  it('disables Swap with a reason when no model goes back, and never replaces the text', async () => {
    const { page } = ui;
    await translated();
    expect(await page.getByTestId('swap-langs').isDisabled()).toBe(true);
    const reason = await page.getByTestId('swap-wrap').getAttribute('title');
    expect(reason).toContain('Spanish → English');
    expect(await page.getByTestId('swap-langs').getAttribute('aria-describedby')).toBe('swap-reason');
    expect(await page.getByTestId('swap-reason').textContent()).toBe(reason);
    await page.keyboard.press('Control+Shift+S');
    await page.getByTestId('swap-wrap').click({ force: true });
    expect(await source()).toBe(PARAGRAPHS);
    expect(await page.getByTestId('from-lang').inputValue()).toBe('en');
    expect(await page.getByTestId('to-lang').inputValue()).toBe('es');
  });

  it('looks right at 1280 and 480 px, light and dark', async () => {
    const { page } = ui;
    await expect.poll(blankLines, { timeout: 60_000 }).toEqual([false, true, false, true, true, false]);
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    for (const width of [1280, 480]) {
      await page.setViewportSize({ width, height: 800 });
      for (const want of ['light', 'dark']) {
        if ((await theme()) !== want) await page.keyboard.press('Control+Shift+L');
        await expect.poll(theme).toBe(want);
        await page.screenshot({ path: join(SHOTS, `translate-page-${width}-${want}.png`) });
        if (width < 760) {
          // Stacked panes: the output's footer is further down the page's own scroll.
          await page.evaluate(() => document.querySelector('.content')?.scrollTo(0, 10_000));
          await page.screenshot({ path: join(SHOTS, `translate-page-${width}-${want}-end.png`) });
          await page.evaluate(() => document.querySelector('.content')?.scrollTo(0, 0));
        }
      }
    }
    await page.keyboard.press('Control+Shift+L');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('says a missing model is missing, with a way to the Models page and no command to run', async () => {
    const { page } = ui;
    // No installed model translates from Spanish, so the picker cannot choose it: a saved draft can.
    // Written while the Translate page is closed (it saves its own draft as it goes).
    await page.getByTestId('nav-history').click();
    await page.evaluate(() => localStorage.setItem('parla.translate.draft', JSON.stringify({ text: 'Hola amigo.', from: 'es', to: 'en', beam: 1 })));
    await page.reload();
    await page.getByTestId('nav-translate').click();
    const error = page.getByTestId('translate-error');
    await error.waitFor({ timeout: 60_000 });
    const text = (await error.textContent()) ?? '';
    expect(text).toContain('Spanish → English');
    expect(text).not.toMatch(/parla |run:|download Xenova|--/);
    expect(await source()).toBe('Hola amigo.');
    await page.getByTestId('error-get-model').click();
    await page.getByTestId('catalog-search').waitFor();
    await page.getByTestId('nav-translate').click();
    await page.getByTestId('from-lang').selectOption('en');
    await page.getByTestId('to-lang').selectOption('es');
  });

  it('translates a 1,200-line paste in parts, with progress, every line in order', async () => {
    const { page } = ui;
    const sentences = ['Open the file.', 'The book is red.', 'Hello world.', 'Save the file.', 'Close the door.', 'The cat is black.', 'Good morning.', 'Thank you.', 'Where is the station?', 'I like coffee.', 'The house is big.', 'See you tomorrow.'];
    // The same request the page makes, so the page's answers come from the cache: the point here is
    // the parts, not the model's speed.
    const warm = await api('/api/v1/translate', { texts: sentences, to: 'es', from: 'en', suggest: true });
    expect(warm.status).toBe(200);
    const expected = ((await warm.json()) as { translations: { text: string }[] }).translations.map((t) => t.text);
    const lines = Array.from({ length: 1200 }, (_, i) => sentences[i % sentences.length]!);

    // The second part waits until the progress of the first has been seen.
    let calls = 0;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/v1/translate', async (route) => {
      if (++calls === 2) await held;
      await route.continue();
    });
    await page.getByTestId('source-text').fill(lines.join('\n'));
    await expect.poll(() => page.getByTestId('translate-progress').textContent(), { timeout: 60_000 }).toBe('100 of 1,200 lines translated');
    // The first part shows while the rest comes; it cannot be copied or saved until whole.
    expect(((await output()) ?? '').split('\n')).toEqual(lines.slice(0, 100).map((_, i) => expected[i % sentences.length]));
    expect(await page.getByTestId('copy-translation').isDisabled()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'translate-page-parts.png') });
    release();
    await expect.poll(async () => ((await output()) ?? '').split('\n').length, { timeout: 90_000 }).toBe(1200);
    expect(((await output()) ?? '').split('\n')).toEqual(lines.map((_, i) => expected[i % sentences.length]));
    expect(await page.getByTestId('translate-error').count()).toBe(0);
    expect(await page.getByTestId('translate-progress').count()).toBe(0);
    expect(await page.getByTestId('copy-translation').isEnabled()).toBe(true);
    expect(calls).toBeGreaterThanOrEqual(12);
    await page.unroute('**/api/v1/translate');
  });

  it('swaps languages and texts once the model for the way back is installed', async () => {
    const { page } = ui;
    expect((await api('/api/v1/models/download', { id: 'Xenova/opus-mt-es-en' })).status).toBe(200);
    await expect.poll(async () => JSON.stringify(await (await api('/api/v1/models')).json()), { timeout: 60_000 }).toContain('Xenova/opus-mt-es-en');
    await page.getByTestId('source-text').fill('Open the file.');
    await page.getByTestId('nav-models').click();
    await page.getByTestId('nav-translate').click();
    await translated();
    await expect.poll(() => page.getByTestId('swap-langs').isEnabled()).toBe(true);
    await expect.poll(output, { timeout: 60_000 }).not.toBe('Open the file.');
    const before = (await output()) ?? '';
    await page.getByTestId('swap-langs').click();
    expect(await page.getByTestId('from-lang').inputValue()).toBe('es');
    expect(await page.getByTestId('to-lang').inputValue()).toBe('en');
    expect(await source()).toBe(before);
  });
});
