// Hostile input: every file here must end in one clear line and exit code 2 (or, where the
// input is merely odd, a correct output), never a crash and never a half-written output.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { batchCommand } from '../../src/cli/commands/batch.js';
import { runCli } from './helpers/cli.js';
import { FakeTranslator } from './helpers/fake-translator.js';
import { buildZip } from './helpers/zip.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmp = useTmpDirs();

type Maker = (dir: string) => Promise<{ file: string; args?: string[] }>;

async function workbook(dir: string, name: string, fill: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  fill(wb);
  const file = join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

const simpleBook = (dir: string, name = 'ok.xlsx') =>
  workbook(dir, name, (wb) => {
    const ws = wb.addWorksheet('Data');
    ws.addRow(['text']);
    ws.addRow(['hello']);
    wb.addWorksheet('Blank');
  });

const rejected: [string, RegExp, Maker][] = [
  ['missing file', /no such file/, async (d) => ({ file: join(d, 'missing.csv') })],
  ['a directory', /not a file/, async (d) => (mkdirSync(join(d, 'dir.csv')), { file: join(d, 'dir.csv') })],
  ['empty file', /empty/, async (d) => (writeFileSync(join(d, 'e.csv'), ''), { file: join(d, 'e.csv') })],
  ['binary renamed .xlsx', /not an \.xlsx/, async (d) => (writeFileSync(join(d, 'b.xlsx'), randomBytes(4096)), { file: join(d, 'b.xlsx') })],
  ['binary renamed .csv', /binary/, async (d) => (writeFileSync(join(d, 'b.csv'), Buffer.concat([Buffer.from('a,b\n'), randomBytes(2048), Buffer.alloc(16)])), { file: join(d, 'b.csv') })],
  ['zip renamed .csv', /zip file/, async (d) => (writeFileSync(join(d, 'z.csv'), buildZip([{ name: 'a.txt', data: Buffer.from('hi') }])), { file: join(d, 'z.csv') })],
  ['password-protected workbook (OLE/CFB)', /password-protected/, async (d) => {
    const ole = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    writeFileSync(join(d, 'p.xlsx'), ole);
    return { file: join(d, 'p.xlsx') };
  }],
  ['legacy .xls', /legacy/, async (d) => (writeFileSync(join(d, 'old.xls'), 'a,b\n1,2\n'), { file: join(d, 'old.xls') })],
  ['zip bomb (ratio)', /zip bomb/, async (d) => {
    writeFileSync(join(d, 'bomb.xlsx'), buildZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20 * 1024 * 1024), deflate: true }]));
    return { file: join(d, 'bomb.xlsx') };
  }],
  ['zip bomb (declared total size)', /zip bomb/, async (d) => {
    const entries = Array.from({ length: 6 }, (_, i) => ({ name: `xl/s${i}.xml`, data: Buffer.from('x'), declaredSize: 100 * 1024 * 1024 + 1 }));
    // Sizes claim 100 MiB each at ratio 1 only if compressed sizes also lie; keep ratio check quiet.
    writeFileSync(join(d, 'bomb2.xlsx'), buildZip(entries.map((e) => ({ ...e, data: Buffer.alloc(0), declaredSize: e.declaredSize }))));
    return { file: join(d, 'bomb2.xlsx') };
  }],
  ['encrypted zip entry', /encrypted/, async (d) => {
    writeFileSync(join(d, 'enc.xlsx'), buildZip([{ name: '[Content_Types].xml', data: Buffer.from('<x/>'), flags: 1 }]));
    return { file: join(d, 'enc.xlsx') };
  }],
  ['truncated workbook', /not a valid \.xlsx|not a readable/, async (d) => {
    const full = readFileSync(await simpleBook(d, 'full.xlsx'));
    writeFileSync(join(d, 't.xlsx'), full.subarray(0, Math.floor(full.length / 2)));
    return { file: join(d, 't.xlsx') };
  }],
  ['zip that is not a workbook', /not a readable|every sheet is empty/, async (d) => {
    writeFileSync(join(d, 'nz.xlsx'), buildZip([{ name: 'hello.txt', data: Buffer.from('hello'), deflate: true }]));
    return { file: join(d, 'nz.xlsx') };
  }],
  ['workbook with charts and macros (exceljs would drop them)', /has charts and macros, which Parla cannot carry/, async (d) => {
    const part = (name: string) => ({ name, data: Buffer.from('<x/>'), deflate: true });
    writeFileSync(join(d, 'ch.xlsx'), buildZip([part('[Content_Types].xml'), part('xl/workbook.xml'), part('xl/charts/chart1.xml'), part('xl/vbaProject.bin')]));
    return { file: join(d, 'ch.xlsx') };
  }],
  ['unknown column', /column "Nope" not found/, async (d) => (writeFileSync(join(d, 'c.csv'), 'a,b\nx,y\n'), { file: join(d, 'c.csv'), args: ['--columns', 'Nope'] })],
  ['column letter beyond the header', /column "Q" not found/, async (d) => (writeFileSync(join(d, 'q.csv'), 'a,b\nx,y\n'), { file: join(d, 'q.csv'), args: ['--columns', 'Q'] })],
  ['unknown sheet', /no sheet "Nope"/, async (d) => ({ file: await simpleBook(d), args: ['--sheet', 'Nope'] })],
  ['empty sheet chosen', /sheet "Blank" .*is empty/, async (d) => ({ file: await simpleBook(d), args: ['--sheet', 'Blank'] })],
  ['workbook with only empty sheets', /every sheet is empty/, async (d) => ({ file: await workbook(d, 'none.xlsx', (wb) => void wb.addWorksheet('A')) })],
  ['header-only CSV', /no rows/, async (d) => (writeFileSync(join(d, 'h.csv'), 'a,b\n'), { file: join(d, 'h.csv') })],
  ['no text column', /no column holds prose or labels: a \(numbers: 100 % of cells look like 1\), b \(numbers/, async (d) => (writeFileSync(join(d, 'n.csv'), 'a,b\n1,2\n3,4\n'), { file: join(d, 'n.csv') })],
  ['unclosed quote', /cannot read as CSV/, async (d) => (writeFileSync(join(d, 'u.csv'), 'a,b\n"open,x\ny,z\n'), { file: join(d, 'u.csv'), args: ['--columns', 'a'] })],
  ['missing --to', /--to/, async (d) => (writeFileSync(join(d, 'm.csv'), 'a\nx\n'), { file: join(d, 'm.csv'), args: ['--to='] })],
  ['--out in a folder that does not exist', /cannot write .*: folder .* does not exist/, async (d) => (writeFileSync(join(d, 'f.csv'), 'a\nx\n'), { file: join(d, 'f.csv'), args: ['--out', join(d, 'nowhere', 'f.es.csv')] })],
  ['--out naming the input file', /is the input file/, async (d) => (writeFileSync(join(d, 'i.csv'), 'a\nx\n'), { file: join(d, 'i.csv'), args: ['--out', join(d, 'i.csv')] })],
  ['--out naming a folder', /cannot write .*: it is a folder/, async (d) => (writeFileSync(join(d, 'g.csv'), 'a\nx\n'), mkdirSync(join(d, 'out')), { file: join(d, 'g.csv'), args: ['--out', join(d, 'out')] })],
  ['unknown option', /Unknown option/, async (d) => (writeFileSync(join(d, 'o.csv'), 'a\nx\n'), { file: join(d, 'o.csv'), args: ['--bogus'] })],
];

describe('hostile input to parla batch', () => {
  it.each(rejected)('%s → one line, exit 2, no output', async (_name, message, make) => {
    const dir = tmp();
    const dataDir = join(dir, 'data');
    const { file, args = [] } = await make(dir);
    const before = existsSync(dir) ? readdirSync(dir).sort() : [];
    const hasTo = args.some((a) => a.startsWith('--to'));
    const run = await runCli(batchCommand, [file, ...(hasTo ? [] : ['--to', 'es']), ...args], dataDir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^parla: /);
    expect(run.stderr.split('\n')[0]).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir).filter((f) => f !== 'data').sort()).toEqual(before.filter((f) => f !== 'data'));
  });

  it('ragged rows are padded, not rejected', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'r.csv'), 'a,b,c\nonly one\nx,y\nx,y,z,w,v\n');
    const run = await runCli(batchCommand, [join(dir, 'r.csv'), '--to', 'es', '--columns', 'a'], join(dir, 'data'));
    expect(run.code).toBe(0);
    const rows = parse(readFileSync(join(dir, 'r.es.csv')), { relax_column_count: true }) as string[][];
    expect(rows[1]).toEqual(['only one', 'es:ONLY ONE', '', '', '']);
    expect(rows[3]).toEqual(['x', 'es:X', '', 'y', 'z', 'w', 'v']);
  });

  it('a 200,000-character cell reaches the engine whole', async () => {
    const dir = tmp();
    const big = 'Lorem ipsum dolor sit amet. '.repeat(7200).slice(0, 200_000);
    writeFileSync(join(dir, 'big.csv'), `text\n"${big}"\nshort\n`);
    const model = new FakeTranslator();
    const run = await runCli(batchCommand, [join(dir, 'big.csv'), '--to', 'es'], join(dir, 'data'), model);
    expect(run.code).toBe(0);
    expect(model.texts.some((t) => t.length === 200_000)).toBe(true);
    const rows = parse(readFileSync(join(dir, 'big.es.csv'))) as string[][];
    expect(rows[1]![1]!.length).toBe(200_003);
  });

  it('a failure while writing leaves no output and no temp file, and says which file', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'w.csv'), 'a\nhello\n');
    // The output path is free when the job starts, then taken by a folder while it translates:
    // the final rename must fail.
    const model = new FakeTranslator({ failOn: () => (mkdirSync(join(dir, 'w.es.csv'), { recursive: true }), false) });
    const run = await runCli(batchCommand, [join(dir, 'w.csv'), '--to', 'es'], join(dir, 'data'), model);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot write ${join(dir, 'w.es.csv')}: it is a folder`);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });
});
