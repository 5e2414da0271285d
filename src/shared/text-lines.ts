// Text as lines, the way every door translates a block of text (the Translate page, DeepL's .txt
// and .html documents, LibreTranslate's /translate_file): each non-blank line is one text, sent
// without its outer whitespace; blank lines, indentation and line endings (\n, \r\n, \r) are kept
// exactly, so the translation has the input's shape byte for byte around the texts.

type Slot = { blank: string } | { index: number; before: string; after: string };

export interface Lines {
  /** The non-blank lines, trimmed: what is sent to be translated. */
  texts: string[];
  /** Every line of the input, in order: a blank one as it was, or which text it holds. */
  slots: Slot[];
  /** The ending after each line but the last, as written. */
  endings: string[];
}

export function splitLines(text: string): Lines {
  const pieces = text.split(/(\r\n|\n|\r)/);
  const texts: string[] = [];
  const endings = pieces.filter((_, i) => i % 2 === 1);
  const slots = pieces
    .filter((_, i) => i % 2 === 0)
    .map((line): Slot => {
      const core = line.trim();
      if (!core) return { blank: line };
      const before = line.slice(0, line.indexOf(core));
      texts.push(core);
      return { index: texts.length - 1, before, after: line.slice(before.length + core.length) };
    });
  return { texts, slots, endings };
}

/**
 * The input's layout with each text replaced by its translation (same order as `texts`). With
 * fewer translations than texts (a long text still coming in parts), it stops after the last line
 * translated so far.
 */
export function joinLines(lines: Lines, translations: readonly string[]): string {
  const last = translations.length < lines.texts.length ? lines.slots.findIndex((s) => 'index' in s && s.index === translations.length) : lines.slots.length;
  return lines.slots
    .slice(0, last)
    .map((s, i) => ('blank' in s ? s.blank : s.before + translations[s.index]! + s.after) + (i < last - 1 ? lines.endings[i]! : ''))
    .join('');
}

/**
 * The translation of each text as the user edited the output, read from the same line positions;
 * undefined when lines were added or removed (then the edit cannot be matched to its sources).
 */
export function editedTexts(lines: Lines, edited: string): string[] | undefined {
  const rows = edited.split(/\r\n|\n|\r/);
  if (rows.length !== lines.slots.length) return undefined;
  return lines.slots.flatMap((s, i) => ('blank' in s ? [] : [rows[i]!.trim()]));
}
