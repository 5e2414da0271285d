// Slow: the app's review workflow against a real `parla serve` (bundled en→es model, real
// detector, real SQLite, temp data dir) in Chromium. A mixed en/es/fr sheet started with "Detect
// language" ends with four rows to review (two already Spanish, two French with no model); the
// "Needs review" filter keeps the job, "Show rows to review" lists exactly those rows, and
// "Download only these rows" saves them (as GET /api/v1/jobs/:id/review serves them). Needs
// `npx electron-vite build` first and Debian's /usr/bin/chromium; the screenshot lands in
// test/e2e/screenshots/batch-review.png.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse/sync';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = process.env.PARLA_CHROMIUM ?? '/usr/bin/chromium';
const RENDERER = join(import.meta.dirname, '../../out/renderer');
const SHOTS = join(import.meta.dirname, 'screenshots');

const EN = ['The file could not be opened because it is locked by another program.', 'Please restart the computer to finish installing the updates.'];
const ES = ['No se pudo abrir el archivo porque otro programa lo tiene bloqueado.', 'Reinicie el equipo para terminar de instalar las actualizaciones.'];
const FR = ["Impossible d'ouvrir le fichier car il est verrouillé par un autre programme.", "Veuillez redémarrer l'ordinateur pour terminer l'installation des mises à jour."];
const CSV = 'id,text\n' + [EN[0], ES[0], FR[0], EN[1], ES[1], FR[1]].map((t, i) => `${i + 1},"${t}"`).join('\n') + '\n';

let serve: ChildProcess;
let dataDir: string;
let userDataDir: string;
let base: string;
let token: string;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  if (!existsSync(join(RENDERER, 'index.html'))) throw new Error('out/renderer is missing: run `npx electron-vite build`');
  dataDir = await mkdtemp(join(tmpdir(), 'parla-e2e-review-'));
  serve = spawn(process.execPath, [join(import.meta.dirname, '../../bin/parla.js'), 'serve', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: serve.stdout! }), 'line')) as [string];
  const link = new URL(line);
  base = link.origin;
  token = link.searchParams.get('token') ?? '';
  userDataDir = await mkdtemp(join(tmpdir(), 'parla-e2e-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(line);
}, 120_000);

afterAll(async () => {
  await context?.close();
  if (serve && serve.exitCode === null) {
    serve.kill('SIGTERM');
    await once(serve, 'exit');
  }
  await rm(userDataDir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

describe('rows to review in the app', () => {
  it('says which language it detected on the Translate page, and takes it as the source in one click', async () => {
    await page.getByTestId('nav-translate').click();
    await page.getByTestId('from-lang').selectOption({ label: 'Detect language' });
    await page.getByTestId('source-text').fill(EN[0]!);
    await expect.poll(() => page.getByTestId('detected-lang').textContent(), { timeout: 90_000 }).toBe('Detected: English');
    await page.screenshot({ path: join(SHOTS, 'translate-detected.png') });
    await page.getByTestId('detected-lang').click();
    expect(await page.getByTestId('from-lang').inputValue()).toBe('en');
  }, 120_000);

  it('filters jobs that need review, lists their flagged rows and downloads only those', async () => {
    await page.getByTestId('nav-batch').click();
    const dataTransfer = await page.evaluateHandle((content) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], 'tickets.csv', { type: 'text/csv' }));
      return dt;
    }, CSV);
    await page.dispatchEvent('main', 'dragover', { dataTransfer });
    await page.dispatchEvent('main', 'drop', { dataTransfer });
    await page.getByTestId('preview').waitFor();
    await page.getByTestId('batch-from').selectOption({ label: 'Detect language' });
    await page.getByTestId('start-job').click();

    const job = page.locator('li.job[data-status]').first();
    await expect.poll(() => job.getAttribute('data-status'), { timeout: 90_000, interval: 500 }).toBe('done');
    await expect.poll(() => job.getByTestId('job-flagged').textContent()).toBe('4 to review');

    // The filter keeps a job with rows to review.
    await page.getByTestId('jobs-needs-review').check();
    expect(await page.locator('li.job[data-status]').count()).toBe(1);

    await job.getByTestId('job-review').click();
    await page.getByTestId('review-rows').waitFor();
    const cells = await page.locator('[data-testid=review-rows] tbody tr').evaluateAll((rows) =>
      rows.map((r) => Array.from(r.querySelectorAll('td'), (td) => td.textContent ?? '')),
    );
    expect(cells).toEqual([
      ['2', ES[0], ES[0], 'same_language'],
      ['3', FR[0], '', 'no_model'],
      ['5', ES[1], ES[1], 'same_language'],
      ['6', FR[1], '', 'no_model'],
    ]);
    expect(await page.locator('.review-cell').first().getAttribute('title')).toBe('already in the target language: passed through');
    await page.waitForTimeout(300); // the progress bar's transition, for the screenshot
    await page.screenshot({ path: join(SHOTS, 'batch-review.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('job-review-download').click()]);
    expect(download.suggestedFilename()).toBe('tickets.es.review.csv');
    const saved = await readFile((await download.path())!, 'utf8');
    const rows = parse(saved) as string[][];
    expect(rows[0]).toEqual(['id', 'text', 'text (es)', 'text (es) review']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['2', '3', '5', '6']);

    // The same file from the HTTP API.
    const id = (await job.getAttribute('data-testid'))!.slice('job-'.length);
    const res = await fetch(`${base}/api/v1/jobs/${id}/review`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="tickets.es.review.csv"');
    expect(await res.text()).toBe(saved);
  }, 180_000);
});
