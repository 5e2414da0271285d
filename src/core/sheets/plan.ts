// A spreadsheet job's plan: what to read, which columns to translate, where to write. It is
// stored in the job spec (JSON), so a restarted process rebuilds the same job from it.
import { ParlaError } from '../../shared/errors.js';
import { indexToLetter, letterToIndex } from './text-cells.js';

export type SheetFormat = 'csv' | 'xlsx';
export type TextEncoding = 'utf8' | 'utf8bom' | 'utf16le' | 'utf16be' | 'win1252';

export interface PlannedColumn {
  /** 0-based index in the original sheet. */
  index: number;
  header: string;
}

export interface PlannedSheet {
  name: string;
  columns: PlannedColumn[];
}

export interface SheetPlan {
  file: string;
  format: SheetFormat;
  /** CSV only. */
  encoding?: TextEncoding;
  delimiter?: string;
  sheets: PlannedSheet[];
  to: string[];
  output: string;
  /** A review column (the item's flags) right of each translated column; absent in plans made before. */
  review?: boolean;
}

/** Share of sampled non-empty cells that must be text for a column to be translated by default. */
export const MOSTLY_TEXT = 0.5;

/**
 * Resolves `--columns` entries against a header row: a header name wins over a letter (a column
 * may be called "A"); unknown entries fail with the headers that exist.
 */
export function resolveColumns(requested: readonly string[], headers: readonly string[], sheet: string): PlannedColumn[] {
  const picked = requested.map((want): PlannedColumn => {
    const byName = headers.findIndex((h) => h.trim().toLowerCase() === want.trim().toLowerCase());
    const index = byName >= 0 ? byName : letterToIndex(want.trim());
    if (index === undefined || (byName < 0 && index >= headers.length)) {
      const known = headers.map((h, i) => `${indexToLetter(i)}=${JSON.stringify(h)}`).join(', ');
      throw new ParlaError('BAD_INPUT', `column "${want}" not found in sheet "${sheet}" (columns: ${known || 'none'})`);
    }
    return { index, header: headers[index] || indexToLetter(index) };
  });
  const seen = new Set<number>();
  return picked.filter((c) => !seen.has(c.index) && seen.add(c.index)).sort((a, b) => a.index - b.index);
}

/** Columns where most sampled values are text (per-column [text, nonEmpty] counts). */
export function mostlyTextColumns(headers: readonly string[], counts: readonly (readonly [number, number])[]): PlannedColumn[] {
  const out: PlannedColumn[] = [];
  counts.forEach(([text, nonEmpty], index) => {
    if (nonEmpty > 0 && text / nonEmpty > MOSTLY_TEXT) out.push({ index, header: headers[index] || indexToLetter(index) });
  });
  return out;
}

/** `data.csv` → `data.es.csv`; several languages → `data.es+fr.csv`. */
export function defaultOutput(file: string, to: readonly string[]): string {
  const dot = file.lastIndexOf('.');
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  const langs = to.join('+');
  return dot > slash ? `${file.slice(0, dot)}.${langs}${file.slice(dot)}` : `${file}.${langs}`;
}

export function translatedHeader(header: string, lang: string): string {
  return `${header} (${lang})`;
}

/** The column right of a translation that names its review flags (empty when clean). */
export function reviewHeader(header: string, lang: string): string {
  return `${translatedHeader(header, lang)} review`;
}

/** What goes right of each source column, in order: a translation per language, each followed by its review column when asked for. */
export function addedColumns(plan: Pick<SheetPlan, 'to' | 'review'>): { lang: string; review: boolean }[] {
  return plan.to.flatMap((lang) => (plan.review ? [{ lang, review: false }, { lang, review: true }] : [{ lang, review: false }]));
}
