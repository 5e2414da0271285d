// A plain-text or HTML file as the compatible APIs translate it (LibreTranslate's
// /translate_file, DeepL's .txt and .html documents): UTF-8 text as lines (src/shared/text-lines.ts,
// the Translate page's rule). In HTML the tags are protected spans, so they come back as written.
import { ParlaError } from '../../shared/errors.js';
import { splitLines, type Lines } from '../../shared/text-lines.js';

/** The text file types, by extension, and the type each comes back with. */
export const TEXT_FILE_TYPES: Readonly<Record<string, string>> = { '.txt': 'text/plain; charset=utf-8', '.html': 'text/html; charset=utf-8' };

/** UTF-8 bytes as lines; BAD_INPUT (with `message`) when they are not UTF-8. */
export function readTextLines(bytes: Uint8Array, message: string): Lines {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ParlaError('BAD_INPUT', message);
  }
  return splitLines(text);
}

/** Characters of the texts: what both APIs bill. */
export function characterCount(texts: readonly string[]): number {
  return texts.reduce((n, t) => n + t.length, 0);
}
