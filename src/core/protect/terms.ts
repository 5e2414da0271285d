// Glossary terms in a text: a word-sequence lookup (not one giant regex), so a 100,000-entry
// glossary costs a few map lookups per word of the sentence.
import type { GlossaryEntry } from '../../shared/glossary.js';
import type { Span } from './spans.js';

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
const key = (text: string) => text.replace(/\s+/gu, ' ');

export class TermMatcher {
  private readonly exact = new Map<string, GlossaryEntry>();
  private readonly folded = new Map<string, GlossaryEntry>();
  /** Entries that may match inside words: few in practice, scanned with indexOf. */
  private readonly partial: GlossaryEntry[] = [];
  private readonly maxWords: number;

  constructor(entries: readonly GlossaryEntry[]) {
    let maxWords = 1;
    for (const entry of entries) {
      const source = key(entry.source.trim());
      if (!source) continue;
      if (!entry.wholeWord) {
        this.partial.push(entry);
        continue;
      }
      maxWords = Math.max(maxWords, source.match(WORD)?.length ?? 1);
      if (entry.caseSensitive) this.exact.set(source, entry);
      else this.folded.set(source.toLowerCase(), entry);
    }
    this.maxWords = maxWords;
  }

  get size(): number {
    return this.exact.size + this.folded.size + this.partial.length;
  }

  /** Term spans of `text`, longest match first, none overlapping each other or `taken`. */
  find(text: string, taken: readonly Span[] = []): Span[] {
    if (this.size === 0) return [];
    const words = [...text.matchAll(WORD)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
    const spans: Span[] = [];
    const free = (start: number, end: number) =>
      ![...taken, ...spans].some((s) => start < s.end && s.start < end);
    const push = (entry: GlossaryEntry, start: number, end: number) =>
      spans.push({ kind: 'term', start, end, text: text.slice(start, end), term: { entryId: entry.id, target: entry.target } });
    for (let i = 0; i < words.length; i++) {
      for (let n = Math.min(this.maxWords, words.length - i); n >= 1; n--) {
        const start = words[i]!.start;
        const end = words[i + n - 1]!.end;
        const candidate = key(text.slice(start, end));
        const entry = this.exact.get(candidate) ?? this.folded.get(candidate.toLowerCase());
        if (entry && free(start, end)) {
          push(entry, start, end);
          i += n - 1;
          break;
        }
      }
    }
    for (const entry of this.partial) {
      const needle = entry.caseSensitive ? entry.source : entry.source.toLowerCase();
      const hay = entry.caseSensitive ? text : text.toLowerCase();
      for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + needle.length)) {
        if (free(at, at + needle.length)) push(entry, at, at + needle.length);
      }
    }
    return spans.sort((a, b) => a.start - b.start);
  }
}
