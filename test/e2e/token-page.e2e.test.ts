// A wrong or missing token in web mode (issue 14): the browser shows a page that says what
// happened and how to get the right link (`parla serve` prints it), never the API's raw JSON;
// scripts still get the JSON error. Against a real `parla serve`.
// Screenshots: test/e2e/screenshots/token-*.png at 1280×800 and 480×800, light and dark.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveUi, type ServedUi } from './serve-helper.js';

const SHOTS = join(import.meta.dirname, 'screenshots');
let ui: ServedUi;

beforeAll(async () => {
  ui = await serveUi();
});
afterAll(async () => {
  await ui?.close();
});

/** `reloadUntil`: the app reads the system theme as it starts, so it is reloaded until that test id shows. */
async function shots(name: string, reloadUntil?: string): Promise<void> {
  const { page } = ui;
  for (const width of [1280, 480]) {
    await page.setViewportSize({ width, height: 800 });
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      if (reloadUntil) {
        await page.reload();
        await page.getByTestId(reloadUntil).waitFor();
      }
      await page.screenshot({ path: join(SHOTS, `${name}-${width}-${colorScheme}.png`) });
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('the token pages', () => {
  it('a link with a wrong token opens a page that says how to get the right link', async () => {
    const { page, origin } = ui;
    const res = await page.goto(`${origin}/?token=not-the-right-token`);
    expect(res?.status()).toBe(401);
    expect(res?.headers()['content-type']).toContain('text/html');
    const text = (await page.getByTestId('token-page').textContent()) ?? '';
    expect(text).toContain('not accepted');
    expect(text).toContain('parla serve');
    expect(text).not.toContain('UNAUTHORIZED');
    expect(await page.evaluate(() => document.styleSheets.length)).toBe(1); // the style block passed the CSP
    await shots('token-wrong');

    // A script (no text/html in Accept) still gets the API's error.
    const scripted = await fetch(`${origin}/?token=not-the-right-token`);
    expect(scripted.status).toBe(401);
    expect(await scripted.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });

  it('the UI without a token says the same, in the app', async () => {
    const { page, origin } = ui;
    await page.context().clearCookies();
    await page.goto(`${origin}/`);
    await page.getByTestId('auth-error').waitFor();
    expect(await page.getByTestId('auth-error').textContent()).toContain('parla serve');
    await shots('token-missing', 'auth-error');
  });
});
