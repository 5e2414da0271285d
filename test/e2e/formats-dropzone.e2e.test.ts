// Each localization format through the app's drop zone against a real `parla serve` and the
// bundled model: dropped, previewed (what will be translated), run as a job to done, downloaded
// under the format's output name, and read back with its structure kept. Screenshots of each preview.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEXT_FORMATS } from '../../src/core/formats/index.js';
import { HAVE_MODEL } from '../engine/model-fixture.js';
import { serveUi, type ServedUi } from './serve-helper.js';

const SHOTS = join(import.meta.dirname, 'screenshots');
const FIXTURES = join(import.meta.dirname, '../fixtures/formats');
let ui: ServedUi;

beforeAll(async () => {
  if (HAVE_MODEL) ui = await serveUi();
});
afterAll(async () => {
  await ui?.close();
});

const CASES = [
  { file: 'app.xlf', format: 'xliff', summary: /^XLIFF: 5 of \d+ units to translate; the others keep their translation\.$/u, output: 'app.es.xlf' },
  { file: 'app2.xlf', format: 'xliff', summary: /^XLIFF: 3 of \d+ units to translate/u, output: 'app2.es.xlf' },
  { file: 'common.en.json', format: 'json', summary: 'JSON: 13 strings to translate.', output: 'common.es.json' },
  { file: 'film.srt', format: 'srt', summary: 'SRT: 5 cues to translate.', output: 'film.es.srt' },
  { file: 'talk.vtt', format: 'vtt', summary: 'WebVTT: 4 cues to translate.', output: 'talk.es.vtt' },
] as const;

describe.skipIf(!HAVE_MODEL)('localization files through the drop zone', () => {
  for (const c of CASES) {
    it(`${c.file}: previewed, translated, downloaded with its structure kept`, async () => {
      const { page } = ui;
      await page.getByTestId('nav-batch').click();
      const content = readFileSync(join(FIXTURES, c.file), 'utf8');
      const dataTransfer = await page.evaluateHandle(([name, text]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([text], name));
        return dt;
      }, [c.file, content] as const);
      await page.dispatchEvent('main', 'dragover', { dataTransfer });
      await page.dispatchEvent('main', 'drop', { dataTransfer });
      await page.getByTestId('units-preview').waitFor();
      const summary = (await page.getByTestId('units-summary').textContent()) ?? '';
      if (typeof c.summary === 'string') expect(summary).toBe(c.summary);
      else expect(summary).toMatch(c.summary);
      await page.screenshot({ path: join(SHOTS, `batch-${c.file.replace(/\W+/gu, '-')}-preview.png`) });
      await page.getByTestId('start-job').click();
      const job = page.locator('li.job[data-status]', { hasText: c.file });
      await expect.poll(() => job.getAttribute('data-status'), { timeout: 90_000 }).toBe('done');
      const [download] = await Promise.all([page.waitForEvent('download'), job.getByTestId('job-download').click()]);
      expect(download.suggestedFilename()).toBe(c.output);
      const body = await readFile((await download.path())!, 'utf8');
      const format = TEXT_FORMATS.find((f) => f.id === c.format)!;
      const before = format.units(format.parse(content, 'in'));
      const after = format.units(format.parse(body, 'out'));
      expect(after.map((u) => u.id)).toEqual(before.map((u) => u.id));
      expect(body).not.toBe(content);
      if (c.format === 'srt' || c.format === 'vtt') {
        const timings = (text: string) => text.split(/\r?\n/u).filter((l) => l.includes('-->'));
        expect(timings(body)).toEqual(timings(content));
      }
      if (c.format === 'json') expect(Object.keys(JSON.parse(body) as object)).toEqual(Object.keys(JSON.parse(content) as object));
      if (c.format === 'xliff') expect(after.filter((u) => u.existing).length).toBeGreaterThan(before.filter((u) => u.existing).length);
    });
  }
});
