// Puts the translation memory and the cache in front of any Translator: a person's translation
// (an exact memory match) answers first, cache hits next, and only the distinct misses go to the
// model in one call, their results written back for every door to reuse. Every door, batch job
// and team worker translates through here, so the memory is consulted in this one place.
import type { HistoryDoor } from '../../shared/history.js';
import type { CacheValue } from '../../shared/cache.js';
import { TRANSLATION_FLAGS, type TranslateRequest, type Translation, type TranslationFlag, type Translator } from '../../shared/translation.js';
import type { HistoryStore } from '../history/store.js';
import { memoryAnswers, memorySuggestions, type MemoryAnswer, type TranslationMemory } from '../memory/memory-answers.js';
import type { CacheBackend } from './backend.js';
import { cacheKey, withOuterWhitespace } from './key.js';

export interface ModelIdentity {
  id: string;
  /** Changes whenever the model's weights change, so stale translations stop matching. */
  revision: string;
  /** The model's source language, when known: history records it for requests that name none. */
  from?: string;
}

export interface CachedTranslatorOptions {
  /** Which model (and revision) a request is routed to; part of every cache key. */
  resolveModel(request: TranslateRequest): Promise<ModelIdentity> | ModelIdentity;
  /** The version of the glossary the request will be translated with (part of every cache key). */
  glossaryVersion?(request: TranslateRequest): Promise<string | undefined>;
  /** Records each translated text; leave out for batch jobs, which record one summary entry. */
  history?: { store: HistoryStore; door: Exclude<HistoryDoor, 'batch'> };
  /** The translation memory: exact matches answer before the cache, suggestions on request. */
  memory?: TranslationMemory;
}

export class CachedTranslator implements Translator {
  constructor(
    private readonly inner: Translator,
    private readonly cache: CacheBackend,
    private readonly options: CachedTranslatorOptions,
  ) {}

  async warm(request: Omit<TranslateRequest, 'texts'>): Promise<void> {
    await this.inner.warm?.(request);
  }

  async translate(request: TranslateRequest, signal?: AbortSignal): Promise<Translation[]> {
    const { results, model } = await this.translateThroughCache(request, signal);
    // A draft (the app's translate-as-you-type) is recorded by its door once the user settles on it.
    if (request.history === false) return results;
    this.options.history?.store.record(
      results.map((r) => ({
        source: r.source,
        text: r.text,
        from: request.from ?? model?.from ?? '',
        to: request.to,
        model: r.model,
        door: this.options.history?.door ?? 'cli',
        ...(r.flags?.length ? { flags: r.flags } : {}),
      })),
    );
    return results;
  }

  private async translateThroughCache(
    request: TranslateRequest,
    signal?: AbortSignal,
  ): Promise<{ results: Translation[]; model?: ModelIdentity }> {
    if (request.texts.length === 0) return { results: [] };
    // Requests for alternatives go to the model and leave the cache alone: an entry holds one
    // text, and with spans to keep, the best text of an n-best request may be an alternative that
    // a plain request would not pick (src/core/protect), so it must not answer plain requests.
    if ((request.options?.nBest ?? 1) > 1) return { results: (await this.inner.translate(request, signal)).map((t) => ({ ...t, origin: 'model' as const })) };
    const started = performance.now();
    const memory = this.options.memory;
    // The model is resolved only when needed: a request the memory answers whole, with its source
    // language given, needs no model at all.
    let model: ModelIdentity | undefined;
    const resolve = async () => (model ??= await this.options.resolveModel(request));
    const from = request.from ?? (memory ? (await resolve()).from : undefined);
    const answers: (MemoryAnswer | undefined)[] = memory && from ? await memoryAnswers(memory, request, from) : [];
    const open = request.texts.flatMap((text, i) => (answers[i] ? [] : [{ text, i }]));
    const rest = open.length > 0 ? await this.throughCache(request, open.map((o) => o.text), await resolve(), signal) : [];
    const suggest = memory && from && request.suggest ? (source: string) => memorySuggestions(memory, from, request.to, source) : undefined;
    const fromCache = new Map(open.map((o, n) => [o.i, rest[n]!]));
    const ms = performance.now() - started;
    const results = await Promise.all(
      request.texts.map(async (source, i): Promise<Translation> => {
        const answer = answers[i];
        if (answer) {
          const { id, who, when } = answer.entry;
          const text = withOuterWhitespace(source, answer.text);
          return { source, text, model: 'memory', cached: false, ms, origin: 'memory', memory: { id, who, when }, ...(from ? { from } : {}) };
        }
        const t = fromCache.get(i)!;
        return suggest ? { ...t, suggestions: await suggest(source) } : t;
      }),
    );
    return { results, ...(model ? { model } : {}) };
  }

  /** `texts` through the cache, the distinct misses through the engine. */
  private async throughCache(request: TranslateRequest, texts: string[], model: ModelIdentity, signal?: AbortSignal): Promise<Translation[]> {
    const started = performance.now();
    const glossary = request.protect === 'none' ? undefined : await this.options.glossaryVersion?.(request);
    const keys = texts.map((text) =>
      cacheKey({ model: model.id, revision: model.revision, to: request.to, options: request.options, protect: request.protect, ...(glossary ? { glossary } : {}), text }),
    );
    const found = request.noCache ? keys.map(() => undefined) : await this.cache.getMany(keys);
    const lookupMs = performance.now() - started;

    const missIndex = new Map<string, number>();
    const missTexts: string[] = [];
    keys.forEach((key, i) => {
      if (found[i] === undefined && !missIndex.has(key)) {
        missIndex.set(key, missTexts.length);
        missTexts.push(texts[i] as string);
      }
    });
    const { suggest: _suggest, ...engineRequest } = request;
    const fresh = missTexts.length > 0 ? await this.inner.translate({ ...engineRequest, texts: missTexts }, signal) : [];
    // Entries keep their confidence and flags, so a hit says what the first answer said. An
    // output whose spans could not be kept is not cached: the next request tries again.
    const keep = [...missIndex].filter(([, i]) => !fresh[i]!.flags?.includes('spans'));
    if (keep.length > 0) await this.cache.setMany(keep.map(([key, i]) => [key, cacheValue(fresh[i]!)] as const));

    const from = request.from ?? model.from;
    return texts.map((source, i): Translation => {
      const hit = found[i];
      // Texts that share an entry may differ in their outer whitespace: each keeps its own.
      if (hit) return { source, text: withOuterWhitespace(source, hit.text), model: hit.model, cached: true, ms: lookupMs, origin: 'cache', ...(from ? { from } : {}), ...reviewOf(hit) };
      const at = missIndex.get(keys[i] as string) as number;
      const t = fresh[at] as Translation;
      const text = source === missTexts[at] ? t.text : withOuterWhitespace(source, t.text);
      return { ...t, source, text, cached: false, origin: 'model', ...(from ? { from } : {}) };
    });
  }
}

function cacheValue(t: Translation): CacheValue {
  const review = { ...(t.confidence !== undefined ? { confidence: t.confidence } : {}), ...(t.flags?.length ? { flags: t.flags } : {}) };
  return { text: t.text, model: t.model, ...(Object.keys(review).length ? { review } : {}) };
}

function reviewOf(hit: CacheValue): Pick<Translation, 'confidence' | 'flags'> {
  const flags = hit.review?.flags?.filter((f): f is TranslationFlag => (TRANSLATION_FLAGS as readonly string[]).includes(f));
  return { ...(hit.review?.confidence !== undefined ? { confidence: hit.review.confidence } : {}), ...(flags?.length ? { flags } : {}) };
}
