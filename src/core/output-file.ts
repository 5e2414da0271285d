// Files Parla writes for a person (a batch's output, a history export): checked before any work
// starts, written whole through a temp file and a rename, and named in any error, so a bad path
// costs one clear line up front instead of a finished job that cannot be saved.
import { accessSync, constants, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ParlaError } from '../shared/errors.js';

const PATH_ERRORS: Record<string, string> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'its folder does not exist',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  EISDIR: 'it is a folder',
  ENOSPC: 'the disk is full',
};

/**
 * Whether writing `output` would replace `input`: the same path, the same file reached through
 * a symlink (either side, or a linked folder), or a hard link to it (same device and inode).
 */
function isSameFile(output: string, input: string): boolean {
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      // Not there yet: its folder's real path and its own name.
      try {
        return join(realpathSync(dirname(path)), basename(path));
      } catch {
        return path;
      }
    }
  };
  if (real(output) === real(input)) return true;
  const a = statSync(output, { throwIfNoEntry: false });
  const b = statSync(input, { throwIfNoEntry: false });
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}

/** Throws BAD_INPUT unless `file` can be created or replaced (and is not `input`). */
export function checkOutputFile(file: string, input?: string): void {
  const path = resolve(file);
  if (input !== undefined && isSameFile(path, resolve(input))) {
    throw new ParlaError('BAD_INPUT', `the output ${file} is the input file; choose another output name`);
  }
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing?.isDirectory()) throw new ParlaError('BAD_INPUT', `cannot write ${file}: it is a folder`);
  const folder = dirname(path);
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ParlaError('BAD_INPUT', `cannot write ${file}: folder ${folder} does not exist`);
  }
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new ParlaError('BAD_INPUT', `cannot write ${file}: folder ${folder} is not writable`);
  }
}

/** An error from writing `file` as one line naming it; path problems are the caller's input. */
export function writeError(file: string, error: unknown): Error {
  if (error instanceof ParlaError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const reason = (code && PATH_ERRORS[code]) ?? (error as Error).message;
  return new ParlaError(code && code !== 'ENOSPC' && PATH_ERRORS[code] ? 'BAD_INPUT' : 'INTERNAL', `cannot write ${file}: ${reason}`);
}

/** Writes to `<file>.<pid>.partial` through `write`, then renames it over `file`; never half a file. */
export async function writeWhole(file: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${file}.${process.pid}.partial`;
  try {
    await write(tmp);
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw writeError(file, error);
  }
}

export function writeWholeSync(file: string, body: string): void {
  const tmp = `${file}.${process.pid}.partial`;
  try {
    writeFileSync(tmp, body);
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw writeError(file, error);
  }
}

/** Who holds an output's lock: the process and the job it runs. */
export interface OutputLockHolder {
  pid: number;
  job: string;
}

export const LOCK_SUFFIX = '.parla-lock';

/** Locks this process holds now: a lock naming our pid that is not here was left by an earlier process that had our pid. */
const heldHere = new Set<string>();

function isAlive(pid: number, lock: string): boolean {
  if (pid === process.pid) return heldHere.has(lock);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else; it still holds the lock.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** How long an empty lock file is taken for one being written rather than a leftover. */
const FILLING_MS = 5000;

function readHolderText(lock: string): string | undefined {
  try {
    return readFileSync(lock, 'utf8');
  } catch {
    return undefined;
  }
}

function readHolder(lock: string): OutputLockHolder | undefined {
  try {
    const held = JSON.parse(readHolderText(lock) ?? '') as Partial<OutputLockHolder>;
    return typeof held.pid === 'number' && typeof held.job === 'string' ? { pid: held.pid, job: held.job } : undefined;
  } catch {
    return undefined;
  }
}

/** `<file>.parla-lock` in the file's real folder: one lock per target, however the path reaches it. */
function lockPathOf(file: string): string {
  const path = resolve(file);
  try {
    return join(realpathSync(dirname(path)), `${basename(path)}${LOCK_SUFFIX}`);
  } catch {
    return `${path}${LOCK_SUFFIX}`;
  }
}

/** The live holder of `file`'s lock, if any (a lock left by a dead process counts as free). */
export function outputLockHolder(file: string): OutputLockHolder | undefined {
  const lock = lockPathOf(file);
  const holder = readHolder(lock);
  return holder && isAlive(holder.pid, lock) ? holder : undefined;
}

export function lockConflict(file: string, holder: OutputLockHolder): ParlaError {
  return new ParlaError('CONFLICT', `${file} is being written by job ${holder.job} (process ${holder.pid}); wait for it, cancel it, or choose another output`);
}

/**
 * Takes the exclusive lock on `file` for `job` (`<file>.parla-lock`, created only if absent,
 * holding pid and job id) and returns its release. A lock whose process is gone is taken over;
 * one held by another live job is a CONFLICT naming that job. Two jobs writing one output would
 * each report success while one's result is lost: the lock makes the second one refuse.
 */
export function lockOutput(file: string, job: string): () => void {
  const lock = lockPathOf(file);
  const mine = JSON.stringify({ pid: process.pid, job } satisfies OutputLockHolder);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(lock, mine, { flag: 'wx' });
      heldHere.add(lock);
      return () => {
        heldHere.delete(lock);
        // Only our own lock: one taken over after ours was judged stale is not ours to drop.
        if (readHolderText(lock) === mine) rmSync(lock, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError(lock, error);
    }
    const holder = readHolder(lock);
    if (holder && isAlive(holder.pid, lock)) throw lockConflict(file, holder);
    // Unreadable and fresh: its writer is between creating and filling it.
    const fresh = (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0) > Date.now() - FILLING_MS;
    if ((!holder && fresh) || attempt >= 2) throw lockConflict(file, holder ?? { pid: 0, job: 'starting' });
    // Stale: its process is gone. Another process may take it over at the same moment; 'wx'
    // above lets only one of us win.
    rmSync(lock, { force: true });
  }
}
