// One data dir for every door: the app's main picks the folder the CLI does (and `parla serve`,
// which is the CLI), following each platform's convention, overridable the same way.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { packageRoot, resolveDataDir } from '../../src/core/paths.js';
import { appDataDir } from '../../src/main/data-dir.js';
import { ensureBuilt } from '../engine/host-helpers.js';

describe('data dir', () => {
  it("follows each platform's convention", () => {
    expect(resolveDataDir(undefined, {}, 'linux', '/home/ana')).toBe('/home/ana/.local/share/parla');
    expect(resolveDataDir(undefined, { XDG_DATA_HOME: '/xdg' }, 'linux', '/home/ana')).toBe('/xdg/parla');
    expect(resolveDataDir(undefined, {}, 'darwin', '/Users/ana')).toBe('/Users/ana/Library/Application Support/parla');
    expect(resolveDataDir(undefined, { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ana')).toBe('C:\\Users\\ana\\AppData\\Roaming\\parla');
    expect(resolveDataDir(undefined, {}, 'win32', 'C:\\Users\\ana')).toBe('C:\\Users\\ana\\AppData\\Roaming\\parla');
  });

  it('is overridden by --data-dir, then PARLA_DATA_DIR, in the app as in the CLI', () => {
    const env = { PARLA_DATA_DIR: '/env/dir', XDG_DATA_HOME: '/xdg' };
    expect(resolveDataDir('/flag/dir', env)).toBe('/flag/dir');
    expect(resolveDataDir(undefined, env)).toBe('/env/dir');
    // Electron's argv holds its own switches and the app path around ours.
    expect(appDataDir(['.', '--no-sandbox', '--data-dir', '/flag/dir', '--enable-logging'], env)).toBe('/flag/dir');
    expect(appDataDir(['.', '--data-dir=/flag/dir'], env)).toBe('/flag/dir');
    expect(appDataDir(['.'], env)).toBe('/env/dir');
    expect(appDataDir([], { XDG_DATA_HOME: '/xdg' })).toBe('/xdg/parla');
  });

  it('is the same folder for the app and the real CLI by default', async () => {
    ensureBuilt();
    const home = await mkdtemp(join(tmpdir(), 'parla-home-'));
    try {
      const { PARLA_DATA_DIR: _d, XDG_DATA_HOME: _x, ...rest } = process.env;
      const env = { ...rest, HOME: home };
      await promisify(execFile)(process.execPath, [join(packageRoot(), 'bin', 'parla.js'), 'cache', 'stats', '--json'], { env });
      const appDir = appDataDir(['.'], env);
      expect(appDir).toBe(join(home, '.local', 'share', 'parla'));
      expect(existsSync(appDir) && readdirSync(appDir).length).toBeGreaterThan(0); // the CLI's database is there
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
