// The three spreadsheet operations a job needs, whatever the format. They run inside a sheet
// worker thread in production (src/workers/sheets/) and in-thread in unit tests. The XLSX code
// (exceljs and its zip stack) is loaded only for XLSX files.
import type { NewText } from '../queue/backend.js';
import type { Lookup } from '../jobs/source.js';
import { ingestCsv, planCsv, writeCsv } from './csv.js';
import { sniffFile } from './detect.js';
import { defaultOutput, type SheetPlan } from './plan.js';
import { checkOutputFile } from '../output-file.js';

export interface PlanRequest {
  file: string;
  to: string[];
  columns?: string[];
  sheet?: string;
  output?: string;
}

export async function planSheetJob(req: PlanRequest): Promise<SheetPlan> {
  const sniffed = sniffFile(req.file);
  const output = req.output ?? defaultOutput(req.file, req.to);
  checkOutputFile(output, req.file);
  if (sniffed.format !== 'xlsx') return planCsv(req.file, sniffed, req.to, req.columns, output);
  const { planXlsx } = await import('./xlsx.js');
  return planXlsx(req.file, req.to, req.columns, req.sheet, output);
}

export async function ingestPlan(plan: SheetPlan, add: (texts: readonly NewText[]) => Promise<void>): Promise<void> {
  if (plan.format !== 'xlsx') return ingestCsv(plan, add);
  const { ingestXlsx } = await import('./xlsx.js');
  return ingestXlsx(plan, add);
}

export async function writePlan(plan: SheetPlan, lookup: Lookup): Promise<void> {
  if (plan.format !== 'xlsx') return writeCsv(plan, lookup);
  const { writeXlsx } = await import('./xlsx.js');
  return writeXlsx(plan, lookup);
}
