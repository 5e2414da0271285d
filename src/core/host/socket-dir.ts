// Where the model host listens. Every text a client translates goes through this socket, so it
// lives in a folder only its user can enter: whoever could create a socket there first would
// receive those texts. Clients check the folder before connecting and the host before binding.
//
// Unix: `$XDG_RUNTIME_DIR/parla/` when that runtime dir is the user's own (a tmpfs the login
// session provides), else `<dataDir>/run/`. A socket path is limited to ~104 bytes, so when a deep
// data dir makes that too long, the folder is a fresh `mkdtemp` one under the temp dir (random
// name, 0700; the sticky temp dir keeps others from renaming it) whose path is recorded in the
// private data dir for every later client and host. Windows: a named pipe; anyone may try to
// open one there, so the secret handshake (host-auth.ts) is what keeps strangers out.
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ParlaError } from '../../shared/errors.js';
import { PRIVATE_DIR_MODE, ensurePrivateDir, isShared, writePrivateFile } from '../private-fs.js';

/** sun_path holds 104 bytes on macOS (108 on Linux), the terminating NUL included. */
const MAX_SOCKET_BYTES = 100;

const RECORD_FILE = 'host-run-dir';

const fits = (path: string) => Buffer.byteLength(path) <= MAX_SOCKET_BYTES;

/** What is wrong with `stats` for a folder that must be the user's alone; undefined when nothing. */
function folderProblem(stats: Stats): string | undefined {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (!stats.isDirectory()) return 'not a folder';
  if (stats.uid !== process.getuid!()) return `owned by uid ${stats.uid}, not by you (uid ${process.getuid!()})`;
  if (isShared(stats.mode)) return `open to others (mode ${(stats.mode & 0o777).toString(8)})`;
  return undefined;
}

/** Refuses a socket folder that is not the user's alone, with the fix in the one line. */
export function assertPrivateSocketDir(dir: string): void {
  if (process.platform === 'win32') return;
  let stats: Stats;
  try {
    stats = lstatSync(dir);
  } catch {
    throw new ParlaError('HOST_UNTRUSTED', `the model host's folder ${dir} is missing`);
  }
  const problem = folderProblem(stats);
  if (problem) {
    throw new ParlaError('HOST_UNTRUSTED', `the model host's folder ${dir} is ${problem}; it must be yours alone (remove it and Parla makes a new one, or chmod 700 it)`);
  }
}

/** The socket in `dir`, which is created 0700 if missing and checked either way. */
function inFolder(dir: string, name: string): string {
  try {
    mkdirSync(dir, { mode: PRIVATE_DIR_MODE });
    chmodSync(dir, PRIVATE_DIR_MODE); // a umask can only take bits away; this pins the mode
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  assertPrivateSocketDir(dir);
  return join(dir, name);
}

/** The session's runtime dir, when it is the user's alone as the XDG spec promises. */
function runtimeDir(env: NodeJS.ProcessEnv): string | undefined {
  const dir = env.XDG_RUNTIME_DIR;
  if (!dir || !isAbsolute(dir)) return undefined;
  try {
    return folderProblem(lstatSync(dir)) ? undefined : dir;
  } catch {
    return undefined;
  }
}

/** The recorded temp folder if it is still there and private; else a new one, recorded. */
function recordedTempDir(dataDir: string): string {
  const record = join(dataDir, RECORD_FILE);
  const usable = (dir: string | undefined): dir is string => {
    if (!dir || !isAbsolute(dir) || !fits(join(dir, 'host.sock'))) return false;
    try {
      return folderProblem(lstatSync(dir)) === undefined;
    } catch {
      return false;
    }
  };
  const read = () => readFileSync(record, 'utf8').trim() || undefined;
  const recorded = (() => {
    try {
      return read();
    } catch {
      return undefined;
    }
  })();
  if (usable(recorded)) return recorded;
  // Gone (a reboot cleaned the temp dir) or taken over: a new random one, never the old name.
  const made = mkdtempSync(join(tmpdir(), 'parla-'));
  chmodSync(made, PRIVATE_DIR_MODE);
  writePrivateFile(record, made + '\n');
  // Two clients replacing the record at once: the last write names the folder both use.
  const winner = read();
  if (winner !== made && usable(winner)) {
    rmSync(made, { recursive: true, force: true });
    return winner;
  }
  return made;
}

/**
 * The model host's socket for `dataDir`, its folder made and checked (0700, the user's own).
 * The same on every call for a data dir, so the CLI, `parla serve` and the app share one host.
 */
export function hostSocketPath(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const id = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
  if (process.platform === 'win32') return `\\\\.\\pipe\\parla-host-${id}`;
  ensurePrivateDir(dataDir);
  const runtime = runtimeDir(env);
  if (runtime && fits(join(runtime, 'parla', `host-${id}.sock`))) return inFolder(join(runtime, 'parla'), `host-${id}.sock`);
  const run = join(resolve(dataDir), 'run');
  if (fits(join(run, 'host.sock'))) return inFolder(run, 'host.sock');
  const temp = recordedTempDir(dataDir);
  return inFolder(temp, 'host.sock');
}

