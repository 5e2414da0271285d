// The text formats Parla reads and writes besides spreadsheets, in sniffing order.
import { poFormat } from './po.js';
import type { TextFormat } from './text-format.js';

/** A format whose document type is its own business: the registry only hands a document back to the format that made it. */
export type AnyTextFormat = TextFormat<unknown>;

/**
 * Every text format. XLIFF, i18n JSON and SRT/WebVTT (xliffFormat, jsonFormat, srtFormat,
 * vttFormat from ./xliff.js, ./json.js, ./subtitles.js) go here too, after poFormat.
 */
export const TEXT_FORMATS: readonly AnyTextFormat[] = [
  poFormat,
  // ── other text formats go here ──
];
