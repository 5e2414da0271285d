// CSV/TSV, streamed end to end: ingestion and output each read the input once, row by row, so a
// million-row file runs in bounded memory. Output goes to a temp file renamed into place.
import { createReadStream, createWriteStream } from 'node:fs';
import { writeWhole } from '../output-file.js';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import iconv from 'iconv-lite';
import { ParlaError } from '../../shared/errors.js';
import type { NewText } from '../queue/backend.js';
import { textKey } from '../jobs/text-key.js';
import type { Lookup } from '../jobs/source.js';
import { detectDelimiter, sniffFile, type SniffedFile } from './detect.js';
import { IngestBuffer } from './ingest-buffer.js';
import { addedColumns, defaultColumns, noTextColumns, resolveColumns, reviewHeader, translatedHeader, type SheetPlan, type TextEncoding } from './plan.js';
import type { ItemTranslation } from '../../shared/jobs.js';
import { isTranslatableText } from './text-cells.js';
import { SAMPLE_CELLS } from '../../shared/column-class.js';

const WRITE_CHUNK = 500;

const ICONV_NAME: Record<TextEncoding, string> = {
  utf8: 'utf8',
  utf8bom: 'utf8',
  utf16le: 'utf16le',
  utf16be: 'utf16be',
  win1252: 'win1252',
};

function textStream(file: string, encoding: TextEncoding): NodeJS.ReadWriteStream {
  // iconv strips a leading BOM; output decides separately whether to write one.
  return createReadStream(file).pipe(iconv.decodeStream(ICONV_NAME[encoding]));
}

async function* rows(file: string, encoding: TextEncoding, delimiter: string): AsyncGenerator<string[]> {
  const parser = textStream(file, encoding).pipe(
    parse({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false }),
  );
  try {
    for await (const row of parser) yield row as string[];
  } catch (error) {
    throw new ParlaError('BAD_FILE', `${file}: cannot read as CSV (${(error as Error).message})`);
  }
}

/** The delimiter of a CSV/TSV file in `encoding`, from its first 64 KiB. */
async function fileDelimiter(file: string, encoding: TextEncoding): Promise<string> {
  return detectDelimiter(iconv.decode(await readHead(file, 64 * 1024), ICONV_NAME[encoding]), file);
}

/** A CSV/TSV file's rows, streamed: encoding and delimiter sniffed as a batch job reads it. */
export async function* csvFileRows(file: string): AsyncGenerator<string[]> {
  const encoding = sniffFile(file).encoding ?? 'utf8';
  yield* rows(file, encoding, await fileDelimiter(file, encoding));
}

export async function planCsv(
  file: string,
  sniffed: SniffedFile,
  to: readonly string[],
  columns: readonly string[] | undefined,
  output: string,
): Promise<SheetPlan> {
  const encoding = sniffed.encoding ?? 'utf8';
  const delimiter = await fileDelimiter(file, encoding);
  let headers: string[] | undefined;
  const samples: string[][] = [];
  let dataRows = 0;
  for await (const row of rows(file, encoding, delimiter)) {
    if (!headers) {
      headers = row;
      continue;
    }
    if (++dataRows > SAMPLE_CELLS) break;
    row.forEach((cell, i) => (samples[i] ??= []).push(cell));
  }
  if (!headers || headers.every((h) => h.trim() === '')) throw new ParlaError('BAD_FILE', `${file} has no header row`);
  if (dataRows === 0) throw new ParlaError('BAD_FILE', `${file} has a header but no rows`);
  const picked = columns && columns.length > 0 ? resolveColumns(columns, headers, 'csv') : defaultColumns(headers, samples);
  if (picked.length === 0) throw noTextColumns(file, headers, samples);
  return { file, format: 'csv', encoding, delimiter, sheets: [{ name: 'csv', columns: picked }], to: [...to], output };
}

async function readHead(file: string, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of createReadStream(file, { start: 0, end: bytes - 1 })) {
    chunks.push(chunk as Buffer);
    n += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks, n);
}

export async function ingestCsv(plan: SheetPlan, add: (texts: readonly NewText[]) => Promise<void>): Promise<void> {
  const columns = plan.sheets[0]?.columns ?? [];
  const buffer = new IngestBuffer(plan.to, add);
  let first = true;
  for await (const row of rows(plan.file, plan.encoding ?? 'utf8', plan.delimiter ?? ',')) {
    if (first) {
      first = false;
      continue;
    }
    for (const col of columns) {
      const cell = row[col.index] ?? '';
      if (isTranslatableText(cell)) buffer.push(cell);
    }
    await buffer.flushIfFull();
  }
  await buffer.flush();
}

/** Rows of the output: originals (ragged rows padded) with translations (and their review columns) right of their columns. */
async function* outputRows(plan: SheetPlan, lookup: Lookup): AsyncGenerator<string[]> {
  const columns = plan.sheets[0]?.columns ?? [];
  const translated = new Set(columns.map((c) => c.index));
  const added = addedColumns(plan);
  let width = 0;
  let header = true;
  let pending: string[][] = [];

  const expand = async (batch: string[][]): Promise<string[][]> => {
    const perLang = new Map<string, Map<string, ItemTranslation | undefined>>();
    for (const lang of plan.to) {
      const keys = [...new Set(batch.flatMap((row) => columns.map((c) => row[c.index] ?? '').filter(isTranslatableText).map(textKey)))];
      const found = keys.length > 0 ? await lookup(lang, keys) : [];
      perLang.set(lang, new Map(keys.map((k, i) => [k, found[i]])));
    }
    return batch.map((row) => {
      const out: string[] = [];
      for (let i = 0; i < Math.max(width, row.length); i++) {
        const cell = row[i] ?? '';
        out.push(cell);
        if (!translated.has(i)) continue;
        const key = isTranslatableText(cell) ? textKey(cell) : undefined;
        for (const { lang, review } of added) {
          const found = key ? perLang.get(lang)?.get(key) : undefined;
          out.push(review ? (found?.flags.join(',') ?? '') : (found?.text ?? ''));
        }
      }
      return out;
    });
  };

  for await (const row of rows(plan.file, plan.encoding ?? 'utf8', plan.delimiter ?? ',')) {
    if (header) {
      header = false;
      width = row.length;
      const out: string[] = [];
      row.forEach((h, i) => {
        out.push(h);
        if (translated.has(i)) for (const { lang, review } of added) out.push(review ? reviewHeader(h, lang) : translatedHeader(h, lang));
      });
      yield out;
      continue;
    }
    pending.push(row);
    if (pending.length >= WRITE_CHUNK) {
      yield* await expand(pending);
      pending = [];
    }
  }
  if (pending.length > 0) yield* await expand(pending);
}

/** Writes the output encoding: a BOM where the input had one or where Windows-1252 becomes UTF-8. */
function outputEncoding(encoding: TextEncoding): { name: string; bom: boolean } {
  if (encoding === 'utf8') return { name: 'utf8', bom: false };
  if (encoding === 'utf16le' || encoding === 'utf16be') return { name: encoding, bom: true };
  // Windows-1252 cannot hold most target languages: write UTF-8 with a BOM so Excel reads it.
  return { name: 'utf8', bom: true };
}

export async function writeCsv(plan: SheetPlan, lookup: Lookup): Promise<void> {
  const head = await readHead(plan.file, 64 * 1024);
  const crlf = head.includes('\r\n') || head.includes(Buffer.from('\r\0\n\0')) || head.includes(Buffer.from('\0\r\0\n'));
  const enc = outputEncoding(plan.encoding ?? 'utf8');
  const stringifier = stringify({ delimiter: plan.delimiter ?? ',', record_delimiter: crlf ? 'windows' : 'unix' });
  // iconv's encoder takes strings, not the Buffers csv-stringify emits by default.
  stringifier.setEncoding('utf8');
  await writeWhole(plan.output, (tmp) =>
    pipeline(outputRows(plan, lookup), stringifier, iconv.encodeStream(enc.name, { addBOM: enc.bom }), createWriteStream(tmp)),
  );
}
