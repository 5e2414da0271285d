import type { JobRecord } from '../../shared/jobs.js';
import { listDeskJobs, locateJob, tagged, type JobDesk, type JobShelf } from '../../core/jobs/job-desk.js';
import type { StoredJob } from '../../core/queue/backend.js';
import { deleteJob } from '../../core/jobs/uploads.js';
import { answer, exactly } from '../guard.js';
import { finish, openJobSession, runWithProgress } from '../job-session.js';
import { describeProgress } from '../progress.js';
import { defineCommand, subcommand, type CliOutput, type CommandContext } from '../registry.js';

const usage = 'parla jobs [list | show ID | pause ID | resume ID | cancel ID | retry ID | delete ID] [--json]';
const options = { json: { type: 'boolean', default: false } } as const;
type JobsContext = CommandContext<{ json: boolean }>;

function line(job: JobRecord): string {
  const place = job.place === 'team' ? '  [team]' : '';
  return `${job.id}  ${job.status.padEnd(8)}  ${job.createdAt}  → ${job.to.join(',')}  ${describeProgress(job)}  ${job.input?.file ?? ''}${place}`;
}

function print(stdout: CliOutput, json: boolean, job: JobRecord): void {
  answer(stdout, json, job, `${line(job)}${job.output ? `\n  output: ${job.output}` : ''}${job.error ? `\n  error: ${job.error.message}` : ''}\n`);
}

interface Located {
  desk: JobDesk;
  shelf: JobShelf;
  stored: StoredJob;
}

/**
 * A subcommand on one job, named by its id or a unique prefix of it (`parla jobs show 3f2a`).
 * `helpTeam`: this process also translates team chunks while it runs (resume and retry do).
 */
function onJob(helpTeam: boolean, body: (job: Located, ctx: JobsContext) => Promise<number | void>) {
  return subcommand({
    options,
    async run(ctx) {
      const [id] = exactly(ctx.positionals, 1, usage);
      const session = await openJobSession(ctx.global, helpTeam);
      try {
        const { shelf, stored } = await locateJob(session.desk, id);
        return await body({ desk: session.desk, shelf, stored }, ctx);
      } finally {
        await session.close();
      }
    },
  });
}

/** Pause or cancel: the job's record after it. */
const stop = (how: 'pause' | 'cancel') =>
  onJob(false, async ({ shelf, stored }, { values, stdout }) => {
    const id = stored.record.id;
    print(stdout, values.json, tagged(await (how === 'pause' ? shelf.runner.pause(id) : shelf.runner.cancel(id)), shelf.place));
  });

/** Resume or retry: runs the job here with progress until it ends or is paused. */
const rerun = (how: 'resume' | 'retry') =>
  onJob(true, async ({ desk, shelf, stored }, ctx) => {
    const id = stored.record.id;
    const run = (signal: AbortSignal) => (how === 'resume' ? shelf.runner.resume(id, signal) : shelf.runner.retry(id, signal));
    return finish(ctx, tagged(await runWithProgress(ctx, desk, id, run), shelf.place), ctx.values.json);
  });

export const jobsCommand = defineCommand({
  name: 'jobs',
  usage,
  summary: 'List, show, pause, resume, cancel or retry batch jobs.',
  defaultSubcommand: 'list',
  subcommands: {
    list: subcommand({
      options,
      async run({ global, values, positionals, stdout }) {
        exactly(positionals, 0, usage);
        const session = await openJobSession(global, false);
        try {
          const jobs = await listDeskJobs(session.desk);
          answer(stdout, values.json, jobs, jobs.map(line).join('\n') + (jobs.length ? '\n' : ''));
        } finally {
          await session.close();
        }
      },
    }),
    show: onJob(false, async ({ stored }, { values, stdout }) => print(stdout, values.json, stored.record)),
    pause: stop('pause'),
    cancel: stop('cancel'),
    resume: rerun('resume'),
    retry: rerun('retry'),
    delete: onJob(false, async ({ desk, stored }, { global, values, stdout }) => {
      // An ended job only; with it go its uploaded file and result (never a --out file).
      const record = await deleteJob(desk, stored.record.id, global.dataDir);
      stdout.write(values.json ? JSON.stringify({ id: record.id, deleted: true }) + '\n' : `deleted job ${record.id}\n`);
    }),
  },
});
