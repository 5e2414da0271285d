// The WHERE clause the SQLite stores of term-like entries (glossary, memory) share: a language
// pair, optionally narrowed by text found in the source or the target, any case.

export interface PairTextQuery {
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
}

/** `WHERE src_lang = ? AND …` (or '') and its arguments, for tables with src_lang, tgt_lang, source and target. */
export function pairTextFilter(query: PairTextQuery): { clause: string; args: (string | number)[] } {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (query.from) {
    where.push('src_lang = ?');
    args.push(query.from);
  }
  if (query.to) {
    where.push('tgt_lang = ?');
    args.push(query.to);
  }
  if (query.q) {
    where.push('(instr(lower(source), ?) > 0 OR instr(lower(target), ?) > 0)');
    args.push(query.q.toLowerCase(), query.q.toLowerCase());
  }
  return { clause: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
}
