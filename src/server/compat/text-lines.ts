// A plain-text or HTML file as the compatible APIs translate it (LibreTranslate's
// /translate_file, DeepL's .txt and .html documents): each non-empty line is a text; empty lines
// and line endings stay as they were, so the output has the input's shape byte for byte around
// the texts. In HTML the tags are protected spans, so they come back as written.
import { ParlaError } from '../../shared/errors.js';

/** The text file types, by extension, and the type each comes back with. */
export const TEXT_FILE_TYPES: Readonly<Record<string, string>> = { '.txt': 'text/plain; charset=utf-8', '.html': 'text/html; charset=utf-8' };

export interface TextLines {
  /** Lines and their endings, alternating: `['a', '\r\n', '', '\n', 'b']`. */
  parts: string[];
  /** Where in `parts` each text is. */
  at: number[];
  /** The texts to translate, in file order. */
  texts: string[];
}

/** UTF-8 bytes as lines; BAD_INPUT (with `message`) when they are not UTF-8. */
export function readTextLines(bytes: Uint8Array, message: string): TextLines {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ParlaError('BAD_INPUT', message);
  }
  const parts = text.split(/(\r\n|\n|\r)/);
  const at = parts.flatMap((part, i) => (i % 2 === 0 && part.trim() !== '' ? [i] : []));
  return { parts, at, texts: at.map((i) => parts[i]!) };
}

/** The file again, each text replaced by its translation (same order as `texts`). */
export function writeTextLines({ parts, at }: TextLines, translations: readonly string[]): string {
  const out = [...parts];
  at.forEach((index, n) => (out[index] = translations[n]!));
  return out.join('');
}

/** Characters of the texts: what both APIs bill. */
export function characterCount(texts: readonly string[]): number {
  return texts.reduce((n, t) => n + t.length, 0);
}
