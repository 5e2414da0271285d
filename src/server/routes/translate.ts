// POST /api/v1/translate {texts, from?, to, beam?} → {translations: [{text, cached, model, ms}]}
import type { FastifyInstance } from 'fastify';
import { LIMITS } from '../../shared/limits.js';
import { arr, int, obj, opt, str } from '../../shared/validate.js';
import type { RouteContext } from './context.js';

const body = obj({
  texts: arr(str({ max: LIMITS.textChars }), { min: 1, max: LIMITS.translateTexts }),
  from: opt(str({ min: 2, max: 16 })),
  to: str({ min: 2, max: 16 }),
  beam: opt(int({ min: 1, max: LIMITS.maxBeam })),
  model: opt(str({ min: 1, max: 1024 })),
});

export function translateRoutes(app: FastifyInstance, { api, metrics, limit }: RouteContext): void {
  app.post('/api/v1/translate', async (request) => {
    const { texts, from, to, beam, model } = body.parse(request.body);
    const translations = await limit(() =>
      api.translate({ texts, to, ...(from ? { from } : {}), ...(model ? { model } : {}), ...(beam ? { options: { beam, nBest: beam } } : {}) }),
    );
    metrics.observeTranslations(translations);
    return { translations };
  });
}
