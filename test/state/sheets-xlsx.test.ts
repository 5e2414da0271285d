import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { shiftFormula, shiftRef, insertionMap } from '../../src/core/sheets/formula-shift.js';
import { batch, localState } from './helpers/local.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmp = useTmpDirs();
const when = new Date(Date.UTC(2024, 4, 17));

async function makeWorkbook(file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Products');
  ws.columns = [
    { header: 'Name', width: 30 },
    { header: 'Price', width: 10 },
    { header: 'Added', width: 14 },
    { header: 'Double', width: 10 },
    { header: 'Active', width: 8 },
    { header: 'Description', width: 50 },
  ];
  const header = ws.getRow(1);
  header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
  header.eachCell((c) => (c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF336699' } }));
  ws.addRow(['Red apple', 1.5, when, null, true, { richText: [{ text: 'Crisp ', font: { italic: true } }, { text: 'and sweet' }] }]);
  ws.addRow(['Green pear', 2, when, null, false, 'Juicy']);
  ws.addRow(['Red apple', 3, null, null, null, null]);
  // A shared formula's master cell; exceljs writes and reads shareType/ref but leaves them out of its types.
  ws.getCell('D2').value = { formula: 'B2*2', result: 3, shareType: 'shared', ref: 'D2:D4' } as ExcelJS.CellFormulaValue;
  ws.getCell('D3').value = { sharedFormula: 'D2', result: 4 };
  ws.getCell('D4').value = { sharedFormula: 'D2', result: 6 };
  ws.getCell('B2').numFmt = '"$"#,##0.00';
  ws.getCell('A2').font = { name: 'Arial', size: 14, italic: true };
  ws.getCell('G2').value = { formula: 'CONCATENATE(A2," costs ",B2,"; see F2")', result: 'Red apple costs 1.5; see F2' };
  const summary = wb.addWorksheet('Summary');
  summary.getCell('A1').value = 'Total';
  summary.getCell('B1').value = { formula: 'SUM(Products!B2:B4)', result: 6.5 };
  summary.getCell('C1').value = { formula: "'Products'!F2", result: 'Crisp and sweet' };
  wb.addWorksheet('Empty');
  await wb.xlsx.writeFile(file);
}

describe('XLSX batches', () => {
  it('keeps every sheet, cell, type, style and formula and inserts translation columns', async () => {
    const dir = tmp();
    const file = join(dir, 'book.xlsx');
    await makeWorkbook(file);
    const s = localState(dir);
    const { record } = await batch(s, { file, to: ['es', 'fr'], columns: ['Name', 'F'], review: false });
    expect(record.status).toBe('done');
    expect(record.output).toBe(join(dir, 'book.es+fr.xlsx'));

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(record.output!);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Products', 'Summary', 'Empty']);
    const ws = wb.getWorksheet('Products')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([
      'Name', 'Name (es)', 'Name (fr)', 'Price', 'Added', 'Double', 'Active', 'Description', 'Description (es)', 'Description (fr)',
    ]);
    // Original cells and types, shifted by the two inserted columns.
    expect(ws.getCell('A2').value).toBe('Red apple');
    expect(ws.getCell('B2').value).toBe('es:RED APPLE');
    expect(ws.getCell('C2').value).toBe('fr:RED APPLE');
    expect(ws.getCell('D2').value).toBe(1.5);
    expect(ws.getCell('D2').numFmt).toBe('"$"#,##0.00');
    expect((ws.getCell('E2').value as Date).getTime()).toBe(when.getTime());
    expect(ws.getCell('G2').value).toBe(true);
    expect(ws.getCell('G3').value).toBe(false);
    expect((ws.getCell('H2').value as ExcelJS.CellRichTextValue).richText).toHaveLength(2);
    expect(ws.getCell('I2').value).toBe('es:CRISP AND SWEET');
    expect(ws.getCell('J3').value).toBe('fr:JUICY');
    expect(ws.getCell('I4').value).toBeNull();
    // Formulas follow the cells they point at, including formerly shared ones.
    expect(ws.getCell('F2').formula).toBe('D2*2');
    expect(ws.getCell('F3').formula).toBe('D3*2');
    expect(ws.getCell('F4').formula).toBe('D4*2');
    expect(ws.getCell('K2').formula).toBe('CONCATENATE(A2," costs ",D2,"; see F2")');
    const summary = wb.getWorksheet('Summary')!;
    expect(summary.getCell('B1').formula).toBe('SUM(Products!D2:D4)');
    expect(summary.getCell('C1').formula).toBe("'Products'!H2");
    expect(summary.getCell('A1').value).toBe('Total');
    // Styles: header fill/bold copied to new headers, cell fonts kept and copied.
    expect(ws.getCell('B1').font?.bold).toBe(true);
    expect((ws.getCell('B1').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FF336699');
    expect(ws.getCell('A2').font?.name).toBe('Arial');
    expect(ws.getCell('B2').font?.size).toBe(14);
    expect(ws.getColumn(1).width).toBe(30);
    expect(ws.getColumn(2).width).toBe(30);
    expect(ws.getColumn(4).width).toBe(10);
    // Repeats went to the model once per language; numbers, dates, booleans, formulas never.
    expect(s.model.texts.sort()).toEqual(['Crisp and sweet', 'Crisp and sweet', 'Green pear', 'Green pear', 'Juicy', 'Juicy', 'Red apple', 'Red apple']);
    await s.close();
  });

  it('translates one chosen sheet and finds mostly-text columns by itself', async () => {
    const dir = tmp();
    const file = join(dir, 'book.xlsx');
    await makeWorkbook(file);
    const s = localState(dir);
    const { record } = await batch(s, { file, to: ['es'], sheet: 'Products', out: join(dir, 'out.xlsx'), review: false });
    expect(record.input).toMatchObject({ sheet: 'Products', columns: ['Name', 'Description'] });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'out.xlsx'));
    expect(wb.getWorksheet('Summary')!.getCell('B1').formula).toBe('SUM(Products!C2:C4)');
    await s.close();
  });

  it('moves merges, the filter, validations, conditional formats and frozen panes with their cells', async () => {
    const dir = tmp();
    const file = join(dir, 'layout.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet');
    ws.addRow(['Text', 'Note', 'Qty', 'Unit']);
    ws.addRow(['Good morning', 'first', 1, 2]);
    ws.addRow(['Thank you', 'second', 3, 4]);
    ws.addRow(['Goodbye', 'third', 5, 6]);
    ws.mergeCells('C2:D3'); // right of the translated column: moves
    ws.mergeCells('A4:B4'); // runs on past the translated column: ends at it
    ws.autoFilter = 'A1:D4';
    // Two cells, one rule: exceljs writes it as one range and reads it back as one shared object.
    for (const address of ['B2', 'B3']) ws.getCell(address).dataValidation = { type: 'list', allowBlank: true, formulae: ['$C$2:$C$4'] };
    ws.addConditionalFormatting({ ref: 'C2:D4', rules: [{ type: 'expression', priority: 1, formulae: ['C2>2'], style: { font: { bold: true } } }] });
    ws.views = [{ state: 'frozen', xSplit: 2, ySplit: 1, topLeftCell: 'C2' }];
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    ws.addImage(wb.addImage({ buffer: png as unknown as ArrayBuffer, extension: 'png' }), 'C5:D6'); // typed as an ArrayBuffer; a Node Buffer is what it reads
    await wb.xlsx.writeFile(file);

    const s = localState(dir);
    const { record } = await batch(s, { file, to: ['es'], columns: ['Text'], review: false });
    expect(record.status).toBe('done');
    const out = new ExcelJS.Workbook();
    await out.xlsx.readFile(record.output!);
    const sheet = out.getWorksheet('Sheet')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['Text', 'Text (es)', 'Note', 'Qty', 'Unit']);
    expect(sheet.model.merges.sort()).toEqual(['D2:E3']);
    // The moved merge covers the moved values; none is hidden inside it.
    expect(sheet.getCell('D2').value).toBe(1);
    expect(sheet.getCell('E2').master.address).toBe('D2');
    expect(sheet.getCell('D4').value).toBe(5);
    expect(sheet.getCell('B4').value).toBe('es:GOODBYE');
    expect(sheet.autoFilter).toBe('A1:E4');
    const validation = (sheet as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }).dataValidations.model;
    expect(Object.keys(validation)).toEqual(['C2', 'C3']);
    expect(validation.C2!.formulae).toEqual(['$D$2:$D$4']);
    expect(validation.C3!.formulae).toEqual(['$D$2:$D$4']);
    const formats = (sheet as unknown as { conditionalFormattings: { ref: string; rules: { formulae: string[] }[] }[] }).conditionalFormattings;
    expect(formats.map((f) => [f.ref, f.rules[0]!.formulae])).toEqual([['D2:E4', ['D2>2']]]);
    expect(sheet.views[0]).toMatchObject({ xSplit: 3, ySplit: 1, topLeftCell: 'D2' });
    const [picture] = sheet.getImages();
    expect([picture!.range.tl.nativeCol, picture!.range.br.nativeCol]).toEqual([3, 5]);
    await s.close();
  });

  it('keeps Excel tables whole: their range moves and a translation column inside one becomes a table column', async () => {
    const dir = tmp();
    const file = join(dir, 'tables.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet');
    ws.addTable({ name: 'Items', ref: 'A1', columns: [{ name: 'Text' }, { name: 'Qty' }], rows: [['Good morning', 1], ['Thank you', 2]] });
    // A second table lower down, with a header row of its own.
    ws.addTable({ name: 'More', ref: 'A6', columns: [{ name: 'Phrase' }, { name: 'Count' }], rows: [['Goodbye', 3]] });
    // One right of every translated column: it only moves.
    ws.addTable({ name: 'Side', ref: 'D1', columns: [{ name: 'Code' }], rows: [['X1'], ['X2']] });
    await wb.xlsx.writeFile(file);

    const s = localState(dir);
    const { record } = await batch(s, { file, to: ['es', 'fr'], columns: ['Text'], review: false });
    expect(record.status).toBe('done');
    const out = new ExcelJS.Workbook();
    await out.xlsx.readFile(record.output!);
    const sheet = out.getWorksheet('Sheet')!;
    const tables = Object.fromEntries(
      (sheet.getTables() as unknown as { table: { name: string; tableRef: string; columns: { name: string }[] } }[]).map(({ table }) => [
        table.name,
        { ref: table.tableRef, columns: table.columns.map((c) => c.name) },
      ]),
    );
    expect(tables).toEqual({
      Items: { ref: 'A1:D3', columns: ['Text', 'Text (es)', 'Text (fr)', 'Qty'] },
      More: { ref: 'A6:D7', columns: ['Phrase', 'Phrase (es)', 'Phrase (fr)', 'Count'] },
      Side: { ref: 'F1:F3', columns: ['Code'] },
    });
    // Every table column is named as its header cell, as Excel requires.
    expect((sheet.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['Text', 'Text (es)', 'Text (fr)']);
    expect((sheet.getRow(6).values as unknown[]).slice(1, 5)).toEqual(['Phrase', 'Phrase (es)', 'Phrase (fr)', 'Count']);
    expect(sheet.getCell('B7').value).toBe('es:GOODBYE');
    await s.close();
  });

  it('moves plain reference lists, widening a range that gains columns inside', () => {
    const map = insertionMap([{ after: 2, count: 2 }]);
    expect(shiftRef('A1', map)).toBe('A1');
    expect(shiftRef('C2:D3 $B$1:$C$9', map)).toBe('E2:F3 $B$1:$E$9');
  });

  it('shifts only references into changed sheets and never string literals', () => {
    const maps = new Map([['Data', insertionMap([{ after: 1, count: 1 }])]]);
    expect(shiftFormula('A1+B1+$C$2+SUM(B:C)', 'Data', maps)).toBe('A1+C1+$D$2+SUM(C:D)');
    expect(shiftFormula('Other!B1+B1+"B1"+LOG10(B2)', 'Other', maps)).toBe('Other!B1+B1+"B1"+LOG10(B2)');
    expect(shiftFormula("Data!B1+'Data'!B1", 'Other', maps)).toBe("Data!C1+'Data'!C1");
  });
});
