// Files Parla writes for a person (a batch's output, a history export): checked before any work
// starts, written whole through a temp file and a rename, and named in any error, so a bad path
// costs one clear line up front instead of a finished job that cannot be saved.
import { accessSync, constants, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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

/** Throws BAD_INPUT unless `file` can be created or replaced (and is not `input`). */
export function checkOutputFile(file: string, input?: string): void {
  const path = resolve(file);
  if (input !== undefined && path === resolve(input)) {
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
