#!/usr/bin/env node
// `npm start`: builds the app if needed and launches Electron. Where Electron's runtime is not
// installed (npm's allowScripts skips its download) and cannot be fetched now, it says so in one
// line and points to the browser UI, which needs no Electron.
// PARLA_NO_DOWNLOAD=1 skips the download attempt; PARLA_START_DRY_RUN=1 prints instead of launching.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const path = require('electron'); // throws while the runtime is not downloaded
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function tryDownload() {
  if (process.env.PARLA_NO_DOWNLOAD === '1') return false;
  let installer;
  try {
    installer = require.resolve('electron/install.js');
  } catch {
    return false;
  }
  const result = spawnSync(process.execPath, [installer], { cwd: root, stdio: 'ignore', timeout: 120_000 });
  return result.status === 0;
}

let binary = electronBinary();
if (!binary && tryDownload()) binary = electronBinary();
if (!binary) {
  process.stderr.write("parla: Electron's runtime is not installed and could not be downloaded; use the browser UI instead: npx parla serve\n");
  process.exit(1);
}

if (!existsSync(new URL('../out/main/index.js', import.meta.url))) {
  const built = spawnSync(process.execPath, [require.resolve('electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

if (process.env.PARLA_START_DRY_RUN === '1') {
  process.stdout.write(`${binary} ${root}\n`);
  process.exit(0);
}
const child = spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
