// The page a browser gets for a UI link whose token this server does not accept: what happened
// and how to get the right link, instead of the API's JSON error. No script; its one style block
// is allowed by its hash, so the page keeps a CSP as strict as the UI's.
import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';

const STYLE = `
:root { color-scheme: light dark; --bg: #f6f5f2; --surface: #fff; --border: #e2dfd8; --text: #1f2328; --muted: #5d6168; --accent: #2f6f6a; --code: #f0eee9; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #16181b; --surface: #1e2125; --border: #32373d; --text: #e6e6e3; --muted: #9a9fa6; --accent: #5fb3a9; --code: #262a2f; }
}
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; padding: 24px 16px; background: var(--bg); color: var(--text);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 560px; width: 100%; background: var(--surface); border: 1px solid var(--border); border-radius: 12px; padding: 28px; }
.brand { color: var(--accent); font-weight: 700; margin: 0 0 12px; }
h1 { font-size: 22px; margin: 0 0 12px; }
p, ol { margin: 0 0 12px; }
ol { padding-left: 22px; }
li { margin-bottom: 6px; }
code { background: var(--code); border-radius: 4px; padding: 1px 5px; font-size: 13px; overflow-wrap: anywhere; }
.muted { color: var(--muted); font-size: 14px; margin: 0; }
`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
const CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parla: this link's token is not accepted</title>
<style>${STYLE}</style>
</head>
<body>
<main data-testid="token-page">
<p class="brand">Parla</p>
<h1>This link's token is not accepted</h1>
<p>The page was not opened: the <code>?token=…</code> in the link is not the one this Parla server uses. It may come from an older link, another data folder, or have been cut when it was copied.</p>
<ol>
<li>Find the terminal where <code>parla serve</code> runs: the first line it printed is the link to open, <code>http://127.0.0.1:PORT/?token=…</code>.</li>
<li>Not running? Start it with <code>npx parla serve</code> (add <code>--data-dir</code> if you use one) and open the link it prints.</li>
</ol>
<p class="muted">The token is kept in the data folder, in the file <code>serve-token</code>. Opened once, the link signs this browser in and the token leaves the address bar.</p>
</main>
</body>
</html>
`;

/** Whether a request is a browser opening a page (rather than a script that reads JSON). */
export function wantsPage(accept: string | undefined): boolean {
  return /\btext\/html\b/u.test(accept ?? '');
}

export function sendTokenPage(reply: FastifyReply): FastifyReply {
  return reply
    .status(401)
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(PAGE);
}
