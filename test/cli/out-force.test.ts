// Slow: `parla batch` never replaces a file that is there already unless told to (--force), for
// spreadsheets and localization files alike, through the real `parla` command (bundled en→es
// model). `--overwrite` keeps its own meaning (redo a catalog's existing translations).
import { readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runParla, tempDataDir, useShortHostSettings, type CliRun } from '../engine/host-helpers.js';

let dataDir: string;

function parla(args: string[]): Promise<CliRun> {
  return runParla(args, dataDir);
}

const jobCount = async () => (JSON.parse((await parla(['jobs', 'list', '--json'])).stdout) as unknown[]).length;

describe('batch --out over an existing file', () => {
  beforeAll(async () => {
    ensureBuilt();
    useShortHostSettings();
    dataDir = await tempDataDir();
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('a spreadsheet: refused with one line and exit 2, nothing written and no job; --force replaces it', async () => {
    const input = join(dataDir, 'catalog.csv');
    const out = join(dataDir, 'mine.csv');
    writeFileSync(input, 'name\nRed shoes\nBlue hat\n');
    writeFileSync(out, 'my own file\n');
    const refused = await parla(['batch', input, '--to', 'es', '--from', 'en', '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([`parla: ${out} exists; add --force to replace it, or choose another --out`]);
    expect(readFileSync(out, 'utf8')).toBe('my own file\n');
    expect(await jobCount()).toBe(0);

    const forced = await parla(['batch', input, '--to', 'es', '--from', 'en', '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^name,name \(es\)/u);

    // The default output (beside the input) is protected the same way.
    const defaulted = join(dataDir, 'catalog.es.csv');
    writeFileSync(defaulted, 'kept\n');
    const again = await parla(['batch', input, '--to', 'es', '--from', 'en']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${defaulted} exists; add --force`);
    expect(readFileSync(defaulted, 'utf8')).toBe('kept\n');
  }, 120_000);

  it('a PO catalog: --overwrite (redo existing translations) does not replace a file; --force does', async () => {
    const input = join(dataDir, 'ui.po');
    const out = join(dataDir, 'ui.es.po');
    writeFileSync(input, 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Open"\nmsgstr ""\n');
    writeFileSync(out, '# my catalog\n');
    const before = await jobCount();
    const refused = await parla(['batch', input, '--to', 'es', '--from', 'en', '--out', out, '--overwrite']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([`parla: ${out} exists; add --force to replace it, or choose another --out`]);
    expect(readFileSync(out, 'utf8')).toBe('# my catalog\n');
    expect(await jobCount()).toBe(before);

    const forced = await parla(['batch', input, '--to', 'es', '--from', 'en', '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('msgid "Open"');
  }, 120_000);
});
