// The three spreadsheet operations a job needs, whatever the format. They run inside a sheet
// worker thread in production (src/workers/sheets/) and in-thread in unit tests.
import type { NewText } from '../queue/backend.js';
import type { Lookup } from '../jobs/source.js';
import { ingestCsv, planCsv, writeCsv } from './csv.js';
import { sniffFile } from './detect.js';
import { defaultOutput, type SheetPlan } from './plan.js';
import { ingestXlsx, planXlsx, writeXlsx } from './xlsx.js';

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
  return sniffed.format === 'xlsx'
    ? planXlsx(req.file, req.to, req.columns, req.sheet, output)
    : planCsv(req.file, sniffed, req.to, req.columns, output);
}

export function ingestPlan(plan: SheetPlan, add: (texts: readonly NewText[]) => Promise<void>): Promise<void> {
  return plan.format === 'xlsx' ? ingestXlsx(plan, add) : ingestCsv(plan, add);
}

export function writePlan(plan: SheetPlan, lookup: Lookup): Promise<void> {
  return plan.format === 'xlsx' ? writeXlsx(plan, lookup) : writeCsv(plan, lookup);
}
