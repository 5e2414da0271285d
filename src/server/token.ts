// The `parla serve` token: generated once, kept in the data dir (owner-only), reused across
// restarts so a bookmarked UI link keeps working.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const TOKEN_FILE = 'serve-token';

export async function loadOrCreateToken(dataDir: string): Promise<string> {
  const file = join(dataDir, TOKEN_FILE);
  const existing = await readFile(file, 'utf8').then((s) => s.trim(), () => '');
  if (existing.length >= 16) return existing;
  const token = randomBytes(24).toString('base64url');
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, token + '\n', { mode: 0o600 });
  return token;
}
