// A Redis URL may carry a password (`redis://user:secret@host`). Every log, error and status line
// shows the URL through redactUrl(), so the secret never reaches a terminal, a log file or a UI.

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
