// The text formats Parla reads and writes besides spreadsheets, in sniffing order.
import { jsonFormat } from './json.js';
import { poFormat } from './po.js';
import { srtFormat, vttFormat } from './subtitles.js';
import { xliffFormat } from './xliff.js';
import type { TextFormat } from './text-format.js';

/** A format whose document type is its own business: the registry only hands a document back to the format that made it. */
export type AnyTextFormat = TextFormat<unknown>;

/** Every text format, in sniffing order (each sniffs its own shape: PO entries, a root <xliff>, a JSON object, cue timings, a WEBVTT header). */
export const TEXT_FORMATS: readonly AnyTextFormat[] = [poFormat, xliffFormat, jsonFormat, srtFormat, vttFormat];
