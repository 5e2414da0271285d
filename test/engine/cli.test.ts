// Slow: runs the built `parla` command as separate processes sharing one model host.
import { execFile, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../src/core/api/settings-store.js';
import { HostClient } from '../../src/core/host/host-client.js';
import { packageRoot } from '../../src/core/paths.js';
import { HAVE_GOLDEN, loadGolden } from './model-fixture.js';
import { alive, ensureBuilt, runParla, tempDataDir, useShortHostSettings, type CliRun } from './host-helpers.js';

const run = promisify(execFile);
const bin = join(packageRoot(), 'bin', 'parla.js');
let dataDir: string;
const pids: number[] = [];

beforeAll(() => ensureBuilt());
afterEach(async () => {
  for (const pid of pids.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function parla(args: string[], input?: string): Promise<CliRun> {
  return runParla(args, dataDir, input);
}

describe('parla CLI usage errors', () => {
  it('exits 2 with one line on stderr', async () => {
    dataDir = await tempDataDir();
    const missing = await parla(['translate', 'hello']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('parla: missing --to LANG (e.g. --to es)\n');
    const pair = await parla(['translate', 'hello', '--to', 'de']);
    expect(pair.code).toBe(2);
    expect(pair.stderr).toBe('parla: no model for en→de; run: parla models download Xenova/opus-mt-en-de\n');
    const unknown = await run(process.execPath, [bin, 'nope']).then(
      () => ({ code: 0 }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(unknown.code).toBe(2);
    // node's multi-line option errors keep their hint, on the one line.
    const dash = await parla(['history', '--limit', '-5']);
    expect(dash.code).toBe(2);
    expect(dash.stderr.split('\n')).toHaveLength(2);
    expect(dash.stderr).toContain("use '--limit=-XYZ'");
    const since = await parla(['history', '--since', 'last week']);
    expect(since.code).toBe(2);
    expect(since.stderr).toBe('parla: since must be a date like 2026-11-29 or an ISO time like 2026-11-29T08:00:00Z, not "last week"\n');
  });
});

describe.skipIf(!HAVE_GOLDEN)('parla translate (slow)', () => {
  it('flags low_confidence by the threshold saved in Settings, from the next translation on', async () => {
    dataDir = await tempDataDir();
    const flagsOf = async () => {
      const out = await parla(['translate', 'Open the file', '--to', 'es', '--json', '--no-cache']);
      expect(out.code, out.stderr).toBe(0);
      const [t] = JSON.parse(out.stdout) as { confidence: number; flags: string[] }[];
      return t!;
    };
    const sure = await flagsOf();
    expect(sure.flags).toEqual([]);
    expect(() => new SettingsStore(dataDir).set({ review: { minConfidence: 1.5 } })).toThrow('Flag for review below (% sure) must be from 0 to 100 %');
    new SettingsStore(dataDir).set({ review: { minConfidence: Math.min(1, sure.confidence + 0.05) } });
    const strict = await flagsOf();
    expect(strict.confidence).toBeCloseTo(sure.confidence, 6);
    expect(strict.flags).toEqual(['low_confidence']);
    pids.push((await new HostClient(dataDir).call('stats', {})).pid);
  });

  it('two concurrent processes share one host and one model load', async () => {
    useShortHostSettings({ batchWindowMs: 20 });
    dataDir = await tempDataDir();
    const golden = loadGolden();
    const [a, b] = await Promise.all([
      parla(['translate', golden.items[0]!.source, '--to', 'es']),
      parla(['translate', '--to', 'es', '--json'], `${golden.items[1]!.source}\n${golden.items[2]!.source}\n`),
    ]);
    // Both processes' output, shown by any failing check below.
    const seen = JSON.stringify({ a, b });
    // No error; the review summary line is the model's business (this output may loop).
    expect(a.stderr.replace(/^\d+ of \d+ lines? flagged for review \(--json says why\)\n$/, ''), seen).toBe('');
    expect(a.code, seen).toBe(0);
    // The CLI and the golden stop at different max lengths (the CLI caps by source length, the
    // golden at its own maxLength): the same greedy decode, so one must be a prefix of the other.
    expect(onePrefixesOther(a.stdout.trimEnd(), golden.items[0]!.greedy.text), seen).toBe(true);
    expect(a.stdout.split('\n').length, seen).toBe(2);
    expect(b.stderr, seen).toBe('');
    expect(b.code, seen).toBe(0);
    const json = JSON.parse(b.stdout) as { source: string; text: string; model: string; cached: boolean }[];
    expect(json.map((j, i) => onePrefixesOther(j.text, golden.items[i + 1]!.greedy.text)), seen).toEqual([true, true]);
    expect(json[0], seen).toMatchObject({ source: golden.items[1]!.source, model: 'parla/tiny-en-es', cached: false });
    const client = new HostClient(dataDir);
    const stats = await client.call('stats', {});
    pids.push(stats.pid);
    expect(stats, seen).toMatchObject({ loadCount: 1 });
    await client.close();
  });
});

describe.skipIf(!HAVE_GOLDEN)('parla translate from a terminal (slow)', () => {
  it('answers each line as it is typed, before stdin ends', async () => {
    useShortHostSettings();
    dataDir = await tempDataDir();
    const child = spawn(process.execPath, [bin, 'translate', '--to', 'es', '--data-dir', dataDir], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = async (n: number) => {
      const end = Date.now() + 30_000;
      while (stdout.split('\n').length <= n) {
        if (Date.now() > end) throw new Error(`no answer yet; stdout ${JSON.stringify(stdout)}, stderr ${JSON.stringify(stderr)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const golden = loadGolden();
    child.stdin.write(`${golden.items[0]!.source}\n`);
    await lines(1);
    child.stdin.write(`${golden.items[1]!.source}\n`);
    await lines(2);
    expect(child.exitCode).toBeNull(); // still waiting for more input
    child.stdin.end();
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(0);
    const [first, second] = stdout.trimEnd().split('\n');
    expect(onePrefixesOther(first!, golden.items[0]!.greedy.text)).toBe(true);
    expect(onePrefixesOther(second!, golden.items[1]!.greedy.text)).toBe(true);
    const stats = await new HostClient(dataDir).call('stats', {});
    pids.push(stats.pid);
  });
});

function onePrefixesOther(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}
