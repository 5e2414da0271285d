// The flagged-only download: a batch result cut to its header and the rows with a flag, rows
// kept byte for byte; XLSX keeps its workbook; a result without review columns is refused.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { flaggedRows, flaggedSources } from '../../src/core/review/flagged-rows.js';
import { batchNoModelNote } from '../../src/core/detect/no-model.js';
import type { FilePayload } from '../../src/shared/files.js';

const csv = (text: string, fileName = 'out.csv'): FilePayload => ({ fileName, mimeType: 'text/csv', bytes: new TextEncoder().encode(text) });
// ignoreBOM: keep a BOM in the decoded text, to see that it is written.
const text = (p: FilePayload) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(p.bytes);

describe('flagged rows', () => {
  it('keeps the header and the flagged rows as written: quotes, CRLF, a newline in a cell', async () => {
    const out = await flaggedRows(
      csv('id,text,text (es),text (es) review\r\n1,Hi,Hola,\r\n2,"Two\r\nlines","Dos\r\nlíneas","repetition,length"\r\n3,ok,vale,\r\n4,"Hola, qué tal",,same_language\r\n'),
    );
    expect(out.fileName).toBe('out.review.csv');
    expect(text(out)).toBe('id,text,text (es),text (es) review\r\n2,"Two\r\nlines","Dos\r\nlíneas","repetition,length"\r\n4,"Hola, qué tal",,same_language\r\n');
  });

  it('reads semicolons, a UTF-8 BOM and UTF-16 as the job wrote them', async () => {
    const semi = await flaggedRows(csv('\uFEFFa;a (fr);a (fr) review\n1;un;\n2;;no_model\n'));
    expect(text(semi)).toBe('\uFEFFa;a (fr);a (fr) review\n2;;no_model\n');
    const wide = iconv.encode('a,a (es),a (es) review\n1,uno,\n2,dos,low_confidence\n', 'utf16le', { addBOM: true });
    const out = await flaggedRows({ fileName: 'x.csv', mimeType: 'text/csv', bytes: new Uint8Array(wide) });
    expect(iconv.decode(Buffer.from(out.bytes), 'utf16le')).toBe('a,a (es),a (es) review\n2,dos,low_confidence\n');
  });

  it('removes the unflagged rows of every sheet of a workbook', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('A').addRows([['name', 'name (es)', 'name (es) review'], ['Hat', 'Sombrero', ''], ['Loop', 'te te te', 'repetition'], ['Cap', 'Gorra', '']]);
    book.addWorksheet('B').addRows([['x', 'x (es)', 'x (es) review'], ['ok', 'vale', '']]);
    const out = await flaggedRows({ fileName: 'p.xlsx', mimeType: 'application/octet-stream', bytes: new Uint8Array(await book.xlsx.writeBuffer()) });
    expect(out.fileName).toBe('p.review.xlsx');
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(Buffer.from(out.bytes) as unknown as ArrayBuffer);
    expect(back.getWorksheet('A')!.getSheetValues().slice(1).map((r) => (r as unknown[]).slice(1))).toEqual([
      ['name', 'name (es)', 'name (es) review'],
      ['Loop', 'te te te', 'repetition'],
    ]);
    expect(back.getWorksheet('B')!.rowCount).toBe(1);
  });

  it('refuses a result without review columns (a --no-review job)', async () => {
    await expect(flaggedRows(csv('id,text,text (es)\n1,Hi,Hola\n'))).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('--no-review') });
  });

  it('finds the source of each no_model cell, and names the model to download', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'parla-flagged-')), 'out.csv');
    writeFileSync(file, "id,text,text (es),text (es) review\n1,Hello there my friend,Hola,\n2,Impossible d'ouvrir le fichier car il est verrouillé.,,no_model\n");
    expect(await flaggedSources(file, 'no_model')).toEqual([{ source: "Impossible d'ouvrir le fichier car il est verrouillé.", to: 'es' }]);
    expect(await batchNoModelNote(file)).toBe('1 left untranslated: no model for fr→es; run: parla models download Xenova/opus-mt-fr-es');
  }, 30_000);

  it('reads a result file on disk row by row, CSV (UTF-16 too) and XLSX alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parla-flagged-'));
    const text = "id;text;text (es);text (es) review\n1;Hello there;Hola;\n2;Guten Morgen, wie geht es dir?;;no_model\n";
    const csvFile = join(dir, 'out.csv');
    writeFileSync(csvFile, Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]));
    expect(await flaggedSources(csvFile, 'no_model')).toEqual([{ source: 'Guten Morgen, wie geht es dir?', to: 'es' }]);
    const book = new ExcelJS.Workbook();
    book.addWorksheet('S').addRows(text.trim().split('\n').map((line) => line.split(';')));
    const xlsxFile = join(dir, 'out.xlsx');
    await book.xlsx.writeFile(xlsxFile);
    expect(await flaggedSources(xlsxFile, 'no_model')).toEqual([{ source: 'Guten Morgen, wie geht es dir?', to: 'es' }]);
    expect(await batchNoModelNote(csvFile)).toBe('1 left untranslated: no model for de→es; run: parla models download Xenova/opus-mt-de-es');
  }, 30_000);
});
