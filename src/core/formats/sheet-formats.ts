// CSV/TSV and XLSX as job formats: the spreadsheet code in src/core/sheets/ does the work, in a
// worker thread (see worker-client.ts). A spreadsheet job writes one file, with a column per
// language.
import { ParlaError } from '../../shared/errors.js';
import type { SheetFormat, SheetPlan } from '../sheets/plan.js';
import { ingestInWorker, planInWorker, writeInWorker } from '../sheets/worker-client.js';
import type { JobFormat } from './job-format.js';

const ZIP_MAGIC = 0x04034b50;

function sheetFormat(id: SheetFormat, extensions: readonly string[], sniff: (head: Buffer) => boolean): JobFormat<SheetPlan> {
  return {
    id,
    extensions,
    filePerLanguage: false,
    sniff,
    async plan(req) {
      if (req.overwrite) throw new ParlaError('BAD_INPUT', `--overwrite is for localization files; a spreadsheet job always adds new columns`);
      if (req.fuzzy === false) throw new ParlaError('BAD_INPUT', '--no-fuzzy is for PO catalogs');
      return planInWorker({
        file: req.file,
        to: req.to,
        ...(req.columns ? { columns: req.columns } : {}),
        ...(req.sheet !== undefined ? { sheet: req.sheet } : {}),
        ...(req.output !== undefined ? { output: req.output } : {}),
      });
    },
    outputs: (plan) => [plan.output],
    columns: (plan) => plan.sheets.flatMap((s) => s.columns.map((c) => (plan.sheets.length > 1 ? `${s.name}!${c.header}` : c.header))),
    ingest: (plan, add, signal) => ingestInWorker(plan, add, signal),
    async write(plan, lookup, signal) {
      await writeInWorker(plan, lookup, signal);
      return undefined;
    },
    // The app previews a spreadsheet's rows and columns itself (src/renderer/lib/csv.ts).
    preview: async () => ({ format: id, total: 0, missing: 0, units: [] }),
  };
}

/** A zip file: XLSX (sniffFile tells a workbook from other zips, with the message to show). */
export const xlsxFormat = sheetFormat('xlsx', ['.xlsx', '.xlsm', '.xls'], (head) => head.length >= 4 && (head.readUInt32LE(0) === ZIP_MAGIC || head.readUInt32BE(0) === 0xd0cf11e0));

/** CSV and TSV have no signature of their own: a text file no other format claims is one. */
export const csvFormat = sheetFormat('csv', ['.csv', '.tsv', '.txt'], () => false);
