// A Redis URL may carry a password (`redis://user:secret@host`). Every log, error and status line
// shows the URL through redactUrl(), so the secret never reaches a terminal, a log file or a UI.
import { ParlaError } from '../../shared/errors.js';

/** The URL with any password replaced by `***` (the user name stays: it helps diagnose ACLs). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    // Not a parseable URL: hide everything between "//" and "@", where credentials would sit.
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** Replaces every occurrence of the URL's password in free text (e.g. an error message). */
export function redactText(text: string, url: string | undefined): string {
  if (!url) return text;
  let out = text.split(url).join(redactUrl(url));
  try {
    const { password } = new URL(url);
    const plain = password ? decodeURIComponent(password) : '';
    if (plain.length >= 3) out = out.split(plain).join('***');
    if (password && password !== plain) out = out.split(password).join('***');
  } catch {
    // unparseable URL: nothing more to hide than the URL itself
  }
  return out;
}

/** The mask redactUrl() puts where the password was. */
export const PASSWORD_MASK = '***';

/**
 * A URL sent back as it was shown (the Settings page saves or tests the form it was given) means
 * the stored one: the same URL with `***` for the password gets the stored password back. Only
 * for the same user, host, port and database, so a changed host can never receive the stored
 * password; a `***` anywhere else is a password that was never typed, and is refused.
 */
export function restoreRedactedUrl(given: string, stored: string): string {
  let password: string;
  try {
    password = new URL(given).password;
  } catch {
    return given; // not a URL: validation says so with its own line
  }
  if (password !== PASSWORD_MASK) return given;
  if (URL.canParse(stored) && new URL(stored).password && redactUrl(given) === redactUrl(stored)) return stored;
  throw new ParlaError('BAD_INPUT', 'type the Redis password again: "***" stands for the saved password only with the saved user, host, port and database');
}
