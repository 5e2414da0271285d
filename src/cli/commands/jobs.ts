import { ParlaError } from '../../shared/errors.js';
import type { JobRecord } from '../../shared/jobs.js';
import type { CliCommand, CliContext } from '../command.js';
import { guarded, parse } from '../guard.js';
import { listDeskJobs, locateJob, tagged } from '../../core/jobs/job-desk.js';
import { deleteJob } from '../../core/jobs/uploads.js';
import { finish, openJobSession, runWithProgress } from '../job-session.js';
import { describeProgress } from '../progress.js';

const usage = 'parla jobs [list | show ID | pause ID | resume ID | cancel ID | retry ID | delete ID] [--json]';

function line(job: JobRecord): string {
  const place = job.place === 'team' ? '  [team]' : '';
  return `${job.id}  ${job.status.padEnd(8)}  ${job.createdAt}  → ${job.to.join(',')}  ${describeProgress(job)}  ${job.input?.file ?? ''}${place}`;
}

function print(ctx: CliContext, json: boolean, job: JobRecord): void {
  ctx.stdout.write(json ? JSON.stringify(job, null, 2) + '\n' : `${line(job)}${job.output ? `\n  output: ${job.output}` : ''}${job.error ? `\n  error: ${job.error.message}` : ''}\n`);
}

export const jobsCommand: CliCommand = {
  name: 'jobs',
  usage,
  run: (argv, ctx) =>
    guarded(ctx, async () => {
      const { values, positionals } = parse(argv, { json: { type: 'boolean', default: false } }, usage);
      const json = values.json === true;
      const [sub = 'list', id, ...rest] = positionals;
      if (rest.length > 0 || (sub !== 'list' && !id)) throw new ParlaError('BAD_INPUT', `usage: ${usage}`);
      const session = await openJobSession(ctx, sub === 'resume' || sub === 'retry');
      const { desk } = session;
      try {
        // A unique prefix names a job as well as its whole id (`parla jobs show 3f2a`).
        const located = sub === 'list' || id === undefined ? undefined : await locateJob(desk, id);
        const jobId = located?.stored.record.id ?? '';
        switch (sub) {
          case 'list': {
            const jobs = await listDeskJobs(desk);
            ctx.stdout.write(json ? JSON.stringify(jobs, null, 2) + '\n' : jobs.map(line).join('\n') + (jobs.length ? '\n' : ''));
            return 0;
          }
          case 'show':
            print(ctx, json, located!.stored.record);
            return 0;
          case 'pause':
          case 'cancel': {
            const { shelf } = located!;
            const record = sub === 'pause' ? await shelf.runner.pause(jobId) : await shelf.runner.cancel(jobId);
            print(ctx, json, tagged(record, shelf.place));
            return 0;
          }
          case 'resume':
          case 'retry': {
            const { shelf } = located!;
            const run = (signal: AbortSignal) => (sub === 'resume' ? shelf.runner.resume(jobId, signal) : shelf.runner.retry(jobId, signal));
            return finish(ctx, tagged(await runWithProgress(ctx, desk, jobId, run), shelf.place), json);
          }
          case 'delete': {
            // An ended job only; with it go its uploaded file and result (never a --out file).
            const record = await deleteJob(desk, jobId, ctx.dataDir);
            ctx.stdout.write(json ? JSON.stringify({ id: record.id, deleted: true }) + '\n' : `deleted job ${record.id}\n`);
            return 0;
          }
          default:
            throw new ParlaError('BAD_INPUT', `unknown jobs command "${sub}"\nusage: ${usage}`);
        }
      } finally {
        await session.close();
      }
    }),
};
