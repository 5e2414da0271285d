// DeepL API v2 subset (`/v2/translate`, `/v2/languages`, `/v2/usage`), so DeepL's clients and
// the tools built on them translate through Parla with a server URL and Parla's token as key.
// Same services as every door: cache, glossary, protected spans, review flags, history.
import type { FastifyInstance } from 'fastify';
import { ParlaError } from '../../shared/errors.js';
import { AUTO_SOURCE } from '../../shared/translation.js';
import type { RouteContext } from '../routes/context.js';
import { compatErrorHandler } from './errors.js';
import { baseCode, installedPairs, languageName } from './languages.js';
import type { UsageCounter } from './usage.js';

const config = { auth: 'deepl' as const };
const errorHandler = compatErrorHandler('deepl');

/** A form field or JSON member as a list of strings (`text` repeats in a form body). */
function strings(value: unknown): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v): v is string => typeof v === 'string')) throw new ParlaError('BAD_INPUT', "Parameter 'text' must be text");
  return list;
}

function one(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  const last = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' && last !== '' ? last : undefined;
}

export function deeplRoutes(app: FastifyInstance, { api, limit }: RouteContext, usage: UsageCounter): void {
  const translate = async (body: Record<string, unknown>) => {
    const texts = strings(body.text);
    if (texts.length === 0) throw new ParlaError('BAD_INPUT', "Parameter 'text' not specified.");
    const target = one(body, 'target_lang');
    if (!target) throw new ParlaError('BAD_INPUT', "Parameter 'target_lang' not specified.");
    const to = baseCode(target);
    if (!to) throw new ParlaError('BAD_INPUT', "Value for 'target_lang' not supported.");
    const sourceLang = one(body, 'source_lang');
    const from = sourceLang === undefined ? undefined : baseCode(sourceLang);
    if (sourceLang !== undefined && !from) throw new ParlaError('BAD_INPUT', "Value for 'source_lang' not supported.");
    // tag_handling html/xml: tags are protected spans, kept verbatim in every case.
    // No source_lang: each text's language is detected (DeepL's behaviour) and reported back.
    const translations = await limit(() => api.translate({ texts, to, from: from ?? AUTO_SOURCE }));
    const billed = texts.reduce((n, t) => n + t.length, 0);
    usage.add(billed);
    return {
      translations: translations.map((t) => ({
        // The detected (or given) source: what Parla translated from.
        detected_source_language: (t.from ?? from ?? '').toUpperCase(),
        text: t.text,
        billed_characters: t.source.length,
        // Parla's extras, ignored by DeepL's clients: how sure the model is, what to review.
        ...(t.confidence !== undefined ? { confidence: t.confidence } : {}),
        ...(t.flags?.length ? { flags: t.flags } : {}),
      })),
    };
  };
  app.post('/v2/translate', { config, errorHandler }, async (request) => translate((request.body ?? {}) as Record<string, unknown>));

  const languages = async (type: unknown) => {
    const { sources, targets } = installedPairs(await api.listModels());
    if (type === 'target') {
      const all = [...new Set([...targets.values()].flat())].sort();
      return all.map((code) => ({ language: code.toUpperCase(), name: languageName(code), supports_formality: false }));
    }
    return sources.map((code) => ({ language: code.toUpperCase(), name: languageName(code) }));
  };
  const typeOf = (request: { query: unknown; body: unknown }) =>
    ((request.query ?? {}) as Record<string, unknown>).type ?? ((request.body ?? {}) as Record<string, unknown>).type;
  app.get('/v2/languages', { config, errorHandler }, async (request) => languages(typeOf(request)));
  app.post('/v2/languages', { config, errorHandler }, async (request) => languages(typeOf(request)));

  const report = () => ({ character_count: usage.count, character_limit: usage.limit });
  app.get('/v2/usage', { config, errorHandler }, async () => report());
  app.post('/v2/usage', { config, errorHandler }, async () => report());
}
