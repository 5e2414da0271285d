// The glossary a request is translated with: its pair's entries, `from` being the request's or,
// when it names none, the routed model's source language. One function gives both the version
// for the cache key (CachedTranslator) and the entries to enforce (ProtectingTranslator).
import type { GlossaryEntry, GlossaryLookup } from '../../shared/glossary.js';
import type { TranslateRequest } from '../../shared/translation.js';

export type PairGlossary = (request: TranslateRequest) => Promise<{ version: string; entries: readonly GlossaryEntry[] }>;

const NONE = { version: '', entries: [] } as const;
export const PAIR_GLOSSARY_DEFAULTS = { timeoutMs: 2000 } as const;

/**
 * A team's glossary lives in Redis, which may be away: translation then goes on with the pair's
 * last known entries (or none, under a version of its own so such results never pass for
 * glossary-checked ones) instead of waiting or failing.
 */
export function pairGlossary(
  store: GlossaryLookup,
  sourceOf: (request: TranslateRequest) => Promise<string | undefined>,
  options: {
    timeoutMs?: number;
    /** False while the store is known to be unreachable (a team's Redis away): no lookup is tried. */
    reachable?: () => boolean;
  } = {},
): PairGlossary {
  const timeoutMs = options.timeoutMs ?? PAIR_GLOSSARY_DEFAULTS.timeoutMs;
  const reachable = options.reachable ?? (() => true);
  const lastKnown = new Map<string, { version: string; entries: readonly GlossaryEntry[] }>();
  const fallback = (pair: string) => lastKnown.get(pair) ?? { version: 'unavailable', entries: [] };
  return async (request) => {
    const from = request.from ?? (await sourceOf(request));
    if (!from) return NONE;
    const pair = `${from}>${request.to}`;
    if (!reachable()) return fallback(pair);
    let timer: NodeJS.Timeout | undefined;
    try {
      const found = await Promise.race([
        store.forPair(from, request.to),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('glossary lookup timed out')), timeoutMs);
        }),
      ]);
      lastKnown.set(pair, found);
      return found;
    } catch {
      return fallback(pair);
    } finally {
      clearTimeout(timer);
    }
  };
}
