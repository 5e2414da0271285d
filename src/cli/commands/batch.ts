import { existsSync } from 'node:fs';
import { batchNoModelNote } from '../../core/detect/no-model.js';
import { ParlaError } from '../../shared/errors.js';
import { AUTO_SOURCE } from '../../shared/translation.js';
import type { BatchRequest } from '../../core/jobs/batch.js';
import { language, list, sourceLanguage } from '../guard.js';
import { defineCommand } from '../registry.js';
import { fileJobReport } from '../../core/formats/report.js';
import { locateJob } from '../../core/jobs/job-desk.js';
import { finish, openJobSession, runWithProgress } from '../job-session.js';

const usage = 'parla batch FILE --to LANG[,LANG] [--from LANG|auto] [--columns NAME|LETTER[,..]] [--sheet NAME] [--out FILE|DIR|PATTERN] [--force] [--overwrite] [--no-fuzzy] [--no-review] [--min-confidence X] [--json]';

export const batchCommand = defineCommand({
  name: 'batch',
  usage,
  summary: 'Translate columns of a CSV/TSV/XLSX file in a crash-safe background job.',
  options: {
    to: { type: 'string' },
    from: { type: 'string' },
    columns: { type: 'string' },
    sheet: { type: 'string' },
    out: { type: 'string' },
    model: { type: 'string' },
    'no-review': { type: 'boolean', default: false },
    overwrite: { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
    'no-fuzzy': { type: 'boolean', default: false },
    'min-confidence': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run(ctx) {
    const { values, positionals } = ctx;
    const to = list(values.to)?.map((lang) => language(lang, '--to'));
    const [file] = positionals;
    if (positionals.length !== 1 || file === undefined || !to) throw new ParlaError('BAD_INPUT', `need one FILE and --to\nusage: ${usage}`);
    const columns = list(values.columns);
    const minConfidence = values['min-confidence'] === undefined ? undefined : Number(values['min-confidence']);
    if (minConfidence !== undefined && (values['min-confidence']?.trim() === '' || !(minConfidence >= 0 && minConfidence <= 1))) {
      throw new ParlaError('BAD_INPUT', `--min-confidence must be a number from 0 to 1, not "${values['min-confidence']}"`);
    }
    const request: BatchRequest = {
      file,
      to,
      ...(values.from ? { from: sourceLanguage(values.from) } : {}),
      ...(columns ? { columns } : {}),
      ...(values.sheet !== undefined ? { sheet: values.sheet } : {}),
      ...(values.out !== undefined ? { out: values.out } : {}),
      ...(values.model ? { model: values.model } : {}),
      ...(values['no-review'] ? { review: false } : {}),
      ...(minConfidence !== undefined ? { minConfidence } : {}),
      ...(values.overwrite ? { overwrite: true } : {}),
      ...(values.force ? { force: true } : {}),
      ...(values['no-fuzzy'] ? { fuzzy: false } : {}),
    };
    const session = await openJobSession(ctx.global, true);
    try {
      // The model host starts and loads while the file is planned and read (a missing file
      // gets its one-line error without starting a host).
      if (existsSync(request.file)) {
        session.warm({ to: to[0]!, ...(request.from ? { from: request.from } : {}), ...(request.model ? { model: request.model } : {}) });
      }
      // Team mode: the job is split into chunks that every member's app and `parla worker`
      // take; this process follows the progress and writes the output. With the team away it
      // runs locally.
      const { job, resumed, place } = await session.desk.prepareBatch(request);
      const where = !session.teamMode ? '' : place === 'team' ? ' on the team' : ' (team offline: running locally)';
      ctx.stderr.write(`${resumed ? 'resuming' : 'started'} job ${job.id}${where}\n`);
      // Say what the job will do: without --columns the planner chose these (prose and labels).
      const columns = job.input?.columns ?? [];
      if (columns.length > 0) ctx.stderr.write(`translating ${columns.join(', ')}; other columns copied as they are${request.columns ? '' : ' (name others with --columns)'}\n`);
      const record = await runWithProgress(ctx, session.desk, job.id, (signal) => session.desk.runBatch(job, place, signal));
      const report = record.status === 'done' ? await fileJobReport((await locateJob(session.desk, job.id)).shelf.queue, job.id) : undefined;
      const code = finish(ctx, record, values.json, report);
      // Rows whose language no installed model serves: name the models to download. Only a job
      // that detected its sources can have them (a named --from or --model never leaves a row
      // for lack of a model), and reading the output back costs a pass over the whole file. A
      // hint only: the job is done and written whether or not the file reads back.
      const detected = request.from === undefined || request.from === AUTO_SOURCE;
      if (record.status === 'done' && record.output && record.progress.flagged && detected && !request.model) {
        const note = await batchNoModelNote(record.output).catch(() => '');
        if (note) ctx.stderr.write(`${note}\n`);
      }
      return code;
    } finally {
      await session.close();
    }
  },
});
