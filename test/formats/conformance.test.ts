// One suite every registered file format passes (the way the queue and cache backends share
// theirs): it is found by its content, whatever the file is called; a text format renders its
// file back byte for byte when nothing is translated; planning and ingesting count its units;
// a job through the real queue and runner (local state, fake model at the edge) writes the
// expected output; a run interrupted mid-way and resumed by a fresh process state writes the same
// bytes (a workbook: the same cells) as an uninterrupted one. A format in the registry without fixtures here fails the suite.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { isTranslatableText } from '../../src/shared/column-class.js';
import { TEXT_FORMATS, type AnyTextFormat } from '../../src/core/formats/index.js';
import type { FormatId, JobFormat } from '../../src/core/formats/job-format.js';
import { detectFormat, JOB_FORMATS } from '../../src/core/formats/registry.js';
import { readTextFile } from '../../src/core/formats/text-job.js';
import { prepareBatch, runBatch } from '../../src/core/jobs/batch.js';
import type { NewText } from '../../src/core/queue/backend.js';
import { FakeTranslator } from '../state/helpers/fake-translator.js';
import { batch, localState } from '../state/helpers/local.js';
import { useTmpDirs } from '../state/helpers/tmp.js';

const tmp = useTmpDirs('parla-formats-');
const FIXTURES = new URL('../fixtures/formats/', import.meta.url);

interface FormatFixture {
  name: string;
  /** Writes the input into `dir`; returns its path. */
  make(dir: string): string | Promise<string>;
  to: string[];
  /** The job's items: units (cells, entries) to translate, every language together. */
  items: number;
  /** Checks one language's output; text formats have a generic check when absent (see below). */
  check?(output: Buffer, lang: string, input?: string): void | Promise<void>;
  /** What two outputs must share to be the same (its bytes when absent; a workbook stamps the time it was written). */
  content?(output: Buffer): Promise<unknown>;
}

const fromFixtures = (name: string) => (dir: string) => {
  const file = join(dir, name);
  copyFileSync(new URL(name, FIXTURES), file);
  return file;
};

const CSV_ROWS = 60;
const XLSX_ROWS = 40;

/**
 * Fixtures per format id. XLIFF, JSON and subtitle fixtures (xliff, json, srt, vtt) are added
 * here with their formats.
 */
const FORMAT_FIXTURES: Partial<Record<FormatId, FormatFixture[]>> = {
  csv: [
    {
      name: 'a CSV with a text column and a number column',
      make: (dir) => {
        const file = join(dir, 'shop.csv');
        writeFileSync(file, 'id,label\n' + Array.from({ length: CSV_ROWS }, (_, i) => `${i},Fresh item number ${i % 25}`).join('\n') + '\n');
        return file;
      },
      to: ['es'],
      items: CSV_ROWS,
      check: (output, lang) => {
        const rows = parseCsv(output.toString('utf8')) as string[][];
        expect(rows[0]).toEqual(['id', 'label', `label (${lang})`, `label (${lang}) review`]);
        for (const row of rows.slice(1)) expect(row[2]).toBe(FakeTranslator.render(row[1]!, lang));
      },
    },
  ],
  xlsx: [
    {
      name: 'a workbook with one sheet',
      make: async (dir) => {
        const file = join(dir, 'book.xlsx');
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('Items');
        ws.addRow(['sku', 'description']);
        for (let i = 0; i < XLSX_ROWS; i++) ws.addRow([i, `A warm coat in size ${i % 10}`]);
        await wb.xlsx.writeFile(file);
        return file;
      },
      to: ['es'],
      items: XLSX_ROWS,
      check: async (output, lang) => {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(output as unknown as ArrayBuffer);
        const ws = wb.getWorksheet('Items')!;
        expect(ws.getRow(1).getCell(3).value).toBe(`description (${lang})`);
        for (let r = 2; r <= XLSX_ROWS + 1; r++) expect(ws.getRow(r).getCell(3).value).toBe(FakeTranslator.render(String(ws.getRow(r).getCell(2).value), lang));
      },
      content: async (output) => {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(output as unknown as ArrayBuffer);
        return wb.worksheets.map((ws) => ({ name: ws.name, rows: ws.getSheetValues() }));
      },
    },
  ],
  po: [
    // Comments, flags, previous msgids, contexts, plurals, obsolete entries; 8 units lack a translation.
    { name: 'a hand-made catalog with every kind of line', make: fromFixtures('features.po'), to: ['es', 'fr'], items: 16 },
    // A template made from Debian's sed catalog: 146 entries, one of them plural (147 units), 2 without words.
    { name: 'a template (sed.pot)', make: fromFixtures('sed.pot'), to: ['ru'], items: 145 },
    // Debian's glib catalog, translated through: nothing to do, every entry kept.
    { name: 'a translated Debian catalog (glib20)', make: fromFixtures('glib20.es.po'), to: ['es'], items: 0 },
  ],
  // Inline elements (<g>, <x/>, <ph>, <pc>…), notes, an already-translated unit, translate="no".
  xliff: [
    { name: 'an XLIFF 1.2 file as CAT tools export it', make: fromFixtures('app.xlf'), to: ['es'], items: 5, check: checkReplaced('xliff', 'existing', 'case') },
    { name: 'an XLIFF 2.0 file', make: fromFixtures('app2.xlf'), to: ['es'], items: 3, check: checkReplaced('xliff', 'existing', 'case') },
  ],
  // A source-language file: every string value is translated in a copy with the same keys and layout.
  json: [
    { name: 'a nested i18next file (arrays, plurals, {{x}})', make: fromFixtures('common.en.json'), to: ['es'], items: 13, check: checkReplaced('json', 'source', 'exact') },
    { name: 'a flat file, 4-space indent, CRLF', make: fromFixtures('flat.json'), to: ['es'], items: 4, check: checkReplaced('json', 'source', 'exact') },
  ],
  srt: [{ name: 'an SRT with tags and multi-line cues (CRLF)', make: fromFixtures('film.srt'), to: ['es'], items: 5, check: checkReplaced('srt', 'source', 'spaces') }],
  vtt: [{ name: 'a WebVTT with header, NOTE, STYLE and cue settings', make: fromFixtures('talk.vtt'), to: ['es'], items: 4, check: checkReplaced('vtt', 'source', 'spaces') }],
};

/**
 * A check for formats whose translation lands in the unit's `existing` (XLIFF targets) or
 * replaces its source (a JSON or subtitle copy in the target language): each unit that had text
 * to translate now holds the fake model's rendering. `case`: inline-element tokens come back in
 * the file's spelling (the fake model upper-cases them); `spaces`: that, and subtitles re-wrap lines.
 */
function checkReplaced(id: FormatId, field: 'existing' | 'source', compare: 'exact' | 'case' | 'spaces') {
  return (output: Buffer, lang: string, input?: string) => {
    const format = textFormatOf(id)!;
    const norm = (s: string | undefined) => {
      const t = s?.trim();
      return compare === 'case' ? t?.toLowerCase() : compare === 'spaces' ? t?.replace(/\s+/gu, ' ').toLowerCase() : s;
    };
    const before = format.units(format.parse(input!, 'in'));
    const after = format.units(format.parse(output.toString('utf8').replace(/^\ufeff/u, ''), 'out'));
    expect(after.map((u) => u.id)).toEqual(before.map((u) => u.id));
    after.forEach((u, i) => {
      const was = before[i]!;
      const want = was.existing ?? (isTranslatableText(was.source) ? FakeTranslator.render(was.source, lang) : was.source);
      expect(norm(u[field] ?? ''), `${u.id}: ${was.source.slice(0, 40)}`).toBe(norm(field === 'existing' ? want : (was.existing ?? want)));
    });
  };
}

const textFormatOf = (id: string): AnyTextFormat | undefined => TEXT_FORMATS.find((f) => f.id === id);

/** Generic check of a text format's output: units that lacked a translation now hold the model's (ends' line breaks aside), the rest are as they were. */
async function checkTextOutput(format: AnyTextFormat, input: string, output: Buffer, lang: string): Promise<void> {
  const text = output.toString('utf8').replace(/^\ufeff/u, '');
  const before = format.units(format.parse(input, 'in'));
  const after = format.units(format.parse(text, 'out'));
  expect(after.map((u) => [u.id, u.source])).toEqual(before.map((u) => [u.id, u.source]));
  const trim = (s: string | undefined) => s?.replace(/^\n+|\n+$/gu, '');
  after.forEach((u, i) => {
    const was = before[i]!;
    const want = was.existing ?? (isTranslatableText(was.source) ? FakeTranslator.render(was.source, lang) : undefined);
    expect(trim(u.existing), `${u.id}: ${u.source.slice(0, 40)}`).toBe(trim(want));
  });
}

async function outputsOf(file: string, format: JobFormat, to: string[]) {
  return format.outputs(await format.plan({ file, to }));
}

describe('file format conformance', () => {
  it('every registered format has fixtures here', () => {
    expect(JOB_FORMATS.filter((f) => !FORMAT_FIXTURES[f.id]?.length).map((f) => f.id)).toEqual([]);
  });

  for (const format of JOB_FORMATS) {
    const text = textFormatOf(format.id);
    describe(format.id, () => {
      for (const fx of FORMAT_FIXTURES[format.id] ?? []) {
        describe(fx.name, () => {
          it('is found by its content, whatever its name', async () => {
            const dir = tmp();
            const file = await fx.make(dir);
            expect(detectFormat(file).id).toBe(format.id);
            const renamed = join(dir, 'renamed.data');
            copyFileSync(file, renamed);
            expect(detectFormat(renamed).id).toBe(format.id);
          });

          it.skipIf(!text)('renders back byte for byte with nothing translated', async () => {
            const dir = tmp();
            const file = await fx.make(dir);
            const plan = await format.plan({ file, to: fx.to });
            await format.write(plan, async (_lang, keys) => keys.map(() => undefined), new AbortController().signal);
            for (const out of format.outputs(plan)) expect(readFileSync(out).equals(readFileSync(file))).toBe(true);
          });

          it('plans and ingests its units', async () => {
            const dir = tmp();
            const file = await fx.make(dir);
            const plan = await format.plan({ file, to: fx.to });
            expect(format.outputs(plan)).toHaveLength(format.filePerLanguage ? fx.to.length : 1);
            const added: NewText[] = [];
            await format.ingest(plan, async (texts) => void added.push(...texts), new AbortController().signal);
            expect(added.reduce((n, t) => n + (t.count ?? 1), 0)).toBe(fx.items);
            expect(new Set(added.map((t) => t.lang))).toEqual(new Set(fx.items > 0 ? fx.to : []));
          });

          it('runs as a job through the queue and writes the expected output', async () => {
            const dir = tmp();
            const file = await fx.make(dir);
            const input = readFileSync(file);
            const s = localState(join(dir, 'data'));
            const { record } = await batch(s, { file, to: fx.to });
            await s.close();
            expect(record.status).toBe('done');
            expect(record.progress).toMatchObject({ total: fx.items, done: fx.items, failed: 0 });
            const outputs = await outputsOf(file, format, fx.to);
            expect(record.output).toBe(outputs[0]);
            for (const [i, out] of outputs.entries()) {
              const lang = format.filePerLanguage ? fx.to[i]! : fx.to[0]!;
              if (fx.check) await fx.check(readFileSync(out), lang, text ? (await readTextFile(file)).text : undefined);
              else await checkTextOutput(text!, (await readTextFile(file)).text, readFileSync(out), lang);
            }
            expect(readFileSync(file).equals(input)).toBe(true);
          });

          it.skipIf(fx.items < 20)('resumed after an interrupted run, writes what an uninterrupted run writes', async () => {
            const dir = tmp();
            const file = await fx.make(dir);
            const reference = join(dir, 'reference');
            const interrupted = join(dir, 'interrupted');
            // Uninterrupted.
            const whole = localState(join(dir, 'data-ref'), undefined, { batchSize: 4 });
            const refOut = format.filePerLanguage ? `${reference}-{lang}-${basename(file)}` : `${reference}-${basename(file)}`;
            const ref = await batch(whole, { file, to: fx.to, out: refOut });
            await whole.close();
            expect(ref.record.status).toBe('done');
            // Interrupted a third of the way in (the process's run stops: its lease and lock go,
            // the job stays running, as after a crash), then resumed by a fresh state.
            const out = format.filePerLanguage ? `${interrupted}-{lang}-${basename(file)}` : `${interrupted}-${basename(file)}`;
            const first = localState(join(dir, 'data'), undefined, { batchSize: 4 });
            const { job } = await prepareBatch(first.queue, { file, to: fx.to, out });
            const stop = new AbortController();
            first.runner.on('event', (e) => {
              if (e.job.progress.done >= fx.items / 3) stop.abort();
            });
            const cut = await runBatch(first.runner, job, stop.signal);
            expect(cut.status).toBe('running');
            expect(cut.progress.done).toBeLessThan(fx.items);
            await first.close();
            const second = localState(join(dir, 'data'), undefined, { batchSize: 4 });
            const resumed = await batch(second, { file, to: fx.to, out });
            await second.close();
            expect(resumed.resumed).toBe(true);
            expect(resumed.record.status).toBe('done');
            for (const lang of format.filePerLanguage ? fx.to : ['']) {
              const a = readFileSync(refOut.replace('{lang}', lang));
              const b = readFileSync(out.replace('{lang}', lang));
              if (fx.content) expect(await fx.content(b)).toEqual(await fx.content(a));
              else expect(b.equals(a)).toBe(true);
            }
          });
        });
      }
    });
  }
});
