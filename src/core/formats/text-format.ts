// The contract every text-based localization format (PO, XLIFF, i18n JSON, SRT, WebVTT) meets.
// A format parses a whole file into a document it can render back byte for byte, lists the
// texts to translate as units, and renders a translated copy for one target language. Files of
// this kind are small next to spreadsheets (a 20,000-entry PO is a few MB), so the whole
// document lives in memory; the job queue, cache, review flags and resume stay the format's
// caller's business (src/core/formats/registry.ts wraps each TextFormat as a job format).
import type { ItemTranslation } from '../../shared/jobs.js';

export type TextFormatId = 'po' | 'xliff' | 'json' | 'srt' | 'vtt';

/** One text of a file the model translates. */
export interface FileUnit {
  /** Stable within the file: entry index, key path, cue number, plural form. */
  id: string;
  /** What the model gets: placeholders and inline tags left in, as protected spans handle them. */
  source: string;
  /** The translation the file already holds; such units are skipped unless `overwrite`. */
  existing?: string;
  /** What a person needs to judge the text (msgctxt, a note, a key path); shown in previews. */
  context?: string;
}

export interface RenderOptions {
  /** Target language, BCP-47 (`es`, `pt-BR`). */
  lang: string;
  /** Redo units that already hold a translation. */
  overwrite: boolean;
  /** PO: mark machine translations `#, fuzzy` (default true). */
  fuzzy: boolean;
}

/** A unit's translation, or undefined when it has none (untranslated, failed, below --min-confidence). */
export type UnitLookup = (unit: FileUnit) => ItemTranslation | undefined;

export interface UnitCounts {
  /** Units written with a new machine translation. */
  translated: number;
  /** Units that already held a translation and were left alone. */
  kept: number;
  /** Units with nothing written (no translation came back). */
  skipped: number;
}

export interface TextFormat<Doc> {
  id: TextFormatId;
  /** File extensions (lower case, with dot) that name this format. */
  extensions: readonly string[];
  /** True when the text looks like this format whatever the file is called. */
  sniff(text: string): boolean;
  /** Throws ParlaError('BAD_FILE', one line naming the line or element) on malformed input. */
  parse(text: string, file: string): Doc;
  /** The texts to translate, in file order. */
  units(doc: Doc): FileUnit[];
  /** The file for one target language; with no translations at all it equals the input byte for byte. */
  render(doc: Doc, lookup: UnitLookup, options: RenderOptions): { text: string; counts: UnitCounts };
  /** `messages.po` → `messages.es.po`, `en.json` → `es.json`, `film.srt` → `film.es.srt`. */
  outputName?(file: string, lang: string): string;
}
