// Settings (issue 14): edits not saved are said so; leaving the page asks first (save, leave
// without saving, or stay), closing or reloading the window is held back (beforeunload); a
// refused value is named as the page labels it, never by its key. Against a real `parla serve`.
// Screenshots: test/e2e/screenshots/settings-leave-*.png and settings-error-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/shared/settings.js';
import { screenshotSizesAndThemes, serveUi, type ServedUi } from './serve-helper.js';

let ui: ServedUi;

beforeAll(async () => {
  ui = await serveUi();
});
afterAll(async () => {
  await ui?.close();
});

const stored = async (): Promise<Settings> => (await (await fetch(`${ui.origin}/api/v1/settings`, { headers: { authorization: `Bearer ${ui.token}` } })).json()) as Settings;
/** Whether the page holds a reload or close back (its beforeunload handler cancels the event). */
const holdsUnload = () => ui.page.evaluate(() => !window.dispatchEvent(new Event('beforeunload', { cancelable: true })));
const current = () => ui.page.locator('.nav-item[aria-current="page"]').getAttribute('data-testid');


async function typeInto(testId: string, text: string): Promise<void> {
  const field = ui.page.getByTestId(testId);
  await field.click();
  await field.press('ControlOrMeta+a');
  await ui.page.keyboard.type(text);
}

describe('Settings with unsaved edits', () => {
  it('says so, asks before leaving the page, and holds a reload back', async () => {
    const { page } = ui;
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('cache-size').waitFor();
    expect(await holdsUnload()).toBe(false);
    const before = (await stored()).cache.maxEntries;
    await typeInto('cache-size', '5000');
    await page.getByTestId('settings-unsaved').waitFor();
    expect(await holdsUnload()).toBe(true);

    await page.getByTestId('nav-history').click();
    await page.getByTestId('settings-leave').waitFor();
    expect(await current()).toBe('nav-settings');
    await screenshotSizesAndThemes(ui.page, 'settings-leave');

    await page.getByTestId('settings-leave-stay').click();
    expect(await page.getByTestId('settings-leave').count()).toBe(0);
    expect(await page.getByTestId('cache-size').inputValue()).toBe('5000');

    await page.getByTestId('nav-history').click();
    await page.getByTestId('settings-leave-discard').click();
    await page.getByTestId('history-title').or(page.locator('#history-title')).waitFor();
    expect(await current()).toBe('nav-history');
    expect((await stored()).cache.maxEntries).toBe(before);
    expect(await holdsUnload()).toBe(false);

    await page.getByTestId('nav-settings').click();
    expect(await page.getByTestId('cache-size').inputValue()).toBe(String(before));
  });

  it('Save and continue saves, then goes', async () => {
    const { page } = ui;
    await typeInto('cache-size', '4000');
    await page.getByTestId('nav-translate').click();
    await page.getByTestId('settings-leave-save').click();
    await page.getByTestId('source-text').waitFor();
    expect((await stored()).cache.maxEntries).toBe(4000);
  });

  it('names a refused field as the page labels it, in place', async () => {
    const { page } = ui;
    await page.getByTestId('nav-settings').click();
    await typeInto('cache-size', '0');
    await page.getByTestId('settings-save').click();
    const error = page.getByTestId('settings-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('Max entries must be a whole number of 1 or more.');
    await screenshotSizesAndThemes(ui.page, 'settings-error');

    await typeInto('cache-size', '4000');
    await typeInto('threads', '300');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => error.textContent()).toBe('Threads must be ≤ 256.');

    await typeInto('threads', '0');
    await typeInto('memory-threshold', '30');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => error.textContent()).toBe('Suggest from (% similar) must be from 50 to 100.');
    await typeInto('memory-threshold', '75');
    await typeInto('review-min-confidence', '150');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => error.textContent()).toBe('Flag for review below (% sure) must be from 0 to 100.');
    await typeInto('review-min-confidence', '30');
    for (const text of [await error.textContent()]) expect(text).not.toMatch(/cache\.|memory\.|maxEntries|threshold/u);
  });

  it('lets a number field be emptied while typing, and refuses to save it empty', async () => {
    const { page } = ui;
    await typeInto('memory-threshold', '80');
    const before = (await stored()).cache.ttlDays;
    const field = page.getByTestId('cache-ttl');
    await field.click();
    await field.press('ControlOrMeta+a');
    await field.press('Backspace');
    // Emptied, not replaced by a 0 the person never typed.
    expect(await field.inputValue()).toBe('');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.getByTestId('settings-error').textContent()).toBe('Keep for (days) needs a number.');
    expect((await stored()).cache.ttlDays).toBe(before);
    await field.fill('30');
    await page.getByTestId('settings-save').click();
    await expect.poll(async () => (await stored()).cache.ttlDays).toBe(30);
  });
});
