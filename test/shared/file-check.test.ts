// The first look at a picked file (src/shared/file-check.ts) and settings messages in the UI's
// words (labelSettingsMessage): pure functions the Batch and Settings pages use.
import { describe, expect, it } from 'vitest';
import { batchFileProblem } from '../../src/shared/file-check.js';
import { labelSettingsMessage } from '../../src/shared/settings.js';

const bytes = (...b: number[]) => new Uint8Array(b);
const text = (s: string) => new TextEncoder().encode(s);

describe('batchFileProblem', () => {
  it('explains files that cannot be a job, in one line naming the file', () => {
    expect(batchFileProblem('a.png', 16, bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a))).toMatch(/^a\.png is a PNG image/u);
    expect(batchFileProblem('a.csv', 9, text('%PDF-1.7\n'))).toMatch(/^a\.csv is a PDF document/u);
    expect(batchFileProblem('a.csv', 4, bytes(0x41, 0, 0x42, 0x0a))).toMatch(/^a\.csv is not a text file/u);
    expect(batchFileProblem('a.csv', 0, bytes())).toBe('a.csv is empty: there is nothing in it to translate.');
    expect(batchFileProblem('a.csv', 3, text(' \n\n'))).toMatch(/only blank lines/u);
    expect(batchFileProblem('a.xlsx', 4, text('a,b\n'))).toMatch(/not one inside/u);
    expect(batchFileProblem('a.docx', 4, bytes(0x50, 0x4b, 0x03, 0x04))).toMatch(/zip archive/u);
    expect(batchFileProblem('a.xls', 4, bytes(0xd0, 0xcf, 0x11, 0xe0))).toMatch(/Save it as \.xlsx/u);
    expect(batchFileProblem('notes.md', 6, text('# hi\n\n'))).toMatch(/not a file Parla translates/u);
    for (const p of [batchFileProblem('a.png', 16, bytes(0x89, 0x50, 0x4e, 0x47))!]) expect(p.split('\n')).toHaveLength(1);
  });

  it('lets through what the services read: text formats, workbooks, UTF-16 text', () => {
    expect(batchFileProblem('a.csv', 8, text('a,b\n1,2\n'))).toBeUndefined();
    expect(batchFileProblem('a.txt', 8, text('a\tb\n1\t2\n'))).toBeUndefined();
    expect(batchFileProblem('a.xlsx', 4, bytes(0x50, 0x4b, 0x03, 0x04))).toBeUndefined();
    expect(batchFileProblem('a.csv', 6, bytes(0xff, 0xfe, 0x61, 0x00, 0x0a, 0x00))).toBeUndefined();
    expect(batchFileProblem('ui.po', 20, text('msgid "a"\nmsgstr ""\n'))).toBeUndefined();
  });
});

describe('labelSettingsMessage', () => {
  it('names fields as the Settings page labels them', () => {
    expect(labelSettingsMessage('cache.maxEntries must be an integer')).toBe('Max entries must be an integer');
    expect(labelSettingsMessage('setSettings[0].threads must be ≤ 256')).toBe('Threads must be ≤ 256');
    expect(labelSettingsMessage('memory.threshold must be ≥ 0.5')).toBe('Suggest from (% similar) must be ≥ 0.5');
    expect(labelSettingsMessage('something else must be fixed')).toBe('something else must be fixed');
  });
});
