// Where Parla keeps things: the data dir (flag > env > XDG default), the models inside it, the
// bundled model shipped with the package, and the model host's secret, lock and log (its socket
// needs checks as well as a name: src/core/host/socket-dir.ts).
import { homedir } from 'node:os';
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

/** The secret a client and the model host prove to each other that they know (see host-auth.ts). */
export function hostSecretPath(dataDir: string): string {
  return join(dataDir, 'host-secret');
}

export function hostLockPath(dataDir: string): string {
  return join(dataDir, 'host.lock');
}

export function hostLogPath(dataDir: string): string {
  return join(dataDir, 'host.log');
}
