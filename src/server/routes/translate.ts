// POST /api/v1/translate {texts, from?, to, beam?, protect?} → {translations: [{text, cached, model, ms, flags?}]}
import type { FastifyInstance } from 'fastify';
import { LIMITS } from '../../shared/limits.js';
import { PROTECT_MODES } from '../../shared/translation.js';
import { arr, int, langCode, obj, oneOf, opt, str } from '../../shared/validate.js';
import type { RouteContext } from './context.js';

const body = obj({
  texts: arr(str({ max: LIMITS.textChars }), { min: 1, max: LIMITS.translateTexts }),
  from: opt(langCode()),
  to: langCode(),
  beam: opt(int({ min: 1, max: LIMITS.maxBeam })),
  model: opt(str({ min: 1, max: 1024 })),
  protect: opt(oneOf(PROTECT_MODES)),
});

export function translateRoutes(app: FastifyInstance, { api, metrics, limit }: RouteContext): void {
  app.post('/api/v1/translate', async (request) => {
    const { texts, from, to, beam, model, protect } = body.parse(request.body);
    const translations = await limit(() =>
      api.translate({ texts, to, ...(from ? { from } : {}), ...(model ? { model } : {}), ...(beam ? { options: { beam, nBest: beam } } : {}), ...(protect ? { protect } : {}) }),
    );
    metrics.observeTranslations(translations);
    return { translations };
  });
}
