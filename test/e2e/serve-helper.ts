// A real `parla serve` on a free port with its own data dir, and a headless Chromium on its UI.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = process.env.PARLA_CHROMIUM ?? '/usr/bin/chromium';

export interface ServedUi {
  /** The UI link with its token, as `parla serve` prints it. */
  link: string;
  origin: string;
  token: string;
  page: Page;
  close(): Promise<void>;
}

export async function serveUi(env: Record<string, string> = {}): Promise<ServedUi> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parla-e2e-serve-'));
  const serve: ChildProcess = spawn(process.execPath, [join(import.meta.dirname, '../../bin/parla.js'), 'serve', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const [link] = (await once(createInterface({ input: serve.stdout! }), 'line')) as [string];
  const url = new URL(link);
  const userDataDir = await mkdtemp(join(tmpdir(), 'parla-e2e-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    viewport: { width: 1280, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(link);
  return {
    link,
    origin: url.origin,
    token: url.searchParams.get('token') ?? '',
    page,
    async close() {
      await context.close();
      serve.kill('SIGTERM');
      await once(serve, 'exit');
      await rm(dataDir, { recursive: true, force: true });
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

const SHOTS = join(import.meta.dirname, 'screenshots');

/** The page at 1280×800 and 480×800 in the light and dark themes: screenshots/NAME-WIDTH-THEME.png. */
export async function screenshotSizesAndThemes(page: Page, name: string): Promise<void> {
  for (const width of [1280, 480]) {
    await page.setViewportSize({ width, height: 800 });
    for (const theme of ['light', 'dark']) {
      await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
      await page.screenshot({ path: join(SHOTS, `${name}-${width}-${theme}.png`) });
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));
}
