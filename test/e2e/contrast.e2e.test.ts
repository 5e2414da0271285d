// Every page's visible text against its real background, in both themes and at two widths
// (WCAG 2.1: 4.5:1 for text, 3:1 for large text; disabled controls are exempt), an error toast
// included. Runs against a real `parla serve`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_MODEL } from '../engine/model-fixture.js';
import { serveUi, type ServedUi } from './serve-helper.js';

let ui: ServedUi;

beforeAll(async () => {
  if (HAVE_MODEL) ui = await serveUi();
});
afterAll(async () => {
  await ui?.close();
});

interface LowContrast {
  text: string;
  ratio: number;
  needed: number;
}

/** In the page: each element with its own visible text, its contrast against the composited background. */
function lowContrast(): LowContrast[] {
  type Rgba = [number, number, number, number];
  const parse = (c: string): Rgba => {
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) return [0, 0, 0, 0];
    const [r, g, b, a] = m[1]!.split(/[\s,/]+/).filter(Boolean).map(Number);
    return [r!, g!, b!, a ?? 1];
  };
  const over = (top: Rgba, under: Rgba): Rgba => {
    const a = top[3] + under[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    const mix = (i: number) => (top[i]! * top[3] + under[i]! * under[3] * (1 - top[3])) / a;
    return [mix(0), mix(1), mix(2), a];
  };
  const background = (el: Element | null): Rgba => {
    if (!el) return [255, 255, 255, 1];
    const own = parse(getComputedStyle(el).backgroundColor);
    return own[3] >= 1 ? own : over(own, background(el.parentElement));
  };
  const luminance = ([r, g, b]: Rgba) => {
    const lin = (v: number) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const out: LowContrast[] = [];
  for (const el of Array.from(document.querySelectorAll('body *'))) {
    const own = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
    if (!own || el.closest(':disabled, [aria-disabled="true"], script, style')) continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
    const bg = background(el);
    const fg = over(parse(style.color), bg);
    const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a) as [number, number];
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const needed = large ? 3 : 4.5;
    if (ratio < needed) out.push({ text: el.textContent!.trim().slice(0, 40), ratio: Math.round(ratio * 100) / 100, needed });
  }
  return out;
}

const PAGES = ['translate', 'batch', 'history', 'glossary', 'models', 'settings'] as const;

describe.skipIf(!HAVE_MODEL)('contrast', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`every page's text reaches 4.5:1 (3:1 large) in the ${theme} theme, at 1280 and 480 px, error toast included`, async () => {
      const { page } = ui;
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByTestId('nav-settings').click();
      await page.locator('label', { has: page.getByTestId(`theme-${theme}`) }).click();
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      // Saved, or leaving Settings would ask about the unsaved edit first.
      await page.getByTestId('settings-save').click();
      await page.getByTestId('settings-unsaved').waitFor({ state: 'detached' });
      const found: Record<string, LowContrast[]> = {};
      for (const width of [1280, 480]) {
        await page.setViewportSize({ width, height: 800 });
        for (const name of PAGES) {
          await page.getByTestId(`nav-${name}`).click();
          await page.waitForTimeout(300);
          const low = await page.evaluate(lowContrast);
          if (low.length) found[`${name}@${width}`] = low;
        }
      }
      // An error toast: importing a folder that is no model.
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByTestId('nav-models').click();
      await page.getByTestId('model-dir').fill('/nonexistent/parla-contrast-check');
      await page.getByTestId('model-import').click();
      await page.locator('[data-testid="toast"].error').waitFor();
      const toast = await page.evaluate(lowContrast);
      if (toast.length) found['toast'] = toast;
      expect(found).toEqual({});
    });
  }
});
