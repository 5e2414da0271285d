// The three spreadsheet operations a job needs, one entry per spreadsheet format. They run inside
// a sheet worker thread in production (src/workers/sheets/) and in-thread in unit tests. The
// XLSX code (exceljs and its zip stack) is loaded only for XLSX files. Which format a file is
// comes from sniffFile, the source of every "bad input" message about a spreadsheet.
import type { NewText } from '../queue/backend.js';
import type { Lookup } from '../jobs/source.js';
import { ingestCsv, planCsv, writeCsv } from './csv.js';
import { sniffFile, type SniffedFile } from './detect.js';
import { defaultOutput, type SheetFormat, type SheetPlan } from './plan.js';
import { checkOutputFile } from '../output-file.js';

export interface PlanRequest {
  file: string;
  to: string[];
  columns?: string[];
  sheet?: string;
  output?: string;
}

type Add = (texts: readonly NewText[]) => Promise<void>;

interface SheetOps {
  plan(req: PlanRequest, sniffed: SniffedFile, output: string): Promise<SheetPlan>;
  ingest(plan: SheetPlan, add: Add): Promise<void>;
  write(plan: SheetPlan, lookup: Lookup): Promise<void>;
}

const SHEET_OPS: Record<SheetFormat, () => Promise<SheetOps>> = {
  csv: async () => ({
    plan: (req, sniffed, output) => planCsv(req.file, sniffed, req.to, req.columns, output),
    ingest: ingestCsv,
    write: writeCsv,
  }),
  xlsx: async () => {
    const { planXlsx, ingestXlsx, writeXlsx } = await import('./xlsx.js');
    return { plan: (req, _sniffed, output) => planXlsx(req.file, req.to, req.columns, req.sheet, output), ingest: ingestXlsx, write: writeXlsx };
  },
};

export async function planSheetJob(req: PlanRequest): Promise<SheetPlan> {
  const sniffed = sniffFile(req.file);
  const output = req.output ?? defaultOutput(req.file, req.to);
  checkOutputFile(output, req.file);
  return (await SHEET_OPS[sniffed.format]()).plan(req, sniffed, output);
}

export async function ingestPlan(plan: SheetPlan, add: Add): Promise<void> {
  return (await SHEET_OPS[plan.format]()).ingest(plan, add);
}

export async function writePlan(plan: SheetPlan, lookup: Lookup): Promise<void> {
  return (await SHEET_OPS[plan.format]()).write(plan, lookup);
}
