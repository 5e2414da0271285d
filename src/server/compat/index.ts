// The compatible APIs on `parla serve`: DeepL v2 under /v2/ and LibreTranslate at the root. Their
// clients send form bodies as often as JSON, so this scope reads both. See docs/compat.md.
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../routes/context.js';
import { deeplRoutes } from './deepl.js';
import { documentRoutes } from './documents.js';
import { libreRoutes } from './libre.js';
import { libreFileRoutes } from './libre-files.js';
import type { DeepLGlossaryStore } from '../../core/compat/deepl-glossaries.js';
import type { ClientKeys } from './client-keys.js';
import { deeplGlossaryRoutes } from './glossaries.js';

/** `a=1&text=x&text=y` → `{a: '1', text: ['x', 'y']}`: repeated fields become lists, as DeepL's `text` does. */
export function parseForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const prior = out[key];
    out[key] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
  }
  return out;
}

export function compatRoutes(app: FastifyInstance, ctx: RouteContext, { keys, glossaries }: { keys: ClientKeys; glossaries: DeepLGlossaryStore }): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, parseForm(body as string)));
  deeplRoutes(app, ctx, keys, glossaries);
  deeplGlossaryRoutes(app, ctx, glossaries);
  documentRoutes(app, ctx, keys, glossaries);
  libreRoutes(app, ctx, keys);
  libreFileRoutes(app, ctx, keys);
}
