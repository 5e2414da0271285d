// What the text formats share for error lines and byte-exact rendering: a file is rendered by
// splicing new text into the original at known offsets, never by re-serialising a parsed tree,
// so everything a format does not translate comes back byte for byte.

/** The 1-based line holding `offset` (a CR LF counts as one line break). */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
}

/** Replace `text.slice(start, end)` with `insert`; `start === end` inserts. */
export interface Edit {
  start: number;
  end: number;
  insert: string;
}

/** The text with every edit applied; edits must not overlap (insertions at one offset keep their order). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => a.start - b.start || a.i - b.i);
  let out = '';
  let at = 0;
  for (const edit of sorted) {
    if (edit.start < at) throw new Error(`overlapping edits at offset ${edit.start}`);
    out += text.slice(at, edit.start) + edit.insert;
    at = edit.end;
  }
  return out + text.slice(at);
}

/** The line break a file uses: its first one (CR LF, LF or a lone CR), LF when it has none. */
export function lineBreakOf(text: string): string {
  return /\r\n|\n|\r/.exec(text)?.[0] ?? '\n';
}

/** Up to `length` characters from `offset`, stopping at the line's end: what an error line quotes. */
export function excerpt(text: string, offset: number, length = 12): string {
  return text.slice(offset, offset + length).split(/[\r\n]/)[0]!;
}

/** `film.srt` → `film.es.srt`, `dir/app.xlf` → `dir/app.es.xlf`, `README` → `README.es`. */
export function insertLanguage(file: string, lang: string): string {
  const m = /^(.*[^/\\.])(\.[^./\\]+)$/.exec(file);
  return m ? `${m[1]}.${lang}${m[2]}` : `${file}.${lang}`;
}
