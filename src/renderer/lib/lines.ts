// The Translate page's text as lines: each non-blank line is one text to translate; blank lines
// and each line's outer whitespace are kept exactly, so paragraphs come back as they were typed.

type Slot = { blank: string } | { index: number; before: string; after: string };

export interface Lines {
  /** The non-blank lines, trimmed: what is sent to be translated. */
  texts: string[];
  /** Every line of the input, in order: a blank one as it was, or which text it holds. */
  slots: Slot[];
}

export function splitLines(text: string): Lines {
  const texts: string[] = [];
  const slots = text.split('\n').map((line): Slot => {
    const core = line.trim();
    if (!core) return { blank: line };
    const before = line.slice(0, line.indexOf(core));
    texts.push(core);
    return { index: texts.length - 1, before, after: line.slice(before.length + core.length) };
  });
  return { texts, slots };
}

/**
 * The input's layout with each text replaced by its translation. With fewer translations than
 * texts (a long text still coming in parts), it stops after the last line translated so far.
 */
export function joinLines(lines: Lines, translations: readonly string[]): string {
  const last = translations.length < lines.texts.length ? lines.slots.findIndex((s) => 'index' in s && s.index === translations.length) : lines.slots.length;
  return lines.slots
    .slice(0, last)
    .map((s) => ('blank' in s ? s.blank : s.before + translations[s.index]! + s.after))
    .join('\n');
}

/**
 * The translation of each text as the user edited the output, read from the same line positions;
 * undefined when lines were added or removed (then the edit cannot be matched to its sources).
 */
export function editedTexts(lines: Lines, edited: string): string[] | undefined {
  const rows = edited.split('\n');
  if (rows.length !== lines.slots.length) return undefined;
  return lines.slots.flatMap((s, i) => ('blank' in s ? [] : [rows[i]!.trim()]));
}

/**
 * Texts cut into consecutive parts of at most `maxTexts` texts and about `maxChars` characters
 * (a single longer text is a part of its own), so a long paste goes out as several requests,
 * each within the server's limits.
 */
export function partsOf(texts: readonly string[], maxTexts: number, maxChars: number): string[][] {
  const parts: string[][] = [];
  let part: string[] = [];
  let chars = 0;
  for (const text of texts) {
    if (part.length && (part.length >= maxTexts || chars + text.length > maxChars)) {
      parts.push(part);
      part = [];
      chars = 0;
    }
    part.push(text);
    chars += text.length;
  }
  if (part.length) parts.push(part);
  return parts;
}
