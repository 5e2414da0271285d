// Shared by `parla batch` and `parla jobs resume|retry`: opens local state, shows progress,
// turns Ctrl-C into a pause (the job stays resumable), and maps the final status to an exit code.
import type { JobRecord } from '../shared/jobs.js';
import { openLocalState, type LocalState } from '../core/state.js';
import type { CliContext } from './command.js';
import { describeProgress, progressReporter } from './progress.js';

export function openState(ctx: CliContext): LocalState {
  return openLocalState({ dataDir: ctx.dataDir, openEngine: () => ctx.openTranslator() });
}

export async function runWithProgress(
  ctx: CliContext,
  state: LocalState,
  jobId: string,
  run: (signal: AbortSignal) => Promise<JobRecord>,
): Promise<JobRecord> {
  const reporter = progressReporter(ctx.stderr);
  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts === 1) {
      ctx.stderr.write(`\npausing job ${jobId} after the current batch (Ctrl-C again to stop now)\n`);
      void state.runner.pause(jobId);
    } else abort.abort();
  };
  state.runner.on('event', reporter.onEvent);
  process.on('SIGINT', onSigint);
  try {
    return await run(abort.signal);
  } finally {
    process.off('SIGINT', onSigint);
    state.runner.off('event', reporter.onEvent);
    reporter.end();
  }
}

export function finish(ctx: CliContext, job: JobRecord, json: boolean): number {
  if (json) ctx.stdout.write(JSON.stringify(job, null, 2) + '\n');
  const summary = `job ${job.id} ${job.status}: ${describeProgress(job)}`;
  if (job.status === 'done') {
    ctx.stderr.write(`${summary}${job.output ? `\nwrote ${job.output}` : ''}\n`);
    if (!json && job.output) ctx.stdout.write(`${job.output}\n`);
    return 0;
  }
  if (job.status === 'paused' || job.status === 'running' || job.status === 'queued') {
    ctx.stderr.write(`${summary}\nresume with: parla jobs resume ${job.id}\n`);
    return 0;
  }
  ctx.stderr.write(`${summary}${job.error ? `\n${job.error.message}` : ''}\n`);
  return 1;
}
