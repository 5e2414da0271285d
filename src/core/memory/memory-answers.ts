// What the memory contributes to a translation request: for each text, the entry that answers it
// (an exact match whose target, placeholders renamed to the request's, still keeps the source's
// protected spans and the glossary's terms) and, on request, fuzzy suggestions for the rest.
import type { MemoryEntry, MemorySuggestion } from '../../shared/memory.js';
import { DEFAULT_FUZZY_THRESHOLD } from '../../shared/memory.js';
import type { TranslateRequest } from '../../shared/translation.js';
import type { PairGlossary } from '../glossary/pair-glossary.js';
import { keepsSpans } from '../protect/protecting-translator.js';
import { findSpans } from '../protect/spans.js';
import { TermMatcher } from '../protect/terms.js';
import type { MemoryBackend } from './backend.js';
import { adaptTarget } from './match.js';

export interface TranslationMemory {
  store: MemoryBackend;
  /** The glossary a request is translated with: a memory answer must hold its terms too. */
  glossary?: PairGlossary;
  /** Similarity from which suggestions are shown (the `memory.threshold` setting). */
  threshold?: () => number;
}

export interface MemoryAnswer {
  entry: MemoryEntry;
  /** The entry's target for this text (placeholders renamed to the text's). */
  text: string;
}

/** Suggestions per text with no answer. */
export const SUGGESTIONS_PER_TEXT = 3;

export async function memoryAnswers(memory: TranslationMemory, request: TranslateRequest, from: string): Promise<(MemoryAnswer | undefined)[]> {
  const found = await memory.store.lookup(from, request.to, request.texts);
  if (found.every((e) => e === undefined)) return found.map(() => undefined);
  const guarded = request.protect !== 'none';
  const terms = guarded && memory.glossary ? await termsOf(memory.glossary, { ...request, from }) : undefined;
  return found.map((entry, i) => {
    if (!entry) return undefined;
    const source = request.texts[i]!.trim();
    const text = adaptTarget(entry.source, entry.target, source);
    if (text === undefined) return undefined;
    // A person's translation still obeys the rules every translation does: one that lost a
    // placeholder or a glossary term (added since) is not an answer; the model translates.
    const needed = terms?.find(source, findSpans(source)).flatMap((s) => (s.term ? [s.term.target] : [])) ?? [];
    if (guarded && !keepsSpans(source, text, {}, needed)) return undefined;
    return { entry, text };
  });
}

async function termsOf(glossary: PairGlossary, request: TranslateRequest): Promise<TermMatcher | undefined> {
  const { entries } = await glossary(request);
  return entries.length > 0 ? new TermMatcher(entries) : undefined;
}

export async function memorySuggestions(memory: TranslationMemory, from: string, to: string, source: string): Promise<MemorySuggestion[]> {
  return memory.store.suggest(from, to, source, { threshold: memory.threshold?.() ?? DEFAULT_FUZZY_THRESHOLD, limit: SUGGESTIONS_PER_TEXT });
}
