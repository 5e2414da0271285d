// XLSX through exceljs. The workbook is read whole (styles and formulas need it); the zip guard
// has already bounded how large it can be. Output keeps every sheet, cell, type, style and
// formula, with translation columns inserted right of their source columns.
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { ParlaError } from '../../shared/errors.js';
import { writeWhole } from '../output-file.js';
import type { NewText } from '../queue/backend.js';
import { textKey } from '../jobs/text-key.js';
import type { Lookup } from '../jobs/source.js';
import { checkZip } from './zip-guard.js';
import { IngestBuffer } from './ingest-buffer.js';
import { insertionMap, shiftFormula, shiftRef, type ColumnMap } from './formula-shift.js';
import { addedColumns, defaultColumns, noTextColumns, resolveColumns, reviewHeader, translatedHeader, type PlannedSheet, type SheetPlan } from './plan.js';
import type { ItemTranslation } from '../../shared/jobs.js';
import { isTranslatableText, letterToIndex } from './text-cells.js';
import { SAMPLE_CELLS } from '../../shared/column-class.js';

/**
 * Workbook parts exceljs drops when it writes a workbook (or, for some charts, cannot even read).
 * A translated copy without them would lose the user's work without a word, so such a workbook
 * is refused with one line that names what it holds.
 */
const UNKEPT_PARTS: readonly [RegExp, string][] = [
  [/^xl\/charts\/chart[^/]*\.xml$/u, 'charts'],
  [/^xl\/pivotTables\//u, 'pivot tables'],
  [/^xl\/slicers\//u, 'slicers'],
  [/^xl\/vbaProject\.bin$/u, 'macros'],
];

function refuseUnkeptParts(file: string, entries: readonly string[]): void {
  const held = UNKEPT_PARTS.filter(([part]) => entries.some((name) => part.test(name))).map(([, what]) => what);
  if (held.length === 0) return;
  const list = held.length === 1 ? held[0] : `${held.slice(0, -1).join(', ')} and ${held.at(-1)}`;
  throw new ParlaError('BAD_FILE', `${file} has ${list}, which Parla cannot carry into the translated copy; translate a copy without them, or the sheet saved as CSV`);
}

async function load(file: string): Promise<ExcelJS.Workbook> {
  // exceljs reads the file whole anyway; reading it once here means the bytes checked are the
  // bytes exceljs inflates.
  const data = await readFile(file);
  refuseUnkeptParts(file, await checkZip(data, file));
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs types its input as its own ArrayBuffer-like `Buffer`; at run time it takes Node's.
    await wb.xlsx.load(data as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw new ParlaError('BAD_FILE', `${file} is not a readable .xlsx workbook (${(error as Error).message})`);
  }
  return wb;
}

/** The words in a cell, or undefined for anything that must not reach the model. */
export function cellText(cell: ExcelJS.Cell): string | undefined {
  let text: string | undefined;
  if (cell.type === ExcelJS.ValueType.String) text = cell.value as string;
  else if (cell.type === ExcelJS.ValueType.RichText) text = (cell.value as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join('');
  return text !== undefined && isTranslatableText(text) ? text : undefined;
}

function headerTexts(ws: ExcelJS.Worksheet): string[] {
  const row = ws.getRow(1);
  const out: string[] = [];
  for (let c = 1; c <= Math.max(row.cellCount, ws.columnCount); c++) out.push(row.getCell(c).text ?? '');
  return out;
}

/** A cell as the column classifier reads it: typed values as they would be typed in. */
function sampleText(cell: ExcelJS.Cell): string {
  switch (cell.type) {
    case ExcelJS.ValueType.Formula:
      return `=${cell.formula}`;
    case ExcelJS.ValueType.Date:
      return (cell.value as Date).toISOString().slice(0, 10);
    case ExcelJS.ValueType.Null:
    case ExcelJS.ValueType.Merge:
      return '';
    default:
      // Text, rich text, numbers, booleans, hyperlinks (their shown text), errors.
      return cell.text ?? '';
  }
}

/** Sampled cells per column, header row left out. */
function sampleColumns(ws: ExcelJS.Worksheet, width: number): string[][] {
  const samples: string[][] = Array.from({ length: width }, () => []);
  for (let r = 2; r <= Math.min(ws.rowCount, SAMPLE_CELLS + 1); r++) {
    const row = ws.getRow(r);
    samples.forEach((column, i) => column.push(sampleText(row.getCell(i + 1))));
  }
  return samples;
}

function planSheet(ws: ExcelJS.Worksheet, columns: readonly string[] | undefined): { sheet: PlannedSheet; samples: string[][]; headers: string[] } {
  const headers = headerTexts(ws);
  if (columns && columns.length > 0) return { sheet: { name: ws.name, columns: resolveColumns(columns, headers, ws.name) }, samples: [], headers };
  const samples = sampleColumns(ws, headers.length);
  return { sheet: { name: ws.name, columns: defaultColumns(headers, samples) }, samples, headers };
}

export async function planXlsx(
  file: string,
  to: readonly string[],
  columns: readonly string[] | undefined,
  sheet: string | undefined,
  output: string,
): Promise<SheetPlan> {
  const wb = await load(file);
  const names = wb.worksheets.map((ws) => ws.name);
  let chosen = wb.worksheets;
  if (sheet !== undefined) {
    const ws = wb.getWorksheet(sheet);
    if (!ws) throw new ParlaError('BAD_INPUT', `${file} has no sheet "${sheet}" (sheets: ${names.join(', ') || 'none'})`);
    if (ws.actualRowCount === 0) throw new ParlaError('BAD_FILE', `sheet "${sheet}" of ${file} is empty`);
    chosen = [ws];
  }
  const nonEmpty = chosen.filter((ws) => ws.actualRowCount > 0);
  if (nonEmpty.length === 0) throw new ParlaError('BAD_FILE', `${file} has no data (every sheet is empty)`);
  // Without --sheet, every sheet (the same in every door): each one's prose and label columns,
  // or the named columns where the sheet has them. A sheet with none of them is left as it is.
  const planned: PlannedSheet[] = [];
  let firstError: unknown;
  let firstSeen: ReturnType<typeof planSheet> | undefined;
  for (const ws of nonEmpty) {
    try {
      const p = planSheet(ws, columns);
      firstSeen ??= p;
      if (p.sheet.columns.length > 0) planned.push(p.sheet);
    } catch (error) {
      firstError ??= error;
    }
  }
  if (planned.length === 0) {
    if (firstError) throw firstError;
    const where = chosen.length === 1 ? `sheet "${firstSeen?.sheet.name ?? ''}" of ${file}` : file;
    throw noTextColumns(where, firstSeen?.headers ?? [], firstSeen?.samples ?? []);
  }
  return { file, format: 'xlsx', sheets: planned, to: [...to], output };
}

export async function ingestXlsx(plan: SheetPlan, add: (texts: readonly NewText[]) => Promise<void>): Promise<void> {
  const wb = await load(plan.file);
  const buffer = new IngestBuffer(plan.to, add);
  for (const sp of plan.sheets) {
    const ws = wb.getWorksheet(sp.name);
    if (!ws) throw new ParlaError('BAD_FILE', `${plan.file} no longer has sheet "${sp.name}"`);
    for (let r = 2; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      for (const col of sp.columns) {
        const text = cellText(row.getCell(col.index + 1));
        if (text !== undefined) buffer.push(text);
      }
      await buffer.flushIfFull();
    }
  }
  await buffer.flush();
}

/** Shared formulas point at a master cell by address; give each cell its own formula before cells move. */
function unshareFormulas(wb: ExcelJS.Workbook): void {
  for (const ws of wb.worksheets) {
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        const v = cell.value as ExcelJS.CellSharedFormulaValue | null;
        if (cell.type === ExcelJS.ValueType.Formula && v && 'sharedFormula' in v && v.sharedFormula) {
          cell.value = { formula: cell.formula, result: v.result } as ExcelJS.CellFormulaValue;
        }
      });
    });
  }
}

async function translationsFor(ws: ExcelJS.Worksheet, sp: PlannedSheet, langs: readonly string[], lookup: Lookup) {
  const cells: { row: number; col: number; key: string }[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    for (const col of sp.columns) {
      const text = cellText(row.getCell(col.index + 1));
      if (text !== undefined) cells.push({ row: r, col: col.index, key: textKey(text) });
    }
  }
  const keys = [...new Set(cells.map((c) => c.key))];
  const byLang = new Map<string, Map<string, ItemTranslation | undefined>>();
  for (const lang of langs) {
    const found: (ItemTranslation | undefined)[] = [];
    for (let i = 0; i < keys.length; i += 5000) found.push(...(await lookup(lang, keys.slice(i, i + 5000))));
    byLang.set(lang, new Map(keys.map((k, i) => [k, found[i]])));
  }
  return { cells, byLang };
}

interface MergeRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/**
 * exceljs's spliceColumns moves cells, column widths and defined names, but not merges, the
 * auto-filter, data validations, conditional formats, tables, pictures or frozen panes. Left behind, a merge
 * would cover (and hide) the cells that moved into it. Merges are lifted before the columns move
 * and laid down again by `moveLayout`.
 */
function takeMerges(ws: ExcelJS.Worksheet): MergeRange[] {
  // exceljs keeps merges only in this internal map (ws.model rebuilds the whole sheet).
  const internal = (ws as unknown as { _merges: Record<string, MergeRange> })._merges;
  const merges = Object.values(internal).map(({ top, left, bottom, right }) => ({ top, left, bottom, right }));
  for (const m of merges) ws.unMergeCells(m.top, m.left, m.bottom, m.right);
  return merges;
}

/** Parts of an exceljs worksheet its typings leave out. */
interface SheetExtras {
  dataValidations: { model: Record<string, ExcelJS.DataValidation | undefined> };
  conditionalFormattings?: { ref: string; rules: { formulae?: unknown[] }[] }[];
}

/** Columns inserted right of 1-based source column `after`: a translation per language, each with its review column when asked for. */
interface Insertion {
  after: number;
  added: readonly { lang: string; review: boolean }[];
}

function addedHeader(header: string, column: { lang: string; review: boolean }): string {
  return column.review ? reviewHeader(header, column.lang) : translatedHeader(header, column.lang);
}

/** An Excel table as exceljs reads and writes it (its typings leave the model out). */
interface TableModel {
  tableRef: string;
  autoFilterRef?: string;
  headerRow?: boolean;
  columns: { name: string; filterButton?: boolean }[];
}

/**
 * An Excel table ("Format as Table") must list one named column per column of its range, named
 * as its header cell, or Excel reports the file as damaged. A table moves with its cells; a
 * translation column inserted inside it becomes a table column named like its header.
 */
function moveTables(ws: ExcelJS.Worksheet, map: ColumnMap, insertions: readonly Insertion[]): void {
  for (const table of ws.getTables() as unknown as { table: TableModel }[]) {
    const model = table.table;
    const [start, end = start] = model.tableRef.split(':') as [string, string?];
    const left = letterToIndex(start.replace(/\d+$/u, ''));
    const right = letterToIndex(end.replace(/\d+$/u, ''));
    const top = Number(start.replace(/^[A-Z]+/u, ''));
    if (left === undefined || right === undefined) continue;
    const names = new Set(model.columns.map((c) => c.name));
    const columns: TableModel['columns'] = [];
    model.columns.forEach((column, k) => {
      columns.push(column);
      const inside = insertions.find((ins) => ins.after === left + 1 + k && ins.after < right + 1);
      inside?.added.forEach((added, j) => {
        const header = addedHeader(column.name, added);
        let name = header;
        for (let n = 2; names.has(name); n++) name = `${header} ${n}`;
        names.add(name);
        columns.push({ name, filterButton: column.filterButton ?? false });
        // The header cell must read as the table column's name (a table below row 1 has a
        // header row of its own, where the new column holds a translation of the header).
        if (model.headerRow !== false) ws.getCell(top, map(left + 1 + k) + 1 + j).value = name;
      });
    });
    model.columns = columns;
    model.tableRef = shiftRef(model.tableRef, map);
    if (model.autoFilterRef) model.autoFilterRef = shiftRef(model.autoFilterRef, map);
  }
}

function moveLayout(ws: ExcelJS.Worksheet, map: ColumnMap, merges: readonly MergeRange[], insertions: readonly Insertion[]): void {
  const translated = insertions.map((ins) => ins.after);
  moveTables(ws, map, insertions);
  const extras = ws as unknown as SheetExtras;
  for (const m of merges) {
    // A merge that runs on past a translated column would swallow its translations (they would
    // become hidden parts of the merge): it then ends at the translated column.
    const cut = translated.find((col) => col >= m.left && col < m.right);
    const right = cut ?? m.right;
    if (m.top === m.bottom && m.left === right) continue;
    ws.mergeCellsWithoutStyle(m.top, map(m.left), m.bottom, map(right));
  }
  if (typeof ws.autoFilter === 'string') ws.autoFilter = shiftRef(ws.autoFilter, map);
  const movedValidations: Record<string, ExcelJS.DataValidation | undefined> = {};
  for (const [address, rule] of Object.entries(extras.dataValidations.model)) {
    if (rule) movedValidations[shiftRef(address, map)] = rule;
  }
  extras.dataValidations.model = movedValidations;
  for (const format of extras.conditionalFormattings ?? []) format.ref = shiftRef(format.ref, map);
  // Pictures are anchored to 0-based columns: they move with their cells (and widen, as in
  // Excel, when columns are inserted under them).
  for (const image of ws.getImages()) {
    const range = image.range as unknown as { tl: { nativeCol: number }; br?: { nativeCol: number } };
    for (const anchor of [range.tl, range.br]) if (anchor) anchor.nativeCol = map(anchor.nativeCol + 1) - 1;
  }
  for (const view of ws.views ?? []) {
    const frozen = view as Partial<ExcelJS.WorksheetViewFrozen>;
    if (frozen.xSplit) frozen.xSplit = map(frozen.xSplit);
    if (frozen.topLeftCell) frozen.topLeftCell = shiftRef(frozen.topLeftCell, map);
  }
}

/**
 * Once every sheet's columns have moved: each formula of the workbook (in cells, data
 * validations and conditional formats) follows the cells it points at, on any sheet.
 */
function shiftSheetFormulas(ws: ExcelJS.Worksheet, maps: ReadonlyMap<string, ColumnMap>): void {
  const shift = (formulae: unknown[]) => formulae.map((f) => (typeof f === 'string' ? shiftFormula(f, ws.name, maps) : f));
  ws.eachRow({ includeEmpty: false }, (row) => {
    row.eachCell({ includeEmpty: false }, (cell) => {
      if (cell.type !== ExcelJS.ValueType.Formula) return;
      const v = cell.value as ExcelJS.CellFormulaValue;
      const shifted = shiftFormula(v.formula, ws.name, maps);
      if (shifted !== v.formula) cell.value = { ...v, formula: shifted };
    });
  });
  const extras = ws as unknown as SheetExtras;
  // One rule object may stand for many cells: shift each rule once.
  for (const rule of new Set(Object.values(extras.dataValidations.model))) if (rule?.formulae) rule.formulae = shift(rule.formulae);
  for (const format of extras.conditionalFormattings ?? []) {
    for (const rule of format.rules) if (rule.formulae) rule.formulae = shift(rule.formulae);
  }
}

export async function writeXlsx(plan: SheetPlan, lookup: Lookup): Promise<void> {
  const wb = await load(plan.file);
  unshareFormulas(wb);
  const maps = new Map<string, ColumnMap>();
  const added = addedColumns(plan);
  const n = added.length;
  for (const sp of plan.sheets) {
    const ws = wb.getWorksheet(sp.name);
    if (!ws) throw new ParlaError('BAD_FILE', `${plan.file} no longer has sheet "${sp.name}"`);
    const { cells, byLang } = await translationsFor(ws, sp, plan.to, lookup);
    const map = insertionMap(sp.columns.map((c) => ({ after: c.index + 1, count: n })));
    const merges = takeMerges(ws);
    // Right to left, so columns still to be processed keep their original positions.
    for (const col of [...sp.columns].sort((a, b) => b.index - a.index)) {
      const src = col.index + 1;
      ws.spliceColumns(src + 1, 0, ...added.map(() => []));
      const width = ws.getColumn(src).width;
      added.forEach((column, j) => {
        const dst = src + 1 + j;
        if (width !== undefined) ws.getColumn(dst).width = width;
        const head = ws.getRow(1).getCell(dst);
        head.value = addedHeader(col.header, column);
        head.style = ws.getRow(1).getCell(src).style;
      });
    }
    for (const c of cells) {
      const row = ws.getRow(c.row);
      const at = map(c.col + 1);
      added.forEach(({ lang, review }, j) => {
        const found = byLang.get(lang)?.get(c.key);
        const value = review ? found?.flags.join(',') : found?.text;
        // A clean row's review cell stays empty, like an item not translated.
        if (!value) return;
        const cell = row.getCell(at + 1 + j);
        cell.value = value;
        cell.style = row.getCell(at).style;
      });
    }
    moveLayout(ws, map, merges, sp.columns.map((c) => ({ after: c.index + 1, added })));
    maps.set(sp.name, map);
  }
  for (const ws of wb.worksheets) shiftSheetFormulas(ws, maps);
  await writeWhole(plan.output, (tmp) => wb.xlsx.writeFile(tmp));
}

/** A workbook from bytes Parla wrote itself (a job's result): no zip guard, no part check. */
async function loadBytes(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  return wb;
}

/** Each sheet's cells as shown text, header row first (review filters read results this way). */
export async function xlsxTextTables(bytes: Uint8Array): Promise<string[][][]> {
  const wb = await loadBytes(bytes);
  return wb.worksheets.map((ws) => {
    const rows: string[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((_, i) => row.getCell(i + 1).text ?? '')));
    return rows;
  });
}

/**
 * The workbook with, on each sheet where `columnsOf(header)` names columns (0-based), only the
 * header and the rows with text in one of them; other sheets as they were. `filtered`: how many
 * sheets were cut. `header` holds the header row's raw values (strings where the cell is text).
 */
export async function keepXlsxRows(bytes: Uint8Array, columnsOf: (header: readonly unknown[]) => number[]): Promise<{ bytes: Uint8Array; filtered: number }> {
  const wb = await loadBytes(bytes);
  let filtered = 0;
  for (const ws of wb.worksheets) {
    const columns = columnsOf((ws.getRow(1).values as unknown[]).slice(1)).map((i) => i + 1); // exceljs rows are 1-based
    if (!columns.length) continue;
    filtered += 1;
    // Bottom up, so deleting a row leaves the numbers of those still to look at.
    for (let r = ws.rowCount; r >= 2; r--) {
      const row = ws.getRow(r);
      if (!columns.some((c) => String(row.getCell(c).text ?? '').trim() !== '')) ws.spliceRows(r, 1);
    }
  }
  return { bytes: new Uint8Array(await wb.xlsx.writeBuffer()), filtered };
}
