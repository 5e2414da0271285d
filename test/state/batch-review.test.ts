// Review columns in batch output: each translated column gains `<header> (<lang>) review` with
// the item's flags; the job counts flagged rows; --min-confidence leaves weak rows empty.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Translation } from '../../src/shared/translation.js';
import { FakeTranslator } from './helpers/fake-translator.js';
import { batch, localState } from './helpers/local.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmp = useTmpDirs();
const rowsOf = (text: string) => parse(text, { relax_column_count: true }) as string[][];

/** What the engine would say of each source: loops are flagged, "maybe" is unsure. */
function review(text: string): Pick<Translation, 'flags' | 'confidence'> {
  if (text.startsWith('loop')) return { flags: ['repetition', 'low_confidence'], confidence: 0.1 };
  if (text.startsWith('maybe')) return { confidence: 0.4 };
  return { confidence: 0.9 };
}

const CSV = 'id,text,note\n1,hello there,fine\n2,loop loop,\n3,maybe so,ok\n4,loop loop,x\n';

describe('batch review columns', () => {
  it('writes a review column right of each translation and counts flagged rows', async () => {
    const dir = tmp();
    const file = join(dir, 'data.csv');
    writeFileSync(file, CSV);
    const s = localState(dir, new FakeTranslator({ review }));
    const { record } = await batch(s, { file, to: ['es', 'fr'], columns: ['text'] });
    expect(record.status).toBe('done');
    expect(rowsOf(readFileSync(record.output!, 'utf8'))).toEqual([
      ['id', 'text', 'text (es)', 'text (es) review', 'text (fr)', 'text (fr) review', 'note'],
      ['1', 'hello there', 'es:HELLO THERE', '', 'fr:HELLO THERE', '', 'fine'],
      ['2', 'loop loop', 'es:LOOP LOOP', 'repetition,low_confidence', 'fr:LOOP LOOP', 'repetition,low_confidence', ''],
      ['3', 'maybe so', 'es:MAYBE SO', '', 'fr:MAYBE SO', '', 'ok'],
      ['4', 'loop loop', 'es:LOOP LOOP', 'repetition,low_confidence', 'fr:LOOP LOOP', 'repetition,low_confidence', 'x'],
    ]);
    // Rows, not distinct texts: "loop loop" occurs twice in each of two languages.
    expect(record.progress).toMatchObject({ total: 8, done: 8, flagged: 4 });
    await s.close();
  });

  it('--no-review leaves the review columns out; the count stays', async () => {
    const dir = tmp();
    const file = join(dir, 'data.csv');
    writeFileSync(file, CSV);
    const s = localState(dir, new FakeTranslator({ review }));
    const { record } = await batch(s, { file, to: ['es'], columns: ['text'], review: false });
    expect(rowsOf(readFileSync(record.output!, 'utf8'))[0]).toEqual(['id', 'text', 'text (es)', 'note']);
    expect(record.progress.flagged).toBe(2);
    await s.close();
  });

  it('--min-confidence leaves weaker translations empty and flagged low_confidence', async () => {
    const dir = tmp();
    const file = join(dir, 'data.csv');
    writeFileSync(file, CSV);
    const s = localState(dir, new FakeTranslator({ review }));
    const { record } = await batch(s, { file, to: ['es'], columns: ['text'], minConfidence: 0.5 });
    expect(rowsOf(readFileSync(record.output!, 'utf8')).map((r) => r.slice(1, 4))).toEqual([
      ['text', 'text (es)', 'text (es) review'],
      ['hello there', 'es:HELLO THERE', ''],
      ['loop loop', '', 'repetition,low_confidence'],
      ['maybe so', '', 'low_confidence'],
      ['loop loop', '', 'repetition,low_confidence'],
    ]);
    expect(record.progress).toMatchObject({ done: 4, flagged: 3 });
    // Another threshold is another job (not a resume of this one), and the cache still holds
    // the real translations: a run without the threshold writes them, with their flags.
    const again = await batch(s, { file, to: ['es'], columns: ['text'], out: join(dir, 'all.csv') });
    expect(again.resumed).toBe(false);
    expect(again.record.progress).toMatchObject({ cached: 3, modelCalls: 0, flagged: 2 });
    expect(rowsOf(readFileSync(join(dir, 'all.csv'), 'utf8'))[2]!.slice(1, 4)).toEqual(['loop loop', 'es:LOOP LOOP', 'repetition,low_confidence']);
    await s.close();
  });

  it('refuses a minimum confidence outside 0–1 before any job exists', async () => {
    const dir = tmp();
    const file = join(dir, 'data.csv');
    writeFileSync(file, CSV);
    const s = localState(dir);
    await expect(batch(s, { file, to: ['es'], minConfidence: 2 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(await s.queue.list()).toEqual([]);
    await s.close();
  });

  it('writes review columns in XLSX, inside an Excel table too', async () => {
    const dir = tmp();
    const file = join(dir, 'book.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet');
    ws.addTable({ name: 'Items', ref: 'A1', columns: [{ name: 'Text' }, { name: 'Qty' }], rows: [['hello there', 1], ['loop loop', 2]] });
    ws.getCell('D2').value = { formula: 'B2*2', result: 2 };
    await wb.xlsx.writeFile(file);
    const s = localState(dir, new FakeTranslator({ review }));
    const { record } = await batch(s, { file, to: ['es'], columns: ['Text'] });
    expect(record.progress.flagged).toBe(1);
    const out = new ExcelJS.Workbook();
    await out.xlsx.readFile(record.output!);
    const sheet = out.getWorksheet('Sheet')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['Text', 'Text (es)', 'Text (es) review']);
    expect([sheet.getCell('B2').value, sheet.getCell('C2').value]).toEqual(['es:HELLO THERE', null]);
    expect([sheet.getCell('B3').value, sheet.getCell('C3').value]).toEqual(['es:LOOP LOOP', 'repetition,low_confidence']);
    expect((sheet.getCell('F2').value as ExcelJS.CellFormulaValue).formula).toBe('D2*2');
    const [table] = sheet.getTables() as unknown as { table: { tableRef: string; columns: { name: string }[] } }[];
    expect(table!.table.tableRef).toBe('A1:D3');
    expect(table!.table.columns.map((c) => c.name)).toEqual(['Text', 'Text (es)', 'Text (es) review', 'Qty']);
    await s.close();
  });
});
