// Shared setup for tests that run the real model host: a built dist/, a temp data dir, and
// short engine timeouts passed to spawned hosts through PARLA_ENGINE_SETTINGS.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostEntry } from '../../src/core/host/spawn-host.js';
import { verifyEntry } from '../../src/core/models/verify-model.js';
import { packageRoot } from '../../src/core/paths.js';

export function ensureBuilt(): void {
  if (!existsSync(hostEntry()) || !existsSync(verifyEntry())) execFileSync('npx', ['tsc', '-p', 'tsconfig.node.json'], { cwd: packageRoot(), stdio: 'inherit' });
}

export function useShortHostSettings(extra: Record<string, number> = {}): void {
  process.env.PARLA_ENGINE_SETTINGS = JSON.stringify({ hostIdleMs: 3000, intraOpNumThreads: 1, ...extra });
}

export function tempDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'parla-host-'));
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface CliRun {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs the built `parla` command as its own process on `dataDir`, stdin given or closed. */
export async function runParla(args: string[], dataDir: string, input?: string): Promise<CliRun> {
  const child = execFile(process.execPath, [join(packageRoot(), 'bin', 'parla.js'), ...args, '--data-dir', dataDir]);
  child.stdin!.end(input);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: string) => (stdout += d));
  child.stderr!.on('data', (d: string) => (stderr += d));
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
  return { stdout, stderr, code };
}
