// Which pages and senders the main process trusts: only our own renderer, loaded from our files
// (or the dev server in development). Pure functions so they are tested without Electron.

export interface TrustedOrigin {
  /** file:// URL of out/renderer/index.html in production. */
  indexUrl: string;
  /** http://localhost:5173 while `electron-vite dev` runs. */
  devServerUrl?: string;
}

export function isOwnPage(url: string, origin: TrustedOrigin): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (origin.devServerUrl && parsed.origin === new URL(origin.devServerUrl).origin) return true;
  const index = new URL(origin.indexUrl);
  return parsed.protocol === 'file:' && parsed.pathname === index.pathname;
}

export const APP_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Links the user clicks open in the system browser, and only these kinds. */
export function isExternalLink(url: string): boolean {
  return /^https:\/\//.test(url);
}
