// The desktop app's data dir: the same folder the CLI and `parla serve` use (src/core/paths.ts),
// not Electron's userData, so the app shares their cache, history, jobs and model host.
// `PARLA_DATA_DIR` or `--data-dir DIR` on the app's command line override it, as for the CLI.
import { parseArgs } from 'node:util';
import { resolveDataDir } from '../core/paths.js';

export function appDataDir(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  // Electron and Chromium add switches of their own: read ours and leave the rest alone.
  const { values } = parseArgs({ args: [...argv], options: { 'data-dir': { type: 'string' } }, strict: false, allowPositionals: true });
  const flag = values['data-dir'];
  return resolveDataDir(typeof flag === 'string' ? flag : undefined, env);
}
