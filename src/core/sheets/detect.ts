// Looks at a file's bytes (not only its name) before anything parses it: the source of every
// "bad input" message a person sees for a spreadsheet.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { ParlaError } from '../../shared/errors.js';
import type { SheetFormat, TextEncoding } from './plan.js';

const SNIFF_BYTES = 1024 * 1024;

function readHead(file: string, bytes: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

export interface SniffedFile {
  format: SheetFormat;
  size: number;
  mtimeMs: number;
  /** CSV only. */
  encoding?: TextEncoding;
  head?: string;
}

export function sniffFile(file: string): SniffedFile {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    throw new ParlaError('NOT_FOUND', `${file}: no such file`);
  }
  if (!stat.isFile()) throw new ParlaError('BAD_INPUT', `${file} is not a file`);
  if (stat.size === 0) throw new ParlaError('BAD_FILE', `${file} is empty`);
  const head = readHead(file, Math.min(stat.size, SNIFF_BYTES));
  const ext = extname(file).toLowerCase();
  const base = { size: stat.size, mtimeMs: stat.mtimeMs };
  if (head.length >= 4 && head.readUInt32BE(0) === 0xd0cf11e0) {
    throw new ParlaError('BAD_FILE', `${file} is password-protected or a legacy .xls workbook; save it as an unprotected .xlsx`);
  }
  const isZip = head.length >= 4 && head.readUInt32LE(0) === 0x04034b50;
  if (ext === '.xlsx' || ext === '.xlsm') {
    if (!isZip) throw new ParlaError('BAD_FILE', `${file} is not an .xlsx workbook (not a zip file)`);
    return { ...base, format: 'xlsx' };
  }
  if (ext === '.xls') throw new ParlaError('BAD_FILE', `${file}: legacy .xls is not supported; save it as .xlsx`);
  if (isZip) throw new ParlaError('BAD_FILE', `${file} is a zip file, not CSV/TSV text; rename it to .xlsx if it is a workbook`);
  const encoding = detectEncoding(head, stat.size > head.length);
  if (encoding !== 'utf16le' && encoding !== 'utf16be') {
    // Text in an 8-bit encoding has no NUL bytes; binary files almost always do.
    if (head.subarray(0, Math.min(head.length, 8192)).includes(0)) {
      throw new ParlaError('BAD_FILE', `${file} looks binary, not CSV/TSV text`);
    }
  }
  return { ...base, format: 'csv', encoding };
}

/**
 * UTF-8 (with or without BOM), UTF-16 LE/BE with BOM, else Windows-1252 when the sampled bytes
 * are not valid UTF-8. `truncated`: the sample may end inside a character.
 */
export function detectEncoding(head: Buffer, truncated: boolean): TextEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8bom';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  let sample = head;
  if (truncated) {
    // Drop a trailing partial UTF-8 sequence so a cut character is not mistaken for bad bytes.
    let end = head.length;
    for (let i = 1; i <= 3 && end - i >= 0; i++) {
      const b = head[end - i] as number;
      if ((b & 0xc0) === 0xc0) {
        end -= i;
        break;
      }
      if ((b & 0x80) === 0) break;
    }
    sample = head.subarray(0, end);
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample);
    return 'utf8';
  } catch {
    return 'win1252';
  }
}

/** Picks the delimiter that splits the sample's lines most consistently. */
export function detectDelimiter(sample: string, fileName: string): string {
  if (extname(fileName).toLowerCase() === '.tsv') return '\t';
  const lines = sample.split(/\r?\n/u).filter((l) => l.length > 0).slice(0, 50);
  let best = ',';
  let bestScore = 0;
  for (const d of [',', ';', '\t', '|']) {
    // Quoted fields may hold the delimiter; strip them before counting.
    const counts = lines.map((l) => l.replace(/"[^"]*"/gu, '').split(d).length - 1);
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((c) => c === first).length / counts.length;
    const score = consistent * 100 + first;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}
