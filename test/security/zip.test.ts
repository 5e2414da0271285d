// Issue 10, item 3: an .xlsx whose zip directory understates an entry made the server inflate
// 800 MB from an 815 KB upload (3.4 GB for four at once). The guard now counts what actually
// comes out while inflating, and refuses every zip layout JSZip (inside exceljs) would read
// differently from the guard.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { batchCommand } from '../../src/cli/commands/batch.js';
import { checkZip, type ZipLimits } from '../../src/core/sheets/zip-guard.js';
import { runCli } from '../state/helpers/cli.js';
import { FakeTranslator } from '../state/helpers/fake-translator.js';
import { useApiServer } from '../helpers/api-server.js';
import { useTmpDirs } from '../state/helpers/tmp.js';
import { inflatingWorkbook, readZip, realWorkbook, SHEET, writeZip } from './helpers/zip-craft.js';

const tmp = useTmpDirs('parla-zip-');
const MiB = 1024 * 1024;
const root = join(import.meta.dirname, '../..');
const hasRealCli = existsSync(join(root, 'dist/cli/main.js'));

/** The sheet's real size: the lie a bomb tells about its 800 MB. */
async function sheetSize(): Promise<number> {
  return readZip(await realWorkbook()).find((e) => e.name === SHEET)!.uncompressedSize;
}

describe('zip guard', () => {
  it('passes a real workbook, also rebuilt entry by entry, and exceljs reads the rebuilt one', async () => {
    const original = await realWorkbook(['hello', 'world']);
    const rebuilt = writeZip(readZip(original));
    expect(await checkZip(original, 'a.xlsx')).toContain(SHEET);
    expect(await checkZip(rebuilt, 'b.xlsx')).toEqual(await checkZip(original, 'a.xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(rebuilt as unknown as ArrayBuffer); // exceljs types its input as an ArrayBuffer; it reads Node Buffers
    expect(wb.getWorksheet('Data')!.getCell('A3').value).toBe('world');
    // The same with sizes in data descriptors, as some writers do.
    expect(await checkZip(writeZip(readZip(original), { descriptor: true }), 'c.xlsx')).toContain(SHEET);
  });

  it('refuses an entry that inflates past the size its directory declares, before inflating much of it', async () => {
    const bomb = await inflatingWorkbook(800, await sheetSize());
    expect(bomb.length).toBeLessThan(MiB);
    const started = performance.now();
    await expect(checkZip(bomb, 'bomb.xlsx')).rejects.toMatchObject({
      code: 'TOO_LARGE',
      message: `bomb.xlsx: entry ${SHEET} inflates past the size its zip directory declares (suspected zip bomb)`,
    });
    // Inflating all 800 MB takes seconds; stopping at the declared size takes milliseconds.
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('refuses the same lie told only in the directory (sizes in a data descriptor), for a part large enough to stream', async () => {
    const bomb = await inflatingWorkbook(64, 2 * MiB, { descriptor: true });
    await expect(checkZip(bomb, 'd.xlsx')).rejects.toMatchObject({ code: 'TOO_LARGE', message: /inflates past the size/ });
  });

  it('refuses honest entries past the total limit, and passes them under a higher one', async () => {
    const limits: ZipLimits = { maxEntries: 100, maxTotalBytes: 4 * MiB, maxRatio: 2000 };
    const bomb = await inflatingWorkbook(8, 'honest');
    await expect(checkZip(bomb, 'big.xlsx', limits)).rejects.toMatchObject({ code: 'TOO_LARGE', message: /expands to more than 4194304 bytes/ });
    await expect(checkZip(bomb, 'big.xlsx', { ...limits, maxTotalBytes: 16 * MiB })).resolves.toContain(SHEET);
  });

  const entries = async () => readZip(await realWorkbook());
  const refusals: [string, () => Promise<Buffer>, RegExp][] = [
    ['an entry that inflates short of its declared size', async () => {
      const es = await entries();
      return writeZip(es.map((e) => (e.name === SHEET ? { ...e, uncompressedSize: e.uncompressedSize + 10 } : e)));
    }, /inflates to \d+ bytes, not the \d+ its zip directory declares/],
    ['a truncated deflate stream', async () => {
      const es = await entries();
      return writeZip(es.map((e) => (e.name === SHEET ? { ...e, data: e.data.subarray(0, 20), compressedSize: 20 } : e)));
    }, /entry xl\/worksheets\/sheet1\.xml is corrupt/],
    ['a local header with another method', async () => writeZip(await entries(), { patchLocal: (name, h) => void (name === SHEET && h.writeUInt16LE(0, 8)) }), /local header and zip directory disagree/],
    ['a local header with other sizes', async () => writeZip(await entries(), { patchLocal: (name, h) => void (name === SHEET && h.writeUInt32LE(99, 22)) }), /local header and zip directory disagree/],
    ['a stored entry with two sizes', async () => {
      const es = await entries();
      return writeZip(es.map((e) => (e.name === SHEET ? { ...e, method: 0, uncompressedSize: e.compressedSize + 1 } : e)));
    }, /stored entry .* has two sizes/],
    ['a directory record the end record does not count', async () => writeZip(await entries(), { uncounted: 1 }), /holds more than it counts/],
    ['data in front of the zip (JSZip would shift every offset)', async () => writeZip(await entries(), { prepend: Buffer.alloc(64, 0x20) }), /not where the zip says/],
    ['two directory records for one entry (overlapping data)', async () => {
      const es = await entries();
      return writeZip([...es, { ...es.find((e) => e.name === SHEET)! }], { pointAt: [es.length, es.findIndex((e) => e.name === SHEET)] });
    }, /overlap/],
    ['an unknown compression method', async () => {
      const es = await entries();
      return writeZip(es.map((e) => (e.name === SHEET ? { ...e, method: 12 } : e)));
    }, /uses zip method 12/],
  ];

  it.each(refusals)('refuses %s', async (_name, make, message) => {
    await expect(checkZip(await make(), 'x.xlsx')).rejects.toMatchObject({ code: 'BAD_FILE', message });
  });

  it('refuses a local header naming another file than the directory', async () => {
    const zip = writeZip(await entries());
    // The first entry's local name starts right after its 30-byte header.
    zip[30] = zip[30]! ^ 0x20;
    await expect(checkZip(zip, 'x.xlsx')).rejects.toMatchObject({ code: 'BAD_FILE', message: /local header and zip directory disagree/ });
  });
});

describe('parla batch with an inflating workbook', () => {
  it('ends with one line and exit 2 (in-process)', async () => {
    const dir = tmp();
    const file = join(dir, 'bomb.xlsx');
    writeFileSync(file, await inflatingWorkbook(800, await sheetSize()));
    const run = await runCli(batchCommand, [file, '--to', 'es'], join(dir, 'data'));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`parla: ${file}: entry ${SHEET} inflates past the size its zip directory declares (suspected zip bomb)\n`);
  });

  it.skipIf(!hasRealCli)('ends with one line and exit 2 (the built CLI, sheet worker thread)', async () => {
    const dir = tmp();
    const file = join(dir, 'bomb.xlsx');
    writeFileSync(file, await inflatingWorkbook(800, await sheetSize()));
    const child = spawn(process.execPath, [join(root, 'bin/parla.js'), 'batch', file, '--to', 'es', '--data-dir', join(dir, 'data')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toBe(`parla: ${file}: entry ${SHEET} inflates past the size its zip directory declares (suspected zip bomb)\n`);
  }, 60_000);
});

describe('parla serve with four inflating uploads at once (slow)', () => {
  const TOKEN = 'zip-test-token-0123456789';
  const served = useApiServer(TOKEN);

  it('refuses each with one line, and the server grows by less than 100 MB', async () => {
    const { url } = await served.start(tmp(), async () => new FakeTranslator());
    const bomb = await inflatingWorkbook(800, await sheetSize());
    const upload = (bytes: Buffer) => {
      const form = new FormData();
      form.append('to', 'es');
      form.append('file', new Blob([new Uint8Array(bytes)]), 'book.xlsx');
      return fetch(`${url}/api/v1/jobs`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
    };
    // Warm up the route (multipart, exceljs, SQLite) with a good workbook first.
    expect((await upload(await realWorkbook())).status).toBe(202);

    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const answers = await Promise.all([1, 2, 3, 4].map(() => upload(bomb)));
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    for (const res of answers) {
      expect(res.status).toBe(413);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('TOO_LARGE');
      expect(body.error.message).toMatch(/^book\.xlsx: entry xl\/worksheets\/sheet1\.xml inflates past the size its zip directory declares \(suspected zip bomb\)$/);
    }
    expect((peak - before) / MiB).toBeLessThan(100);
  }, 120_000);
});
