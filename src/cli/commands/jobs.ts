import { ParlaError } from '../../shared/errors.js';
import type { JobRecord } from '../../shared/jobs.js';
import type { CliCommand, CliContext } from '../command.js';
import { guarded, parse } from '../guard.js';
import { finish, openState, runWithProgress } from '../job-session.js';
import { describeProgress } from '../progress.js';

const usage = 'parla jobs [list | show ID | pause ID | resume ID | cancel ID | retry ID] [--json]';

function line(job: JobRecord): string {
  return `${job.id}  ${job.status.padEnd(8)}  ${job.createdAt}  → ${job.to.join(',')}  ${describeProgress(job)}  ${job.input?.file ?? ''}`;
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
      const state = openState(ctx);
      try {
        const jobId = id as string;
        switch (sub) {
          case 'list': {
            const jobs = await state.queue.list();
            ctx.stdout.write(json ? JSON.stringify(jobs, null, 2) + '\n' : jobs.map(line).join('\n') + (jobs.length ? '\n' : ''));
            return 0;
          }
          case 'show': {
            const job = await state.queue.get(jobId);
            if (!job) throw new ParlaError('NOT_FOUND', `no job ${jobId}`);
            print(ctx, json, job.record);
            return 0;
          }
          case 'pause':
            print(ctx, json, await state.runner.pause(jobId));
            return 0;
          case 'cancel':
            print(ctx, json, await state.runner.cancel(jobId));
            return 0;
          case 'resume':
            return finish(ctx, await runWithProgress(ctx, state, jobId, (signal) => state.runner.resume(jobId, signal)), json);
          case 'retry':
            return finish(ctx, await runWithProgress(ctx, state, jobId, (signal) => state.runner.retry(jobId, signal)), json);
          default:
            throw new ParlaError('BAD_INPUT', `unknown jobs command "${sub}"\nusage: ${usage}`);
        }
      } finally {
        await state.close();
      }
    }),
};
