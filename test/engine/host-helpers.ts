// Shared setup for tests that run the real model host: a built dist/, a temp data dir, and
// short engine timeouts passed to spawned hosts through PARLA_ENGINE_SETTINGS.
import { execFileSync } from 'node:child_process';
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
