// The `parla serve` token: generated once, kept in the data dir (0600), reused across restarts
// so a bookmarked UI link keeps working. A token file that others could read is no secret any
// more: it is replaced by a new token, and its mode fixed.
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDir, isShared, writePrivateFile } from '../core/private-fs.js';

export const TOKEN_FILE = 'serve-token';

export async function loadOrCreateToken(dataDir: string): Promise<string> {
  ensurePrivateDir(dataDir);
  const file = join(dataDir, TOKEN_FILE);
  const exposed = process.platform !== 'win32' && (await stat(file).then((s) => isShared(s.mode), () => false));
  const existing = exposed ? '' : await readFile(file, 'utf8').then((s) => s.trim(), () => '');
  if (existing.length >= 16) return existing;
  const token = randomBytes(24).toString('base64url');
  writePrivateFile(file, token + '\n');
  return token;
}
