import { existsSync } from 'node:fs';
import { ParlaError } from '../../shared/errors.js';
import { prepareBatch, runBatch, type BatchRequest } from '../../core/jobs/batch.js';
import { progressReporter } from '../progress.js';
import type { CliCommand, CliContext } from '../command.js';
import { guarded, list, parse } from '../guard.js';
import { finish, openState, runWithProgress } from '../job-session.js';

const usage = 'parla batch FILE --to LANG[,LANG] [--from LANG] [--columns NAME|LETTER[,..]] [--sheet NAME] [--out FILE] [--json]';

export const batchCommand: CliCommand = {
  name: 'batch',
  usage,
  run: (argv, ctx) =>
    guarded(ctx, async () => {
      const { values, positionals } = parse(
        argv,
        {
          to: { type: 'string' },
          from: { type: 'string' },
          columns: { type: 'string' },
          sheet: { type: 'string' },
          out: { type: 'string' },
          model: { type: 'string' },
          json: { type: 'boolean', default: false },
        },
        usage,
      );
      const to = list(values.to);
      if (positionals.length !== 1 || !to) throw new ParlaError('BAD_INPUT', `need one FILE and --to\nusage: ${usage}`);
      const columns = list(values.columns);
      const request: BatchRequest = {
        file: positionals[0] as string,
        to,
        ...(values.from ? { from: values.from } : {}),
        ...(columns ? { columns } : {}),
        ...(values.sheet !== undefined ? { sheet: values.sheet } : {}),
        ...(values.out !== undefined ? { out: values.out } : {}),
        ...(values.model ? { model: values.model } : {}),
      };
      if (ctx.redisUrl) return runTeamBatch(ctx, request, values.json === true);
      const state = openState(ctx);
      // The model host starts and loads while the file is planned and read (best effort; a
      // missing file gets its one-line error without starting a host).
      if (existsSync(request.file)) {
        const warm = { to: to[0]!, ...(request.from ? { from: request.from } : {}), ...(request.model ? { model: request.model } : {}) };
        void state.translator.warm?.(warm).catch(() => undefined);
      }
      try {
        const { job, resumed } = await prepareBatch(state.queue, request);
        ctx.stderr.write(`${resumed ? 'resuming' : 'started'} job ${job.id}\n`);
        const record = await runWithProgress(ctx, state, job.id, (signal) => runBatch(state, job, signal));
        return finish(ctx, record, values.json === true);
      } finally {
        await state.close();
      }
    }),
};

/**
 * Team mode: the job is split into chunks that every member's app and `parla worker` take; this
 * process follows the progress and writes the output. With the team offline it runs locally.
 */
async function runTeamBatch(ctx: CliContext, request: BatchRequest, json: boolean): Promise<number> {
  const { openTeamState } = await import('../../core/team/team-state.js');
  const team = await openTeamState({
    dataDir: ctx.dataDir,
    redis: { url: ctx.redisUrl!, ...(ctx.team ? { team: ctx.team } : {}) },
    openEngine: () => ctx.openTranslator(),
  });
  const reporter = progressReporter(ctx.stderr);
  const stop = team.onEvent(reporter.onEvent);
  try {
    const { job, resumed, place } = await team.prepareBatch(request);
    ctx.stderr.write(`${resumed ? 'resuming' : 'started'} job ${job.id} ${place === 'team' ? 'on the team' : '(team offline: running locally)'}\n`);
    return finish(ctx, await team.runBatch(job, place), json);
  } finally {
    stop();
    reporter.end();
    await team.close();
  }
}
