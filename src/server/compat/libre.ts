// LibreTranslate's API (`/translate`, `/languages`, `/frontend/settings`), so the apps that
// speak it (Weblate, Crow Translate, browser extensions) translate through Parla with Parla's
// token as `api_key`. Same services as every door.
import type { FastifyInstance } from 'fastify';
import { ParlaError } from '../../shared/errors.js';
import { AUTO_SOURCE } from '../../shared/translation.js';
import { LIMITS } from '../../shared/limits.js';
import type { RouteContext } from '../routes/context.js';
import { compatErrorHandler } from './errors.js';
import { LIBRE_FILE_FORMATS } from './libre-files.js';
import { characterCount } from './text-lines.js';
import { baseCode, installedPairs, languageName } from './languages.js';
import type { ClientKeys } from './client-keys.js';

const config = { auth: 'libre' as const };
const errorHandler = compatErrorHandler('libre');

export function libreRoutes(app: FastifyInstance, { api, limit }: RouteContext, keys: ClientKeys): void {
  app.post('/translate', { config, errorHandler }, async (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const q = body.q;
    const texts = typeof q === 'string' ? [q] : Array.isArray(q) && q.every((t) => typeof t === 'string') ? (q as string[]) : undefined;
    if (!texts || texts.length === 0) throw new ParlaError('BAD_INPUT', "Invalid request: missing q parameter");
    if (texts.length > LIMITS.translateTexts) throw new ParlaError('BAD_INPUT', `Invalid request: at most ${LIMITS.translateTexts} texts per request`);
    const to = typeof body.target === 'string' ? baseCode(body.target) : undefined;
    if (!to) throw new ParlaError('BAD_INPUT', 'Invalid request: missing target parameter');
    const source = typeof body.source === 'string' ? body.source : 'auto';
    const from = source === 'auto' ? AUTO_SOURCE : baseCode(source);
    if (source !== 'auto' && !from) throw new ParlaError('BAD_INPUT', `${source} is not supported`);
    const alternatives = Math.min(Math.max(Number(body.alternatives ?? 0) || 0, 0), 3);
    const translations = await keys.bill(request, characterCount(texts), () =>
      limit(() => api.translate({ texts, to, from, ...(alternatives ? { options: { beam: alternatives + 1, nBest: alternatives + 1 } } : {}) })),
    );
    // LibreTranslate's confidence is a percentage.
    const detected = (t: (typeof translations)[number]) =>
      source === 'auto' ? { detectedLanguage: { confidence: Math.round(100 * (t.detected?.confidence ?? 0)), language: t.from ?? '' } } : {};
    const alts = (t: (typeof translations)[number]) => (alternatives ? { alternatives: (t.alternatives ?? []).map((a) => a.text).filter((a) => a !== t.text).slice(0, alternatives) } : {});
    if (typeof q === 'string') return { translatedText: translations[0]!.text, ...detected(translations[0]!), ...alts(translations[0]!) };
    return {
      translatedText: translations.map((t) => t.text),
      ...(source === 'auto' ? { detectedLanguage: translations.map((t) => detected(t).detectedLanguage) } : {}),
      ...(alternatives ? { alternatives: translations.map((t) => alts(t).alternatives) } : {}),
    };
  });

  // [{language, confidence}] (LibreTranslate's shape, confidence in %): the likeliest language,
  // or [] when the text points nowhere.
  app.post('/detect', { config, errorHandler }, async (request) => {
    const q = ((request.body ?? {}) as Record<string, unknown>).q;
    if (typeof q !== 'string' || !q) throw new ParlaError('BAD_INPUT', 'Invalid request: missing q parameter');
    if (q.length > LIMITS.textChars) throw new ParlaError('BAD_INPUT', `Invalid request: q is longer than ${LIMITS.textChars} characters`);
    const [guess] = await limit(() => api.detectLanguage([q]));
    return guess?.likeliest ? [{ language: guess.likeliest, confidence: Math.round(100 * guess.confidence) }] : [];
  });

  app.get('/languages', { config, errorHandler }, async () => {
    const { targets } = installedPairs(await api.listModels());
    const codes = [...new Set([...targets.keys(), ...[...targets.values()].flat()])].sort();
    return codes.map((code) => ({ code, name: languageName(code), targets: targets.get(code) ?? [] }));
  });

  app.get('/frontend/settings', { config, errorHandler }, async () => {
    const { sources, targets } = installedPairs(await api.listModels());
    const source = sources[0] ?? 'en';
    const target = targets.get(source)?.[0] ?? source;
    return {
      apiKeys: true,
      keyRequired: true,
      charLimit: LIMITS.textChars,
      frontendTimeout: 500,
      suggestions: false,
      filesTranslation: true,
      supportedFilesFormat: [...LIBRE_FILE_FORMATS],
      language: { source: { code: source, name: languageName(source) }, target: { code: target, name: languageName(target) } },
    };
  });
}
