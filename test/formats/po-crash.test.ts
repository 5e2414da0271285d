// Real kill -9 of `node bin/parla.js batch` (from dist/, the bundled model) in the middle of a
// 5,000-entry PO job, then resume: the catalog written equals an uninterrupted run's byte for
// byte, and passes msgfmt --check. Slow: spawns processes; needs `npm run build:node` first.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTmpDirs } from '../state/helpers/tmp.js';
// @ts-expect-error a plain ES module shared with bench/formats.mjs
import { makePo } from '../fixtures/make-po.mjs';

const tmp = useTmpDirs('parla-po-crash-');
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/parla.js');
const hasRealCli = existsSync(join(root, 'dist/cli/main.js')) && existsSync(join(root, 'resources/models/parla-tiny-en-es/config.json'));
const ENTRIES = 5000;
/** Distinct texts: what the model translates (each once per run). Small enough for a 2-core CI run. */
const UNIQUE = 200;
const KILLS = 3;

async function run(args: string[], killAfterMs?: number): Promise<{ code: number | null; killed: boolean; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  const p = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d) => (stdout += d));
  p.stderr.on('data', (d) => (stderr += d));
  let killed = false;
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => (killed = p.kill('SIGKILL')), killAfterMs);
  const [code] = (await once(p, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, killed: killed && code === null, stdout, stderr, ms: performance.now() - started };
}

describe.skipIf(!hasRealCli)('kill -9 of `parla batch` on a 5,000-entry PO catalog (slow; real CLI and bundled model)', () => {
  it(`resumes after ${KILLS} kills with the catalog an uninterrupted run writes`, async () => {
    const dir = tmp();
    const input = join(dir, 'big.pot');
    writeFileSync(input, (makePo as (n: number, u: number) => string)(ENTRIES, UNIQUE));
    const args = (out: string, data: string) => ['batch', input, '--to', 'es', '--from', 'en', '--no-fuzzy', '--out', out, '--json', '--data-dir', join(dir, data)];

    const reference = join(dir, 'reference.es.po');
    const ref = await run(args(reference, 'data-ref'));
    expect(ref.stderr).not.toMatch(/parla:/u);
    expect(ref.code).toBe(0);

    const out = join(dir, 'crashed.es.po');
    let kills = 0;
    for (let attempt = 0; attempt < 20 && kills < KILLS; attempt++) {
      // Kill points spread over the part of the uninterrupted run's length that is still left.
      const r = await run(args(out, 'data'), Math.max(400, ref.ms * (0.15 + 0.1 * Math.random())));
      if (r.killed) kills += 1;
      else break;
      expect(existsSync(out)).toBe(false); // never half a catalog
    }
    const final = await run(args(out, 'data'));
    expect(final.code).toBe(0);
    const job = JSON.parse(final.stdout) as { status: string; progress: { done: number; total: number }; entries: { translated: number } };
    expect(job.status).toBe('done');
    expect(job.progress.done).toBe(job.progress.total);
    expect(kills).toBeGreaterThanOrEqual(1);
    expect(readFileSync(out).equals(readFileSync(reference))).toBe(true);
    expect(job.entries.translated + (job as unknown as { entries: { skipped: number } }).entries.skipped).toBe(ENTRIES);
    // Without fuzzy marks msgfmt checks every entry's placeholders and plural forms.
    execFileSync('msgfmt', ['--check', '-o', '/dev/null', out], { stdio: 'pipe' });
  }, 900_000);
});
