// Serves the built renderer (electron-vite's out/renderer) for the browser UI: files under the
// folder, index.html for every other GET so client-side pages reload, a strict CSP.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { FastifyReply } from 'fastify';
import { ParlaError } from '../shared/errors.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

async function notBuilt(reply: FastifyReply): Promise<void> {
  await reply.status(503).type('text/plain; charset=utf-8').send('The web UI is not built: run `npm run build` in the Parla folder. The API works without it.');
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

export async function sendRendererFile(reply: FastifyReply, rendererDir: string | undefined, urlPath: string): Promise<void> {
  if (!rendererDir) return notBuilt(reply);
  const root = resolve(rendererDir);
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    throw new ParlaError('BAD_INPUT', 'malformed URL');
  }
  const wanted = resolve(join(root, decoded));
  const inside = wanted === root || wanted.startsWith(root + sep);
  const file = inside && (await isFile(wanted)) ? wanted : join(root, 'index.html');
  if (!(await isFile(file))) return notBuilt(reply);
  const immutable = file.includes(`${sep}assets${sep}`);
  await reply
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .type(TYPES[extname(file)] ?? 'application/octet-stream')
    .send(await readFile(file));
}
