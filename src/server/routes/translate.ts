// POST /api/v1/translate {texts, from?, to, beam?, nBest?, model?, protect?} → {translations: [{text, cached, model, ms, alternatives?, flags?}]}
// The body is parsed by the one request parser every door uses (src/shared/translate-request.ts).
import type { FastifyInstance } from 'fastify';
import { httpTranslateRequest } from '../../shared/translate-request.js';
import type { RouteContext } from './context.js';

export function translateRoutes(app: FastifyInstance, { api, metrics, limit }: RouteContext): void {
  app.post('/api/v1/translate', async (request) => {
    const parsed = httpTranslateRequest.parse(request.body);
    const translations = await limit(() => api.translate(parsed));
    metrics.observeTranslations(translations);
    return { translations };
  });
}
