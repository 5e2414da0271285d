// POST /api/v1/translate {texts, from? (a language or "auto"), to, beam?, nBest?, model?, protect?} → {translations: [{text, cached, model, ms, from, detected?, alternatives?, flags?}]}
// The body is parsed by the one request parser every door uses (src/shared/translate-request.ts).
import type { FastifyInstance } from 'fastify';
import { LIMITS } from '../../shared/limits.js';
import { httpTranslateRequest } from '../../shared/translate-request.js';
import { arr, obj, str } from '../../shared/validate.js';
import type { RouteContext } from './context.js';

export function translateRoutes(app: FastifyInstance, { api, metrics, limit }: RouteContext): void {
  app.post('/api/v1/translate', async (request) => {
    const parsed = httpTranslateRequest.parse(request.body);
    const translations = await limit(() => api.translate(parsed));
    metrics.observeTranslations(translations);
    return { translations };
  });

  // POST /api/v1/detect {texts} → {detections: [{language?, likeliest?, confidence}]}
  app.post('/api/v1/detect', async (request) => {
    const { texts } = detectBody.parse(request.body);
    return { detections: await limit(() => api.detectLanguage(texts)) };
  });
}

const detectBody = obj({ texts: arr(str({ max: LIMITS.textChars }), { min: 1, max: LIMITS.translateTexts }) });
