// A first look at a file's bytes before any form is shown for it: an image, a PDF, a binary file
// named .csv or an empty file is explained in one line where it was dropped, instead of a form
// that cannot work and an error from the services later. The services still read every file fully.

import { isBatchFile } from './files.js';

/** Bytes `batchFileProblem` looks at. */
export const FILE_CHECK_BYTES = 8192;

const SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'a legacy Office file (.xls or .doc)' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive' },
];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const WORKBOOK = /\.(xlsx|xlsm)$/iu;

/** What Parla translates, in a person's words. */
export const TRANSLATABLE_FILES = 'CSV, TSV, XLSX, PO, XLIFF, JSON, SRT or VTT';

function startsWith(head: Uint8Array, bytes: readonly number[]): boolean {
  return head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
}

/**
 * Why `name` cannot be translated as a batch job, in one line, judged from its size and first
 * bytes (FILE_CHECK_BYTES of them); undefined when it may be (its format is then the services' to find).
 */
export function batchFileProblem(name: string, size: number, head: Uint8Array): string | undefined {
  if (size === 0) return `${name} is empty: there is nothing in it to translate.`;
  const known = SIGNATURES.find((s) => startsWith(head, s.bytes));
  if (known) {
    const hint = known.what.startsWith('a legacy Office') ? ' Save it as .xlsx and try again.' : ` Parla translates ${TRANSLATABLE_FILES} files.`;
    return `${name} is ${known.what}, not a file Parla can translate.${hint}`;
  }
  const zip = startsWith(head, ZIP);
  if (WORKBOOK.test(name) && !zip) return `${name} is named like an Excel workbook but is not one inside. Save it from Excel (or LibreOffice) as .xlsx.`;
  if (zip && !WORKBOOK.test(name)) return `${name} is a zip archive (a Word or other Office document?). Parla translates ${TRANSLATABLE_FILES} files; save a workbook as .xlsx.`;
  if (zip) return undefined;
  const utf16 = startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff]);
  // Text has no NUL bytes (UTF-16 aside); binary files almost always do.
  if (!utf16 && head.includes(0)) return `${name} is not a text file (its content is binary). Parla translates ${TRANSLATABLE_FILES} files.`;
  if (!utf16 && size <= head.length && new TextDecoder().decode(head).trim() === '') return `${name} holds only blank lines: there is nothing in it to translate.`;
  // A text file of another kind (.md, .html, …): the services would read it as CSV.
  if (!isBatchFile(name) && !/\.txt$/iu.test(name)) return `${name} is not a file Parla translates: choose a ${TRANSLATABLE_FILES} file.`;
  return undefined;
}
