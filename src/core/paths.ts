// Where Parla keeps things: the data dir (flag > env > the platform's default), the models inside it, the
// bundled model shipped with the package, and the model host's secret, lock and log (its socket
// needs checks as well as a name: src/core/host/socket-dir.ts).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, posix, resolve, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The one data dir every door uses (the desktop app, the CLI, `parla serve`, and the workers
 * they start with it), so all share one cache, history, queue and model host.
 */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home?: string): string {
  if (flag) return resolve(flag);
  if (env.PARLA_DATA_DIR) return resolve(env.PARLA_DATA_DIR);
  // The home os.homedir() would find in `env` (which may be a child's, not ours).
  return platformDataDir(env, platform, home ?? ((platform === 'win32' ? env.USERPROFILE : env.HOME) || homedir()));
}

/**
 * Each platform's folder for an application's data, as env-paths has it (without its `-nodejs`
 * suffix; roaming AppData on Windows, where Electron keeps an app's data too).
 */
export function platformDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', 'parla');
  if (platform === 'win32') return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), 'parla');
  return posix.join(env.XDG_DATA_HOME || posix.join(home, '.local', 'share'), 'parla');
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

/** The installed release: the CLI's package.json, or the app's (its bundle sits two folders down too). */
export function packageVersion(): string {
  const { version } = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  return typeof version === 'string' ? version : 'unknown';
}
