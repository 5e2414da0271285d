// Which columns a spreadsheet job translates when none are named: only prose and short labels,
// the same through the CLI, the HTTP API and the planner the app uses; codes, URLs, numbers,
// dates and e-mails are never sent to the model. The 200-row catalog is issue 14's case.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { batchCommand } from '../../src/cli/commands/batch.js';
import { openParlaApi } from '../../src/core/api/local-api.js';
import { createServer } from '../../src/server/server.js';
import { classifyColumn } from '../../src/shared/column-class.js';
import type { JobRecord } from '../../src/shared/jobs.js';
import { runCli } from './helpers/cli.js';
import { FakeTranslator } from './helpers/fake-translator.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmp = useTmpDirs('parla-columns-');

const HEADERS = ['sku', 'name', 'description', 'price', 'stock', 'url', 'email', 'updated', 'notes'];
const NOUNS = ['Mug', 'Lamp', 'Chair', 'Notebook', 'Kettle', 'Blanket', 'Backpack', 'Pillow'];
const COLOURS = ['Red', 'Blue', 'Green', 'Grey', 'Black'];

/** Issue 14's catalog: 200 products with codes, HTML descriptions, prices, links and contacts. */
function catalogRows(): string[][] {
  return Array.from({ length: 200 }, (_, i) => {
    const noun = NOUNS[i % NOUNS.length]!;
    const colour = COLOURS[i % COLOURS.length]!;
    return [
      `SKU-${1001 + i}`,
      `${colour} ${noun} ${i + 1}`,
      `<p>A sturdy <b>${colour.toLowerCase()} ${noun.toLowerCase()}</b> for everyday use, made to last for many years.</p>`,
      (9.5 + i).toFixed(2),
      String((i * 7) % 120),
      `https://shop.example.com/p/sku-${1001 + i}`,
      `sales+${i}@example.com`,
      `2024-0${1 + (i % 9)}-1${i % 10}`,
      '',
    ];
  });
}

const csvLine = (cells: readonly string[]) => cells.map((c) => (/[",\n]/u.test(c) ? `"${c.replace(/"/gu, '""')}"` : c)).join(',');

function writeCatalogCsv(dir: string): string {
  const file = join(dir, 'catalog.csv');
  writeFileSync(file, [HEADERS, ...catalogRows()].map(csvLine).join('\n') + '\n');
  return file;
}

describe('column classes', () => {
  it('names each kind of column and says why', () => {
    const rows = catalogRows();
    const column = (i: number) => rows.map((r) => r[i]!);
    const verdicts = HEADERS.map((_, i) => classifyColumn(column(i)));
    expect(verdicts.map((v) => v.class)).toEqual(['code', 'label', 'prose', 'number', 'number', 'url', 'email', 'date', 'empty']);
    expect(verdicts.map((v) => v.translate)).toEqual([false, true, true, false, false, false, false, false, false]);
    expect(verdicts[0]!.why).toBe('codes: 100 % of cells look like SKU-1001');
    const mostlyCodes = classifyColumn([...column(0).slice(0, 49), 'Gift card']);
    expect(mostlyCodes).toMatchObject({ class: 'code', translate: false, why: 'codes: 98 % of cells look like SKU-1001' });
    expect(classifyColumn(['HR_DEPT', 'EN-US', 'a1b2c3', 'userId', 'XL']).class).toBe('code');
    expect(classifyColumn(['Hello world', 'Good morning', 'Thanks']).class).toBe('label');
  });
});

describe('default columns', () => {
  it('the CLI translates only the name and description of the 200-row catalog; every code stays intact', async () => {
    const dir = tmp();
    const file = writeCatalogCsv(dir);
    const model = new FakeTranslator();
    // --no-review: this test is about which columns are translated, not the review beside them.
    const run = await runCli(batchCommand, [file, '--to', 'es', '--from', 'en', '--no-review', '--json'], join(dir, 'data'), model);
    expect(run.code, run.stderr).toBe(0);
    const job = JSON.parse(run.stdout) as JobRecord;
    expect(job.input?.columns).toEqual(['name', 'description']);
    expect(run.stderr).toContain('translating name, description');

    const rows = catalogRows();
    const sent = new Set(model.texts);
    expect(sent).toEqual(new Set(rows.flatMap((r) => [r[1]!, r[2]!])));
    const out = parse(readFileSync(join(dir, 'catalog.es.csv'), 'utf8')) as string[][];
    expect(out[0]).toEqual(['sku', 'name', 'name (es)', 'description', 'description (es)', 'price', 'stock', 'url', 'email', 'updated', 'notes']);
    out.slice(1).forEach((row, i) => {
      const src = rows[i]!;
      expect([row[0], row[5], row[6], row[7], row[8], row[9]]).toEqual([src[0], src[3], src[4], src[5], src[6], src[7]]);
      expect(row[2]).toBe(FakeTranslator.render(src[1]!, 'es'));
    });
  });

  it('the API (multipart, no columns) picks the same columns', async () => {
    const dir = tmp();
    const file = writeCatalogCsv(dir);
    const model = new FakeTranslator();
    const api = await openParlaApi({ dataDir: join(dir, 'data'), openEngine: async () => model, teamWork: 0 });
    const token = 'columns-api-token-0123456789';
    const server = createServer({ api, token });
    try {
      const form = new FormData();
      form.set('to', 'es');
      form.set('from', 'en');
      form.set('file', new Blob([readFileSync(file)]), 'catalog.csv');
      const req = new Request('http://127.0.0.1/api/v1/jobs', { method: 'POST', body: form });
      const created = await server.app.inject({
        method: 'POST',
        url: '/api/v1/jobs',
        headers: { authorization: `Bearer ${token}`, 'content-type': req.headers.get('content-type') ?? '' },
        payload: Buffer.from(await req.arrayBuffer()),
      });
      expect(created.statusCode, created.body).toBe(202);
      const { id } = created.json() as { id: string };
      await server.app.inject({ url: `/api/v1/jobs/${id}/events`, headers: { authorization: `Bearer ${token}` } });
      const job = (await server.app.inject({ url: `/api/v1/jobs/${id}`, headers: { authorization: `Bearer ${token}` } })).json() as JobRecord;
      expect(job).toMatchObject({ status: 'done', input: { columns: ['name', 'description'] } });
      expect(model.texts.some((t) => t.startsWith('SKU-') || t.includes('@') || t.startsWith('https:'))).toBe(false);
    } finally {
      await server.close();
      await api.close();
    }
  });

  it('an XLSX without --sheet: every sheet, each with its own prose and label columns, typed cells left alone', async () => {
    const dir = tmp();
    const file = join(dir, 'catalog.xlsx');
    const wb = new ExcelJS.Workbook();
    const products = wb.addWorksheet('Products');
    products.addRow(['sku', 'name', 'price', 'added']);
    catalogRows().forEach((r, i) => products.addRow([r[0], r[1], Number(r[3]), new Date(Date.UTC(2024, 0, 1 + i))]));
    const notes = wb.addWorksheet('Notes');
    notes.addRow(['code', 'note']);
    notes.addRow(['N-1', 'Ship the blue mugs before the end of the month, please.']);
    const codes = wb.addWorksheet('Codes');
    codes.addRow(['code', 'link']);
    codes.addRow(['EU-1', 'https://example.com/eu']);
    await wb.xlsx.writeFile(file);

    const model = new FakeTranslator();
    const run = await runCli(batchCommand, [file, '--to', 'es', '--json'], join(dir, 'data'), model);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as JobRecord).input?.columns).toEqual(['Products!name', 'Notes!note']);
    expect(model.texts.filter((t) => /SKU-|N-1|EU-1|https:/u.test(t))).toEqual([]);

    const one = await runCli(batchCommand, [file, '--to', 'es', '--sheet', 'Notes', '--out', join(dir, 'notes.xlsx'), '--json'], join(dir, 'data'), model);
    expect((JSON.parse(one.stdout) as JobRecord).input).toMatchObject({ sheet: 'Notes', columns: ['note'] });

    const none = await runCli(batchCommand, [file, '--to', 'es', '--sheet', 'Codes', '--out', join(dir, 'codes.xlsx')], join(dir, 'data'), model);
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe(
      `parla: sheet "Codes" of ${file}: no column holds prose or labels: code (codes: 100 % of cells look like EU-1), link (URLs: 100 % of cells look like https://example.com/eu); name one with --columns`,
    );
  });
});
