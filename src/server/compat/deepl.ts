// DeepL API v2 subset (`/v2/translate`, `/v2/languages`, `/v2/usage`), so DeepL's clients and
// the tools built on them translate through Parla with a server URL and Parla's token as key.
// Same services as every door: cache, glossary, protected spans, review flags, history.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ParlaApi } from '../../shared/api.js';
import { ParlaError } from '../../shared/errors.js';
import { AUTO_SOURCE } from '../../shared/translation.js';
import type { RouteContext } from '../routes/context.js';
import { compatErrorHandler } from './errors.js';
import { baseCode, installedPairs, languageName } from './languages.js';
import type { ClientKeys } from './client-keys.js';
import { characterCount } from './text-lines.js';
import type { DeepLGlossaryStore } from '../../core/compat/deepl-glossaries.js';

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

/** DeepL's formality values; Parla's models have no formality, so `more`/`less` are refused as for DeepL's languages without it. */
const FORMALITY = new Set(['default', 'more', 'less', 'prefer_more', 'prefer_less']);

/** `formality` of a text or document request, checked as DeepL checks it for a language without formality. */
export function checkFormality(body: Record<string, unknown>): void {
  const formality = one(body, 'formality')?.toLowerCase();
  if (formality !== undefined && !FORMALITY.has(formality)) throw new ParlaError('BAD_INPUT', "Value for 'formality' not supported.");
  // `prefer_*` ask for formality where the language has it and are ignored elsewhere, as DeepL does.
  if (formality === 'more' || formality === 'less') throw new ParlaError('BAD_INPUT', "'formality' is not supported for given 'target_lang'.");
}

/**
 * `glossary_id` of a text or document request, checked as DeepL does: Parla applies a pair's
 * glossary to every request of the pair, so the id changes nothing more.
 */
export function checkGlossary(glossaries: DeepLGlossaryStore, body: Record<string, unknown>, from: string | undefined, to: string): void {
  const glossaryId = one(body, 'glossary_id');
  if (glossaryId === undefined) return;
  if (!from) throw new ParlaError('BAD_INPUT', "Use of a glossary requires the 'source_lang' parameter to be specified.");
  const glossary = glossaries.get(glossaryId);
  if (!glossary) throw new ParlaError('NOT_FOUND', 'Glossary not found.');
  if (glossary.from !== from || glossary.to !== to) throw new ParlaError('BAD_INPUT', "The glossary's language pair does not match the request's 'source_lang' and 'target_lang'.");
}

/**
 * Runs `work`; a pair no installed model serves becomes DeepL's 400 naming the parameter
 * (`source_lang` when no model reads that language, else `target_lang`), keeping Parla's hint.
 */
export async function withDeepLPair<T>(api: ParlaApi, from: string | undefined, to: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // Errors may come through a process boundary as `{code, message}` rather than a ParlaError.
    if ((error as { code?: unknown } | null)?.code !== 'UNKNOWN_PAIR') throw error;
    const { sources, targets } = installedPairs(await api.listModels());
    const which = from !== undefined && !sources.includes(from) ? 'source_lang' : ![...targets.values()].flat().includes(to) ? 'target_lang' : undefined;
    if (!which) throw error;
    throw new ParlaError('BAD_INPUT', `Value for '${which}' not supported: ${(error as Error).message}`);
  }
}

/** DeepL's `split_sentences` values; Parla's models translate each text whole whichever is given. */
const SPLIT_SENTENCES = new Set(['0', '1', 'nonewlines']);

export function deeplRoutes(app: FastifyInstance, { api, limit }: RouteContext, keys: ClientKeys, glossaries: DeepLGlossaryStore): void {
  const translate = async (request: FastifyRequest, body: Record<string, unknown>) => {
    const texts = strings(body.text);
    if (texts.length === 0) throw new ParlaError('BAD_INPUT', "Parameter 'text' not specified.");
    const target = one(body, 'target_lang');
    if (!target) throw new ParlaError('BAD_INPUT', "Parameter 'target_lang' not specified.");
    const to = baseCode(target);
    if (!to) throw new ParlaError('BAD_INPUT', "Value for 'target_lang' not supported.");
    const sourceLang = one(body, 'source_lang');
    const from = sourceLang === undefined ? undefined : baseCode(sourceLang);
    if (sourceLang !== undefined && !from) throw new ParlaError('BAD_INPUT', "Value for 'source_lang' not supported.");
    checkFormality(body);
    checkGlossary(glossaries, body, from, to);
    const split = one(body, 'split_sentences');
    if (split !== undefined && !SPLIT_SENTENCES.has(split)) throw new ParlaError('BAD_INPUT', "Value for 'split_sentences' not supported.");
    // `context` informs DeepL's models and is not billed; Parla's translate each text alone, so
    // it is accepted and left unused. tag_handling html/xml: tags are protected spans in any case.
    const billed = characterCount(texts);
    // No source_lang: each text's language is detected (DeepL's behaviour) and reported back.
    const translations = await withDeepLPair(api, from, to, () => keys.bill(request, billed, () => limit(() => api.translate({ texts, to, from: from ?? AUTO_SOURCE }))));
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
  app.post('/v2/translate', { config, errorHandler }, async (request) => translate(request, (request.body ?? {}) as Record<string, unknown>));

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

  // A client key's own month and limit; the server's token: characters since the server started,
  // without a limit (the largest count JSON holds exactly: DeepL's clients compare numbers).
  const report = (request: FastifyRequest) => {
    const key = keys.keyOf(request);
    if (!key) return { character_count: keys.serverCount, character_limit: Number.MAX_SAFE_INTEGER };
    return { character_count: key.usage.characters, character_limit: key.charLimit ?? Number.MAX_SAFE_INTEGER };
  };
  app.get('/v2/usage', { config, errorHandler }, async (request) => report(request));
  app.post('/v2/usage', { config, errorHandler }, async (request) => report(request));
}
