import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectDelimiter } from '../../src/core/sheets/detect.js';
import { defaultOutput } from '../../src/core/sheets/plan.js';
import { isTranslatableText } from '../../src/core/sheets/text-cells.js';
import { batch, localState } from './helpers/local.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmp = useTmpDirs();
const rowsOf = (text: string, delimiter = ',') => parse(text, { delimiter, relax_column_count: true }) as string[][];

describe('CSV batches', () => {
  it('adds a translated column right of each chosen column and keeps every cell', async () => {
    const dir = tmp();
    const file = join(dir, 'data.csv');
    writeFileSync(file, 'id,name,price,note\n1,Red apple,1.50,fresh\n2,Green pear,2,"ripe, sweet"\n3,Red apple,3,\n');
    const s = localState(dir);
    const { record } = await batch(s, { file, to: ['es'], columns: ['name', 'D'], review: false });
    expect(record.status).toBe('done');
    expect(record.output).toBe(join(dir, 'data.es.csv'));
    expect(rowsOf(readFileSync(record.output!, 'utf8'))).toEqual([
      ['id', 'name', 'name (es)', 'price', 'note', 'note (es)'],
      ['1', 'Red apple', 'es:RED APPLE', '1.50', 'fresh', 'es:FRESH'],
      ['2', 'Green pear', 'es:GREEN PEAR', '2', 'ripe, sweet', 'es:RIPE, SWEET'],
      ['3', 'Red apple', 'es:RED APPLE', '3', '', ''],
    ]);
    expect(record.progress).toMatchObject({ total: 5, done: 5, modelCalls: 4 });
    expect(s.model.texts.sort()).toEqual(['Green pear', 'Red apple', 'fresh', 'ripe, sweet']);
    await s.close();
  });

  it('writes one column per language, named FILE.es+fr.csv', async () => {
    const dir = tmp();
    const file = join(dir, 'data.csv');
    writeFileSync(file, 'text\nhello\n');
    const s = localState(dir);
    const { record } = await batch(s, { file, to: ['es', 'fr'], review: false });
    expect(record.output).toBe(join(dir, 'data.es+fr.csv'));
    expect(rowsOf(readFileSync(record.output!, 'utf8'))).toEqual([
      ['text', 'text (es)', 'text (fr)'],
      ['hello', 'es:HELLO', 'fr:HELLO'],
    ]);
    await s.close();
  });

  it('picks mostly-text columns by default and never sends numbers, dates or booleans', async () => {
    const dir = tmp();
    const file = join(dir, 'd.csv');
    writeFileSync(file, 'n,when,flag,desc,mixed\n1,2024-01-02,true,A cat,12\n2,03/04/2024,false,A dog,x\n3,,TRUE,1 000,\n');
    const s = localState(dir);
    const { record } = await batch(s, { file, to: ['es'] });
    expect(record.input?.columns).toEqual(['desc']);
    expect(s.model.texts.sort()).toEqual(['A cat', 'A dog']);
    await s.close();
  });

  it.each([
    ['utf8 with BOM', (t: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t)]), 'utf8', true],
    ['utf16le', (t: string) => iconv.encode(t, 'utf16le', { addBOM: true }), 'utf16le', true],
    ['utf16be', (t: string) => iconv.encode(t, 'utf16be', { addBOM: true }), 'utf16be', true],
    ['windows-1252', (t: string) => iconv.encode(t, 'win1252'), 'utf8', true],
  ] as const)('reads %s and writes it back readable', async (_name, encode, outEnc, bom) => {
    const dir = tmp();
    const file = join(dir, 'enc.csv');
    writeFileSync(file, encode('word;other\r\ncafé crème;1\r\nnaïve;2\r\n'));
    const s = localState(dir);
    const { record } = await batch(s, { file, to: ['es'], columns: ['word'], review: false });
    const raw = readFileSync(record.output!);
    const text = iconv.decode(raw, outEnc);
    if (bom) expect(iconv.decode(raw, outEnc, { stripBOM: false }).charCodeAt(0)).toBe(0xfeff);
    expect(rowsOf(text, ';')).toEqual([
      ['word', 'word (es)', 'other'],
      ['café crème', 'es:CAFÉ CRÈME', '1'],
      ['naïve', 'es:NAÏVE', '2'],
    ]);
    expect(text).toContain('\r\n');
    await s.close();
  });

  it('detects tab, semicolon and pipe delimiters', () => {
    expect(detectDelimiter('a\tb\tc\n1\t2\t3', 'x.txt')).toBe('\t');
    expect(detectDelimiter('a;b;"c;d"\n1;2;3', 'x.csv')).toBe(';');
    expect(detectDelimiter('a|b\n1|2', 'x.csv')).toBe('|');
    expect(detectDelimiter('a,b\n1,2', 'x.tsv')).toBe('\t');
  });

  it('pads ragged rows so added columns line up', async () => {
    const dir = tmp();
    const file = join(dir, 'r.csv');
    writeFileSync(file, 'a,b,c\nx one\ny,two,3,extra\n');
    const s = localState(dir);
    const { record } = await batch(s, { file, to: ['es'], columns: ['A', 'b'], review: false });
    expect(rowsOf(readFileSync(record.output!, 'utf8'))).toEqual([
      ['a', 'a (es)', 'b', 'b (es)', 'c'],
      ['x one', 'es:X ONE', '', '', ''],
      ['y', 'es:Y', 'two', 'es:TWO', '3', 'extra'],
    ]);
    await s.close();
  });

  it('running the same batch again resumes the unfinished job; a finished one starts fresh from cache (with force: its output exists)', async () => {
    const dir = tmp();
    const file = join(dir, 'data.csv');
    writeFileSync(file, 'text\n' + Array.from({ length: 300 }, (_, i) => `line ${i}`).join('\n') + '\n');
    const s = localState(dir, undefined, { batchSize: 50 });
    let pauseOnce = true;
    s.runner.on('event', (e) => {
      if (pauseOnce && e.type === 'progress' && e.job.progress.done >= 100) {
        pauseOnce = false;
        void s.runner.pause(e.job.id);
      }
    });
    const first = await batch(s, { file, to: ['es'] });
    expect(first.record.status).toBe('paused');
    const second = await batch(s, { file, to: ['es'] });
    expect(second.resumed).toBe(true);
    expect(second.record.id).toBe(first.record.id);
    expect(second.record.status).toBe('done');
    expect(s.model.texts).toHaveLength(300);
    // The finished job wrote data.es.csv: running again replaces it only when told to.
    await expect(batch(s, { file, to: ['es'] })).rejects.toThrow(/data\.es\.csv exists; add --force/);
    const third = await batch(s, { file, to: ['es'], force: true });
    expect(third.resumed).toBe(false);
    expect(third.record.progress).toMatchObject({ cached: 300, modelCalls: 0 });
    await s.close();
  });

  it('names outputs FILE.<langs>.<ext>', () => {
    expect(defaultOutput('/a/b.c/data.csv', ['es'])).toBe('/a/b.c/data.es.csv');
    expect(defaultOutput('/a/b.c/data', ['es', 'fr'])).toBe('/a/b.c/data.es+fr');
    expect(isTranslatableText('€ 1,200.50')).toBe(false);
    expect(isTranslatableText('Hello 2024')).toBe(true);
  });
});
