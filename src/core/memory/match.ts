// How a text meets the memory. Exact: the same source once surrounding whitespace is set aside
// and each placeholder's name is (`Hello {name}` finds `Hello {user}`; the entry's target then
// gets the request's names); nothing else is ignored. Fuzzy: a word-level edit distance, as CAT
// tools score matches, computed on the few candidates that a word index can prove are the only
// ones able to reach the threshold.
import { findSpans, type Span } from '../protect/spans.js';

/** Placeholder spans: their name may differ between a text and its memory entry. */
function isPlaceholder(span: Span): boolean {
  return span.kind === 'brace' || (span.kind === 'printf' && span.text.startsWith('%('));
}

/** A placeholder with its name taken out, delimiters kept: `{name}` → `{}`, `%(n)s` → `%()s`. */
function shapeOf(placeholder: string): string {
  return placeholder.replace(/[\p{L}\p{N}_.:@-]+/gu, '');
}

/** The memory key of a source: trimmed, placeholder names set aside. */
export function memoryKey(source: string): string {
  const text = source.trim();
  // Every placeholder holds one of these: most texts need no span scan at all.
  if (!/[{$%]/.test(text)) return text;
  let out = '';
  let at = 0;
  for (const span of findSpans(text)) {
    if (!isPlaceholder(span)) continue;
    out += text.slice(at, span.start) + shapeOf(span.text);
    at = span.end;
  }
  return out + text.slice(at);
}

function placeholders(text: string): string[] {
  return findSpans(text.trim()).filter(isPlaceholder).map((s) => s.text);
}

/**
 * The entry's target for a request whose source has the same key: each placeholder the entry's
 * source names is renamed to the request's placeholder at the same place. Undefined when that
 * mapping is ambiguous (one name standing for two), so the entry does not answer.
 */
export function adaptTarget(entrySource: string, entryTarget: string, requestSource: string): string | undefined {
  const mine = placeholders(entrySource);
  const theirs = placeholders(requestSource);
  const rename = new Map<string, string>();
  for (let i = 0; i < mine.length; i++) {
    const from = mine[i]!;
    const to = theirs[i]!;
    if ((rename.get(from) ?? to) !== to) return undefined;
    rename.set(from, to);
  }
  if ([...rename].every(([a, b]) => a === b)) return entryTarget;
  let out = '';
  let at = 0;
  for (const span of findSpans(entryTarget)) {
    const to = isPlaceholder(span) ? rename.get(span.text) : undefined;
    if (to === undefined) continue;
    out += entryTarget.slice(at, span.start) + to;
    at = span.end;
  }
  return out + entryTarget.slice(at);
}

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;
const WORD = /[\p{L}\p{N}]/u;

/** The tokens fuzzy scores compare: words and punctuation marks of the key, case kept. */
export function tokens(key: string): string[] {
  return key.match(TOKEN) ?? [];
}

/** The distinct words the index holds for a key (lower case; punctuation is not indexed). */
export function indexWords(key: string): string[] {
  return [...new Set(tokens(key).filter((t) => WORD.test(t)).map((t) => t.toLowerCase()))];
}

/** Levenshtein distance over tokens: insertions, deletions and substitutions of whole words. */
export function wordEditDistance(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0) return b.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    [prev, row] = [row, prev];
  }
  return prev[b.length]!;
}

/** 1 - wordEditDistance / the longer length: 1 for equal token lists, 0 for nothing in common. */
export function similarity(a: readonly string[], b: readonly string[]): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - wordEditDistance(a, b) / longer;
}

/**
 * The words whose index entries hold every entry that can reach `threshold`. A text of n tokens
 * is within e edits of an entry only when the entry holds at least one of any e + 1 of its
 * distinct words (each edit removes at most one), and reaching the threshold allows at most
 * floor((1 - t) * n / t) edits (the entry can be at most n / t tokens long). The rarest such
 * words are taken, so the candidates are few.
 */
export function candidateWords(key: string, threshold: number, frequency: (word: string) => number): string[] {
  const words = indexWords(key);
  const n = tokens(key).length;
  const edits = Math.floor(((1 - threshold) * n) / threshold + 1e-9);
  return words
    .map((w) => ({ w, f: frequency(w) }))
    .sort((a, b) => a.f - b.f)
    .slice(0, edits + 1)
    .map((x) => x.w);
}

/** Candidates most worth scoring: ids ordered by how many of the chosen words they hold. */
export function rankCandidates(postings: readonly (readonly string[])[], limit: number): string[] {
  const counts = new Map<string, number>();
  for (const ids of postings) for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([id]) => id);
}

/** Candidates scored against the key: those at or above the threshold, best first. */
export function scoreCandidates<E extends { id: string; source: string; when: number }>(
  key: string,
  candidates: readonly E[],
  threshold: number,
  limit: number,
): { entry: E; score: number }[] {
  const mine = tokens(key);
  return candidates
    .map((entry) => ({ entry, score: similarity(mine, tokens(memoryKey(entry.source))) }))
    .filter((c) => c.score >= threshold - 1e-9)
    .sort((a, b) => b.score - a.score || b.entry.when - a.entry.when)
    .slice(0, limit);
}

/** Index postings per chosen word are read up to this many; candidates scored at most this many. */
export const FUZZY_LIMITS = { posting: 5000, candidates: 200 } as const;
