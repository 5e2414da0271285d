// Parla's own files hold texts, a team's Redis password and the `parla serve` token, so they are
// the user's alone: folders 0700, files 0600. Modes are given at create time AND fixed with chmod
// afterwards, because an existing file or folder (an older Parla, a copy, a hand edit) keeps
// whatever mode it had. Windows has no such modes: there these helpers only create.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fchmodSync, linkSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const POSIX = process.platform !== 'win32';

/** True when group or others have any access: what "private" rules out. */
export function isShared(mode: number): boolean {
  return (mode & 0o077) !== 0;
}

/**
 * Creates `dir` (and parents) as 0700 and takes group/other access off an existing one. A sticky
 * folder (`/tmp` given as `--data-dir`) or one another user owns is left alone: it is shared on
 * purpose, and the files Parla puts in it are private anyway.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (!POSIX) return;
  const s = statSync(dir);
  if (!isShared(s.mode) || (s.mode & 0o1000) !== 0 || s.uid !== process.getuid?.()) return;
  chmodSync(dir, s.mode & ~0o077 & 0o7777);
}

/** Takes group/other access off an existing file; a missing one is fine (nothing to leak). */
export function ensurePrivateFile(file: string): void {
  if (!POSIX) return;
  let mode: number;
  try {
    mode = lstatSync(file).mode;
  } catch {
    return;
  }
  if (isShared(mode)) chmodSync(file, PRIVATE_FILE_MODE);
}

/** Creates an empty 0600 file unless it exists, and makes an existing one private. */
export function touchPrivateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  ensurePrivateFile(file);
}

/** A new 0600 temp file next to `file` holding `data`; returns its path. */
function writeTemp(file: string, data: string): string {
  const tmp = join(dirname(file), `.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', PRIVATE_FILE_MODE);
  try {
    // The umask may have taken bits off the create mode, never added any; this pins it exactly.
    if (POSIX) fchmodSync(fd, PRIVATE_FILE_MODE);
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
  return tmp;
}

/** Writes `file` as 0600 through a temp file and a rename: a reader never sees half of it. */
export function writePrivateFile(file: string, data: string): void {
  const tmp = writeTemp(file, data);
  try {
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/**
 * Writes `file` as 0600 only if it does not exist yet (a hard link fails on an existing name), so
 * two processes creating it at once agree on the first one's content. Returns whether it wrote.
 */
export function createPrivateFile(file: string, data: string): boolean {
  const tmp = writeTemp(file, data);
  try {
    linkSync(tmp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(tmp, { force: true });
  }
}
