// Slow: a `parla batch` in another process shares the data dir with an API (as `parla serve` or
// the app would) that closes meanwhile. Needs `npm run build:node`.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openParlaApi } from '../../src/core/api/local-api.js';
import { openLocalState } from '../../src/core/state.js';
import type { JobRecord } from '../../src/shared/jobs.js';
import { FakeTranslator } from '../state/helpers/fake-translator.js';
import { ensureBuilt, tempDataDir } from './host-helpers.js';

const SLOW_BATCH = fileURLToPath(new URL('./fixtures/slow-batch.mjs', import.meta.url));
const dirs: string[] = [];

beforeAll(() => ensureBuilt());
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function jobsIn(dataDir: string): Promise<JobRecord[]> {
  const state = openLocalState({ dataDir, openEngine: async () => new FakeTranslator() });
  try {
    return await state.queue.list();
  } finally {
    await state.close();
  }
}

describe('closing the API (slow)', () => {
  it('pauses the jobs this process runs and leaves a `parla batch` of another process running', async () => {
    const dataDir = await tempDataDir();
    dirs.push(dataDir);
    const input = join(dataDir, 'rows.csv');
    writeFileSync(input, ['id,text', ...Array.from({ length: 16_000 }, (_, i) => `${i},Row ${i} of the other terminal`)].join('\n') + '\n');
    const batch = spawn(process.execPath, [SLOW_BATCH, '200', dataDir, input, '--to', 'es', '--columns', 'text', '--json'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    batch.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = once(batch, 'exit') as Promise<[number | null]>;
    try {
      await expect.poll(async () => (await jobsIn(dataDir)).find((j) => j.status === 'running')?.progress.done ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
      const [other] = await jobsIn(dataDir);

      // The API finds the other process's job running (it follows it) and runs one of its own.
      const api = await openParlaApi({ dataDir, door: 'api', openEngine: async () => new FakeTranslator({ delayMs: 200 }) });
      const own = await api.createTextJob({ texts: Array.from({ length: 2000 }, (_, i) => `Text ${i} of the API`), to: 'es' });
      await expect.poll(async () => (await api.getJob(own.id)).progress.done, { timeout: 20_000 }).toBeGreaterThan(0);
      const closing = Date.now();
      await api.close();
      expect(Date.now() - closing).toBeLessThan(5000);

      const after = await jobsIn(dataDir);
      expect(after.find((j) => j.id === own.id)?.status).toBe('paused');
      expect(after.find((j) => j.id === other!.id)?.status).toBe('running');
      const [code] = await exited;
      expect(code).toBe(0);
      const done = JSON.parse(stdout) as JobRecord;
      expect(done).toMatchObject({ id: other!.id, status: 'done', progress: { done: 16_000, total: 16_000 } });
    } finally {
      batch.kill('SIGKILL');
    }
  }, 90_000);
});
