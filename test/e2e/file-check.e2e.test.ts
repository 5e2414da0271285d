// Batch page: a file is looked at before any form is shown for it (issue 14). An image, a PDF,
// a binary file named .csv, an empty CSV or one with only its header is explained in one line
// where it was picked; the workbook form never appears for them, and no message holds a server
// path. Against a real `parla serve`. Screenshot: test/e2e/screenshots/file-check-*.png.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveUi, type ServedUi } from './serve-helper.js';

const SHOTS = join(import.meta.dirname, 'screenshots');
let ui: ServedUi;

beforeAll(async () => {
  ui = await serveUi();
  await ui.page.getByTestId('nav-batch').click();
});
afterAll(async () => {
  await ui?.close();
});

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
const PDF = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1');
const BINARY = Buffer.from([0x53, 0x4b, 0x55, 0x00, 0x01, 0x02, 0xff, 0x00, 0x10, 0x0a, 0x00, 0x7f]);

async function pick(name: string, buffer: Buffer): Promise<string> {
  const { page } = ui;
  await page.getByTestId('file-input').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
  const problem = page.getByTestId('file-problem');
  await problem.waitFor();
  return (await problem.textContent()) ?? '';
}

describe('Batch: files checked by content before a form', () => {
  it.each([
    ['photo.png', PNG, /^photo\.png is a PNG image, not a file Parla can translate\./u],
    ['manual.pdf', PDF, /^manual\.pdf is a PDF document, not a file Parla can translate\./u],
    ['data.csv', BINARY, /^data\.csv is not a text file \(its content is binary\)\./u],
    ['empty.csv', Buffer.alloc(0), /^empty\.csv is empty: there is nothing in it to translate\.$/u],
    ['header.csv', Buffer.from('sku,name\n'), /^header\.csv has a header row but no rows under it/u],
    ['fake.xlsx', Buffer.from('sku,name\nA,b\n'), /^fake\.xlsx is named like an Excel workbook but is not one inside/u],
  ])('%s is explained in one line, and no form is shown', async (name, buffer, expected) => {
    const text = await pick(name, buffer);
    expect(text).toMatch(expected);
    expect(text.split('\n')).toHaveLength(1);
    expect(text).not.toMatch(/uploads|\/tmp\//u);
    expect(await ui.page.getByTestId('batch-setup').count()).toBe(0);
    expect(await ui.page.getByTestId('sheet-plan').count()).toBe(0);
    if (name === 'photo.png') {
      for (const width of [1280, 480]) {
        await ui.page.setViewportSize({ width, height: 800 });
        for (const theme of ['light', 'dark']) {
          await ui.page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
          await ui.page.screenshot({ path: join(SHOTS, `file-check-${width}-${theme}.png`) });
        }
      }
      await ui.page.setViewportSize({ width: 1280, height: 800 });
      await ui.page.evaluate(() => (document.documentElement.dataset.theme = 'light'));
    }
  });

  it('a good CSV after a bad file shows its preview and clears the message', async () => {
    const { page } = ui;
    await page.getByTestId('file-input').setInputFiles({ name: 'catalog.csv', mimeType: 'text/csv', buffer: Buffer.from('sku,name\nSKU-1,Red shoes\n') });
    await page.getByTestId('preview').waitFor();
    expect(await page.getByTestId('file-problem').count()).toBe(0);
  });
});
