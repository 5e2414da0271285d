// "Only the rows that need review": a finished batch's result cut down to its header and the rows
// with a flag in any review column (`<header> (<lang>) review`, docs/review.md), rows otherwise as
// the job wrote them (same delimiter, quoting, encoding and cells). Serves GET
// /api/v1/jobs/:id/review and the app's flagged-only download.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { ParlaError } from '../../shared/errors.js';
import type { FilePayload } from '../../shared/files.js';
import { csvFileRows } from '../sheets/csv.js';
import { detectDelimiter } from '../sheets/detect.js';

const REVIEW_HEADER = /^.* \([^()]+\) review$/;

/** XLSX code (exceljs, the one module that touches it) loads only for XLSX results. */
const xlsx = () => import('../sheets/xlsx.js');

/**
 * The cells of a result's rows that carry `flag` in a review column, each with its source cell
 * (the column the review column is named after): `[{ source, to }]`, one per flagged cell.
 */
export async function flaggedSources(file: string, flag: string): Promise<{ source: string; to: string }[]> {
  const out: { source: string; to: string }[] = [];
  const tables = await resultTables(file);
  for (const table of tables) {
    // Row by row: a million-row result is read once and only its flagged cells are kept.
    let columns: { reviewAt: number; sourceAt: number; to: string }[] | undefined;
    for await (const row of table) {
      if (!columns) {
        columns = row.flatMap((name, reviewAt) => {
          const m = /^(.*) \(([^()]+)\) review$/.exec(name);
          const sourceAt = m ? row.indexOf(m[1]!) : -1;
          return m && sourceAt >= 0 ? [{ reviewAt, sourceAt, to: m[2]! }] : [];
        });
        continue;
      }
      for (const c of columns) if ((row[c.reviewAt] ?? '').split(',').includes(flag)) out.push({ source: row[c.sourceAt] ?? '', to: c.to });
    }
  }
  return out;
}

/**
 * Each table of a result file, row by row: a CSV/TSV streamed from disk; a workbook's sheets
 * (exceljs reads it whole, as the job did).
 */
async function resultTables(file: string): Promise<AsyncIterable<string[]>[]> {
  if (extname(file).toLowerCase() === '.xlsx') return (await (await xlsx()).xlsxTextTables(await readFile(file))).map(fromArray);
  return [csvFileRows(file)];
}

async function* fromArray(rows: string[][]): AsyncIterable<string[]> {
  yield* rows;
}

/** The result without its unflagged rows; its name gains `.review` before the extension. */
export async function flaggedRows(result: FilePayload): Promise<FilePayload> {
  const ext = extname(result.fileName).toLowerCase();
  if (!['.csv', '.tsv', '.xlsx'].includes(ext)) {
    // Localization files carry review marks in their own way (PO fuzzy, XLIFF states): open them in a translation tool.
    throw new ParlaError('BAD_INPUT', `rows to review are filtered for spreadsheets; ${ext || 'this'} files mark them in place (PO: #, fuzzy; XLIFF: state)`);
  }
  const fileName = `${result.fileName.slice(0, result.fileName.length - ext.length)}.review${ext}`;
  const bytes = ext === '.xlsx' ? await flaggedXlsx(result.bytes) : flaggedCsv(result.bytes, result.fileName);
  return { fileName, mimeType: result.mimeType, bytes };
}

/** Where a header has review columns (0-based). */
function reviewAt(header: readonly unknown[]): number[] {
  return header.flatMap((cell, i) => (typeof cell === 'string' && REVIEW_HEADER.test(cell) ? [i] : []));
}

function reviewColumns(header: readonly unknown[]): number[] {
  const at = reviewAt(header);
  if (!at.length) throw new ParlaError('BAD_INPUT', 'this job was run without review columns (--no-review); run it again with them to filter its rows');
  return at;
}

/** The job writes UTF-16 with a BOM, anything else as UTF-8 (with the BOM the input had). */
function decodeCsv(bytes: Uint8Array): { encoding: string; bom: string; body: string } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const encoding = buffer[0] === 0xff && buffer[1] === 0xfe ? 'utf16le' : buffer[0] === 0xfe && buffer[1] === 0xff ? 'utf16be' : 'utf8';
  const text = iconv.decode(buffer, encoding, { stripBOM: false });
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  return { encoding, bom, body: text.slice(bom.length) };
}

function csvTable(bytes: Uint8Array, fileName: string): { record: string[]; raw: string }[] {
  const { body } = decodeCsv(bytes);
  return parse(body, {
    delimiter: detectDelimiter(body.slice(0, 64 * 1024), fileName),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    raw: true,
  }) as unknown as { record: string[]; raw: string }[];
}

function flaggedCsv(bytes: Uint8Array, fileName: string): Uint8Array {
  const { encoding, bom, body } = decodeCsv(bytes);
  const [header, ...rows] = csvTable(bytes, fileName);
  if (!header) return bytes;
  const columns = reviewColumns(header.record);
  // A record's raw text holds some or none of its line ending: each kept row ends as the header does.
  const eol = body[body.search(/\r?\n/)] === '\r' ? '\r\n' : '\n';
  const kept = rows.filter((r) => columns.some((i) => (r.record[i] ?? '').trim() !== ''));
  return iconv.encode(bom + [header, ...kept].map((r) => r.raw.replace(/\r?\n?$/, '') + eol).join(''), encoding);
}

async function flaggedXlsx(bytes: Uint8Array): Promise<Uint8Array> {
  const kept = await (await xlsx()).keepXlsxRows(bytes, reviewAt);
  if (!kept.filtered) reviewColumns([]);
  return kept.bytes;
}
