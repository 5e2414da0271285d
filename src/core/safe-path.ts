// Every path Parla builds from input (an upload's name, language codes in an output name, a model
// id, a job's files) goes through here: each part must be one plain name, and the joined path is
// proven to stay inside its folder, by its text and, for what exists, by its real location (a
// symlink inside the folder cannot lead out of it). A bad part is the caller's input: BAD_INPUT.
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ParlaError } from '../shared/errors.js';
import { langCode, sourceLang } from '../shared/validate.js';

/** Longest name most file systems take, in bytes. */
const NAME_BYTES = 255;

/** `part` if it is one plain file or folder name; BAD_INPUT naming `what` otherwise. */
export function safeName(part: string, what = 'name'): string {
  const bad = part === '' || part === '.' || part === '..' || /[/\\\u0000-\u001f\u007f]/.test(part) || Buffer.byteLength(part) > NAME_BYTES;
  if (bad) throw new ParlaError('BAD_INPUT', `${what} ${JSON.stringify(part.slice(0, 80))} is not a plain file name`);
  return part;
}

/** Throws BAD_INPUT unless every code is a language code (they end up in file names). */
export function checkLangCodes(codes: readonly string[], what = 'language'): void {
  for (const code of codes) langCode().parse(code, what);
}

/** Targets must be language codes; the source may also be `auto` (detected per text). */
export function checkPairCodes(to: readonly string[], from: string | undefined, what = 'language'): void {
  checkLangCodes(to, what);
  if (from !== undefined) sourceLang().parse(from, what);
}

function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** The real path of `path`'s deepest existing ancestor (itself when it exists). */
function realExisting(path: string): string {
  for (let at = path; ; at = dirname(at)) {
    try {
      return join(realpathSync(at), relative(at, path));
    } catch {
      if (dirname(at) === at) return path;
    }
  }
}

/**
 * `root` joined with `parts`, each a plain name, proven inside `root`: lexically, and through
 * the real paths of whatever already exists (so a symlink placed inside cannot point out).
 */
export function inside(root: string, ...parts: string[]): string {
  for (const part of parts) safeName(part);
  const base = resolve(root);
  const path = resolve(base, ...parts);
  if (!isWithin(base, path) || !isWithin(realExisting(base), realExisting(path))) {
    throw new ParlaError('BAD_INPUT', `${parts.join('/').slice(0, 120)} leads out of ${base}`);
  }
  return path;
}
