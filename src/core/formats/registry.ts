// Every file format a batch job takes, and the one way to pick one: the file's content first
// (a zip is a workbook, `msgid "…"` lines a catalog, …), then its extension, then CSV, the one
// format without a signature. Planning, the stored job and its run all go through the format
// found here; nothing else branches on formats.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { ParlaError } from '../../shared/errors.js';
import type { StoredJob } from '../queue/backend.js';
import { TEXT_FORMATS } from './index.js';
import type { FilePlan, FormatId, FormatPlanRequest, JobFormat } from './job-format.js';
import { csvFormat, xlsxFormat } from './sheet-formats.js';
import { textJobFormat } from './text-job.js';

/** Bytes a format's sniff sees. */
const SNIFF_BYTES = 64 * 1024;

/** In sniffing order: the workbook's zip signature first, CSV (no signature) last. */
export const JOB_FORMATS: readonly JobFormat[] = [xlsxFormat, ...TEXT_FORMATS.map(textJobFormat), csvFormat];

export function formatById(id: string): JobFormat {
  const format = JOB_FORMATS.find((f) => f.id === id);
  if (!format) throw new ParlaError('INTERNAL', `no file format "${id}"`);
  return format;
}

function readHead(file: string): Buffer {
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new ParlaError('NOT_FOUND', `${file}: no such file`);
  }
  if (!st.isFile()) throw new ParlaError('BAD_INPUT', `${file} is not a file`);
  if (st.size === 0) throw new ParlaError('BAD_FILE', `${file} is empty`);
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(st.size, SNIFF_BYTES));
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
  } finally {
    closeSync(fd);
  }
}

/** The format of a file: by content, else by extension, else CSV. */
export function detectFormat(file: string): JobFormat {
  const head = readHead(file);
  const ext = extname(file).toLowerCase();
  return JOB_FORMATS.find((f) => f.sniff(head)) ?? JOB_FORMATS.find((f) => f.extensions.includes(ext)) ?? csvFormat;
}

/** Detects the file's format and plans the job with it. */
export async function planFileJob(request: FormatPlanRequest): Promise<{ format: JobFormat; plan: FilePlan }> {
  const format = detectFormat(request.file);
  return { format, plan: await format.plan(request) };
}

/**
 * Characters of the texts a job of `request` would queue, each occurrence counted: the job's own
 * plan and ingest, so it is what the job translates (DeepL's documents are billed by it).
 */
export async function fileCharacters(request: FormatPlanRequest, signal: AbortSignal = new AbortController().signal): Promise<number> {
  const { format, plan } = await planFileJob(request);
  let characters = 0;
  await format.ingest(
    plan,
    async (texts) => {
      for (const text of texts) characters += text.source.length * (text.count ?? 1);
    },
    signal,
  );
  return characters;
}

/**
 * A stored file job's plan and format. Jobs stored before the registry (`kind: 'sheet'`) hold a
 * spreadsheet plan, whose `format` is 'csv' or 'xlsx': the same shape.
 */
export function filePlanOf(job: StoredJob): { format: JobFormat; plan: FilePlan } {
  const plan = job.spec['plan'] as Partial<FilePlan> | undefined;
  if (!plan || typeof plan !== 'object' || typeof plan.format !== 'string') {
    throw new ParlaError('INTERNAL', `job ${job.record.id} has no file plan`);
  }
  return { format: formatById(plan.format as FormatId), plan: plan as FilePlan };
}
