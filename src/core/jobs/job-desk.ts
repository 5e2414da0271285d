// Where the batch jobs of an app or a `parla serve` live: the local SQLite queue always, and in
// team mode also the team's Redis queue while it is reachable. Every door lists, finds and acts
// on jobs through one desk, so a team job shows and behaves like a local one (tagged
// `place: 'team'`), and a batch submitted while the team is online goes to the team.
import { ParlaError } from '../../shared/errors.js';
import type { JobEvent, JobPlace, JobRecord } from '../../shared/jobs.js';
import type { QueueBackend, StoredJob } from '../queue/backend.js';
import type { JobControl } from './job-control.js';
import { prepareBatch, runBatch, type BatchRequest, type BatchStart } from './batch.js';
import type { LocalState } from '../state.js';

/** One place's queue and the runner that drives its jobs. */
export interface JobShelf {
  place: JobPlace;
  queue: QueueBackend;
  runner: JobControl;
}

export interface JobDesk {
  /** The places to look in now (the team's only while it is online). */
  shelves(): JobShelf[];
  /** Creates (or finds, to resume) a batch job where new batches go now. */
  prepareBatch(req: BatchRequest): Promise<BatchStart & { place: JobPlace }>;
  /** Runs a prepared batch job to its end (a failed one has its failed items retried). */
  runBatch(job: JobRecord, place: JobPlace, signal?: AbortSignal): Promise<JobRecord>;
  /** Job events of every place, records tagged with their place. */
  onEvent(listener: (event: JobEvent) => void): () => void;
}

/** How long a listing waits for one place before leaving it out (a team that just went away). */
export const SHELF_TIMEOUT_MS = 2000;

/** The record as doors show it: team jobs carry `place: 'team'`; local ones stay as they were. */
export function tagged(record: JobRecord, place: JobPlace): JobRecord {
  return place === 'team' ? { ...record, place } : record;
}

/** A solo desk: one local queue. */
export function localDesk(state: LocalState): JobDesk {
  const shelf: JobShelf = { place: 'local', queue: state.queue, runner: state.runner };
  return {
    shelves: () => [shelf],
    prepareBatch: async (req) => {
      await state.checkRoutes(req);
      return { ...(await prepareBatch(state.queue, req)), place: 'local' };
    },
    runBatch: (job, _place, signal) => runBatch(state.runner, job, signal),
    onEvent(listener) {
      state.runner.on('event', listener);
      return () => state.runner.off('event', listener);
    },
  };
}

function withTimeout<T>(step: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    step.catch(() => undefined),
    new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms))),
  ]).finally(() => clearTimeout(timer));
}

/** One place's jobs, tagged; a team that cannot answer in time lists none (it is not waited for). */
export async function listShelfJobs(shelf: JobShelf, timeoutMs = SHELF_TIMEOUT_MS): Promise<JobRecord[]> {
  const jobs = shelf.place === 'local' ? await shelf.queue.list() : await withTimeout(shelf.queue.list(), timeoutMs);
  return (jobs ?? []).map((job) => tagged(job, shelf.place));
}

/** Every job of every reachable place, newest first. */
export async function listDeskJobs(desk: JobDesk, timeoutMs = SHELF_TIMEOUT_MS): Promise<JobRecord[]> {
  const lists = await Promise.all(desk.shelves().map((shelf) => listShelfJobs(shelf, timeoutMs)));
  return lists.flat().sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** A prefix as short as this is still long enough to name one job among the ids shown in a listing. */
const ID_SHOWN = 8;

/**
 * The job and the shelf it is on, by its id or a unique prefix of it (`3f2a` for
 * `3f2a9c…`), as every door takes them; NOT_FOUND when no reachable place has it, BAD_INPUT
 * naming the candidates when the prefix fits several jobs.
 */
export async function locateJob(desk: JobDesk, id: string, timeoutMs = SHELF_TIMEOUT_MS): Promise<{ shelf: JobShelf; stored: StoredJob }> {
  const exact = await findJob(desk, id, timeoutMs);
  if (exact) return exact;
  const want = id.toLowerCase();
  const matches: { shelf: JobShelf; job: JobRecord }[] = [];
  for (const shelf of desk.shelves()) {
    for (const job of await listShelfJobs(shelf, timeoutMs)) if (job.id.toLowerCase().startsWith(want)) matches.push({ shelf, job });
  }
  if (matches.length > 1) {
    const names = matches.map(({ job }) => `${job.id.slice(0, Math.max(ID_SHOWN, id.length + 4))}… (${job.status})`).join(', ');
    throw new ParlaError('BAD_INPUT', `job id "${id}" fits ${matches.length} jobs: ${names}; give more of it`);
  }
  const only = matches[0];
  const found = only ? await findJob(desk, only.job.id, timeoutMs) : undefined;
  if (!found) throw new ParlaError('NOT_FOUND', `no job ${id}`);
  return found;
}

async function findJob(desk: JobDesk, id: string, timeoutMs: number): Promise<{ shelf: JobShelf; stored: StoredJob } | undefined> {
  for (const shelf of desk.shelves()) {
    const stored = shelf.place === 'local' ? await shelf.queue.get(id) : await withTimeout(shelf.queue.get(id), timeoutMs);
    if (!stored) continue;
    // Tagged in place: a copy would read the job's spec (a text job's every text) for nothing.
    stored.record = tagged(stored.record, shelf.place);
    return { shelf, stored };
  }
  return undefined;
}
