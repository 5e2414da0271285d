// Spreadsheets sent to `parla serve` or the app: each upload has its own folder under
// `<dataDir>/uploads/` holding the file and, next to it, the job's result. They are the person's
// texts, so they are not kept forever: a folder goes when its job is deleted, or once the job
// ended longer ago than the retention setting.
import { readdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ParlaError } from '../../shared/errors.js';
import { isFinalStatus, type JobRecord } from '../../shared/jobs.js';
import { inside } from '../safe-path.js';
import { locateJob, type JobDesk } from './job-desk.js';

const DAY_MS = 86_400_000;

export function uploadsDir(dataDir: string): string {
  return join(dataDir, 'uploads');
}

/** The upload folder a job reads from, when its input is an upload. */
export function uploadFolderOf(job: JobRecord, uploads: string): string | undefined {
  const folder = job.input ? dirname(job.input.file) : undefined;
  return folder && dirname(folder) === uploads ? folder : undefined;
}

/**
 * Removes each upload folder whose job ended (done, failed, canceled) more than `days` ago, or
 * that no job names (a create that failed midway) and is itself that old; unfinished jobs keep
 * theirs, and `days` 0 keeps everything. Returns how many folders went.
 */
export async function sweepUploads(uploads: string, jobs: readonly JobRecord[], days: number, now: number): Promise<number> {
  if (days === 0) return 0;
  let removed = 0;
  for (const name of await readdir(uploads).catch(() => [] as string[])) {
    const folder = inside(uploads, name);
    const job = jobs.find((j) => uploadFolderOf(j, uploads) === folder);
    const since = job ? (isFinalStatus(job.status) ? Date.parse(job.updatedAt) : undefined) : (await stat(folder).catch(() => undefined))?.mtimeMs;
    if (since === undefined || now - since <= days * DAY_MS) continue;
    await rm(folder, { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

/**
 * Deletes an ended job from its queue, with its upload folder (an upload's file and result);
 * files a person named themselves (a `parla batch` input or `--out`) stay. An unfinished job is
 * a CONFLICT: cancel it first, so no runner is still writing.
 */
export async function deleteJob(desk: JobDesk, id: string, dataDir: string): Promise<JobRecord> {
  const { shelf, stored } = await locateJob(desk, id);
  const job = stored.record;
  if (!isFinalStatus(job.status)) throw new ParlaError('CONFLICT', `job ${id} is ${job.status}; cancel it before deleting it`);
  await shelf.queue.remove(id);
  const folder = uploadFolderOf(job, uploadsDir(dataDir));
  if (folder) await rm(folder, { recursive: true, force: true });
  return job;
}
