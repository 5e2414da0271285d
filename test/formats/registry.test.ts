// The registry: which format a file is (content first, then extension, then CSV) and jobs
// stored before it existed (`kind: 'sheet'` with a spreadsheet plan) still running.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/core/formats/registry.js';
import { planSheetJob } from '../../src/core/sheets/ops.js';
import { localState } from '../state/helpers/local.js';
import { useTmpDirs } from '../state/helpers/tmp.js';

const tmp = useTmpDirs('parla-registry-');

describe('format registry', () => {
  it('reads the content first, then the extension, then takes CSV', () => {
    const dir = tmp();
    const put = (name: string, body: string | Buffer) => {
      writeFileSync(join(dir, name), body);
      return join(dir, name);
    };
    expect(detectFormat(put('catalog.csv', 'msgid "a"\nmsgstr ""\n')).id).toBe('po');
    expect(detectFormat(put('broken.po', 'not a catalog at all\n')).id).toBe('po');
    expect(detectFormat(put('book.bin', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]))).id).toBe('xlsx');
    expect(detectFormat(put('rows.data', 'id,text\n1,hello\n')).id).toBe('csv');
    expect(() => detectFormat(put('empty.po', ''))).toThrow(/is empty/u);
    expect(() => detectFormat(join(dir, 'missing.po'))).toThrow(/no such file/u);
  });

  it('a catalog whose content says PO but is broken gets the PO line, not a CSV message', async () => {
    const dir = tmp();
    const file = join(dir, 'broken.po');
    writeFileSync(file, 'msgid "a"\nmsgstr ""\nmsgid "a"\nmsgstr ""\n');
    await expect(detectFormat(file).plan({ file, to: ['es'] })).rejects.toThrow(/broken\.po:3: a second entry for msgid "a"/u);
  });

  it("runs a job stored before the registry, as kind 'sheet' with a spreadsheet plan", async () => {
    const dir = tmp();
    const file = join(dir, 'old.csv');
    writeFileSync(file, 'text\nhello\nworld\n');
    const s = localState(join(dir, 'data'));
    const plan = await planSheetJob({ file, to: ['es'], output: join(dir, 'old.es.csv') });
    const job = await s.queue.create({ from: '', to: ['es'], input: { file, columns: ['text'] }, output: plan.output, spec: { kind: 'sheet', plan: { ...plan, review: false } } });
    const done = await s.runner.run(job.id);
    await s.close();
    expect(done.status).toBe('done');
    expect(readFileSync(plan.output, 'utf8')).toBe('text,text (es)\nhello,es:HELLO\nworld,es:WORLD\n');
  });
});
