import { ParlaError } from '../../shared/errors.js';
import { prepareBatch, runBatch } from '../../core/jobs/batch.js';
import type { CliCommand } from '../command.js';
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
      const state = openState(ctx);
      try {
        const columns = list(values.columns);
        const { job, resumed } = await prepareBatch(state, {
          file: positionals[0] as string,
          to,
          ...(values.from ? { from: values.from } : {}),
          ...(columns ? { columns } : {}),
          ...(values.sheet !== undefined ? { sheet: values.sheet } : {}),
          ...(values.out !== undefined ? { out: values.out } : {}),
          ...(values.model ? { model: values.model } : {}),
        });
        ctx.stderr.write(`${resumed ? 'resuming' : 'started'} job ${job.id}\n`);
        const record = await runWithProgress(ctx, state, job.id, (signal) => runBatch(state, job, signal));
        return finish(ctx, record, values.json === true);
      } finally {
        await state.close();
      }
    }),
};
