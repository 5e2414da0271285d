// Glossary files: CSV or TSV with columns source,target[,dnt,case_sensitive,whole_word]. A header
// row is optional (recognized by its names, which may then come in any order). Text must decode
// cleanly: UTF-8 (BOM or not) or UTF-16 (BOM or not) are read; anything else is one BAD_FILE line
// naming the fix (`--encoding`), never a silently garbled term.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { ParlaError } from '../../shared/errors.js';
import type { GlossaryEntry, GlossaryFileFormat, NewGlossaryEntry } from '../../shared/glossary.js';

const COLUMNS = ['source', 'target', 'dnt', 'case_sensitive', 'whole_word'] as const;
type Column = (typeof COLUMNS)[number];
/** Header names other tools write for the same columns. */
const ALIASES: Record<string, Column> = {
  source: 'source', term: 'source', src: 'source',
  target: 'target', translation: 'target', tgt: 'target',
  dnt: 'dnt', do_not_translate: 'dnt', donottranslate: 'dnt',
  case_sensitive: 'case_sensitive', casesensitive: 'case_sensitive', case: 'case_sensitive',
  whole_word: 'whole_word', wholeword: 'whole_word',
};

/** The file's text. `encoding`: an iconv-lite name the user gave for a file that is not Unicode. */
export function decodeGlossaryBytes(bytes: Uint8Array, name: string, encoding?: string): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (encoding) {
    if (!iconv.encodingExists(encoding)) throw new ParlaError('BAD_INPUT', `unknown encoding "${encoding}" (try utf-8, latin1, windows-1252, utf-16le)`);
    return iconv.decode(buf, encoding);
  }
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return strictUtf8(buf.subarray(3), name);
  if (buf[0] === 0xff && buf[1] === 0xfe) return iconv.decode(buf.subarray(2), 'utf-16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) return iconv.decode(buf.subarray(2), 'utf-16be');
  const utf16 = bomlessUtf16(buf);
  if (utf16) return iconv.decode(buf, utf16);
  if (buf.subarray(0, 8192).includes(0)) throw new ParlaError('BAD_FILE', `${name} looks binary, not CSV/TSV text`);
  return strictUtf8(buf, name);
}

function strictUtf8(buf: Buffer, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    const at = firstBadUtf8(buf);
    const line = buf.subarray(0, at).toString('latin1').split('\n').length;
    throw new ParlaError(
      'BAD_FILE',
      `${name} is not UTF-8 (byte 0x${buf[at]?.toString(16).padStart(2, '0')} on line ${line}); save it as UTF-8, or name its encoding: --encoding windows-1252`,
    );
  }
}

function firstBadUtf8(buf: Buffer): number {
  // The longest prefix that decodes (a prefix cut inside a character decodes too, streaming)
  // ends where the bad sequence begins, or just after its lead byte.
  let lo = 0;
  let hi = buf.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  for (let back = 1; back <= 3 && lo - back >= 0; back++) if (buf[lo - back]! >= 0xc0) return lo - back;
  return lo;
}

/** UTF-16 written without a BOM: mostly-Latin text has a NUL in every other byte. */
function bomlessUtf16(buf: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(buf.length - (buf.length % 2), 4096);
  if (n < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) evenNul++;
    if (buf[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.3 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.3 && oddNul < pairs * 0.05) return 'utf-16be';
  return undefined;
}

export function formatFor(name: string, format?: string): GlossaryFileFormat {
  const f = (format ?? name.slice(name.lastIndexOf('.') + 1)).toLowerCase();
  if (f === 'csv' || f === 'tsv') return f;
  if (f === 'txt' || format === undefined) return 'csv';
  throw new ParlaError('BAD_INPUT', `glossary files are CSV or TSV, got "${f}"`);
}

function flag(value: string | undefined, column: Column, line: number, name: string): boolean | undefined {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '') return undefined;
  if (['1', 'true', 'yes', 'y', 'x'].includes(v)) return true;
  if (['0', 'false', 'no', 'n'].includes(v)) return false;
  throw new ParlaError('BAD_FILE', `${name} line ${line}: ${column} must be true or false, got "${value}"`);
}

/** Parses a glossary file's text into entries of the pair `from`→`to`. */
export function parseGlossaryText(text: string, name: string, pair: { from: string; to: string }, format = formatFor(name)): NewGlossaryEntry[] {
  let rows: string[][];
  try {
    rows = parse(text, {
      delimiter: format === 'tsv' ? '\t' : ',',
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      bom: true,
    }) as string[][];
  } catch (error) {
    throw new ParlaError('BAD_FILE', `${name}: cannot read as ${format.toUpperCase()} (${(error as Error).message.split('\n')[0]})`);
  }
  if (rows.length === 0) throw new ParlaError('BAD_FILE', `${name} holds no glossary entries`);
  const head = rows[0]!.map((c) => ALIASES[c.trim().toLowerCase().replace(/[\s-]+/gu, '_')]);
  const hasHeader = head.includes('source') && head.every((c) => c !== undefined);
  const order: (Column | undefined)[] = hasHeader ? head : [...COLUMNS];
  if (hasHeader && !head.includes('target') && !head.includes('dnt')) {
    throw new ParlaError('BAD_FILE', `${name}: the header names no target (or dnt) column`);
  }
  const entries: NewGlossaryEntry[] = [];
  rows.slice(hasHeader ? 1 : 0).forEach((row, i) => {
    const line = i + (hasHeader ? 2 : 1);
    const cell = (c: Column) => {
      const at = order.indexOf(c);
      return at >= 0 ? row[at] : undefined;
    };
    const source = (cell('source') ?? '').trim();
    const target = (cell('target') ?? '').trim();
    const dnt = flag(cell('dnt'), 'dnt', line, name) ?? false;
    if (!source) throw new ParlaError('BAD_FILE', `${name} line ${line}: no source term`);
    if (!target && !dnt) throw new ParlaError('BAD_FILE', `${name} line ${line}: "${source.slice(0, 40)}" has no target term (give one, or dnt=true)`);
    const caseSensitive = flag(cell('case_sensitive'), 'case_sensitive', line, name);
    const wholeWord = flag(cell('whole_word'), 'whole_word', line, name);
    entries.push({
      from: pair.from,
      to: pair.to,
      source,
      ...(dnt ? { doNotTranslate: true } : { target }),
      ...(caseSensitive !== undefined ? { caseSensitive } : {}),
      ...(wholeWord !== undefined ? { wholeWord } : {}),
    });
  });
  return entries;
}

/** A glossary file (with its header row) that parseGlossaryText reads back to the same entries. */
export function formatGlossaryFile(entries: readonly GlossaryEntry[], format: GlossaryFileFormat): string {
  return stringify(
    entries.map((e) => [e.source, e.target, e.doNotTranslate, e.caseSensitive, e.wholeWord]),
    { header: true, columns: [...COLUMNS], delimiter: format === 'tsv' ? '\t' : ',', cast: { boolean: (b) => (b ? 'true' : 'false') } },
  );
}
