// Where Parla keeps things: the data dir (flag > env > XDG default), the models inside it, the
// bundled model shipped with the package, and the model host's socket and lock.
import { createHash } from 'node:crypto';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.PARLA_DATA_DIR) return resolve(env.PARLA_DATA_DIR);
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'parla');
}

/** The package root: this file sits at src/core/paths.ts or dist/core/paths.js. */
export function packageRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function bundledModelsDir(): string {
  return join(packageRoot(), 'resources', 'models');
}

export function modelsDir(dataDir: string): string {
  return join(dataDir, 'models');
}

/**
 * The host's socket. Unix socket paths are limited to ~104 bytes, so deep data dirs fall back
 * to a per-data-dir name in the temp dir; Windows uses a named pipe.
 */
export function hostSocketPath(dataDir: string): string {
  const id = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
  if (process.platform === 'win32') return `\\\\.\\pipe\\parla-host-${id}`;
  const inDir = join(dataDir, 'host.sock');
  return inDir.length <= 100 ? inDir : join(tmpdir(), `parla-host-${id}.sock`);
}

export function hostLockPath(dataDir: string): string {
  return join(dataDir, 'host.lock');
}

export function hostLogPath(dataDir: string): string {
  return join(dataDir, 'host.log');
}
