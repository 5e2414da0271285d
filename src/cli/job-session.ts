// Shared by `parla batch` and `parla jobs`: opens the jobs' state (local, or local and the
// team's with --redis), shows progress, turns Ctrl-C into a pause (the job stays resumable), and
// maps the final status to an exit code.
import type { JobRecord } from '../shared/jobs.js';
import type { FileJobReport } from '../core/formats/report.js';
import { locateJob, type JobDesk } from '../core/jobs/job-desk.js';
import { engineOf, openServices } from '../core/services.js';
import { openLocalState, type LocalState } from '../core/state.js';
import type { CommandContext, GlobalOptions } from './registry.js';
import { describeProgress, progressReporter } from './progress.js';

/** What these helpers use of a command's context. */
type SessionContext = Pick<CommandContext<unknown>, 'global' | 'stdout' | 'stderr'>;

export function openState(global: GlobalOptions): LocalState {
  return openLocalState({ dataDir: global.dataDir, openEngine: engineOf(global) });
}

export interface JobSession {
  desk: JobDesk;
  /** Asks the model host to load the model while the file is read (best effort). */
  warm(request: { to: string; from?: string; model?: string }): void;
  teamMode: boolean;
  close(): Promise<void>;
}

/**
 * Local state, or with --redis the team's too. `helpTeam`: this process also translates team
 * chunks (one at a time) while it runs (a batch or a resume does; a list or a pause does not).
 */
export async function openJobSession(global: GlobalOptions, helpTeam: boolean): Promise<JobSession> {
  const services = await openServices({ ...global, teamWork: helpTeam ? 1 : 0 });
  return {
    desk: services.desk,
    warm: (req) => void services.state.translator.warm?.(req).catch(() => undefined),
    teamMode: Boolean(global.redisUrl),
    close: () => services.close(),
  };
}

export async function runWithProgress(
  ctx: SessionContext,
  desk: JobDesk,
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
      void locateJob(desk, jobId).then(({ shelf }) => shelf.runner.pause(jobId)).catch(() => abort.abort());
    } else abort.abort();
  };
  const stop = desk.onEvent((event) => {
    if (event.job.id === jobId) reporter.onEvent(event);
  });
  process.on('SIGINT', onSigint);
  try {
    return await run(abort.signal);
  } finally {
    process.off('SIGINT', onSigint);
    stop();
    reporter.end();
  }
}

/**
 * Prints how the job ended; the exit code: 0 done (or left paused), 1 failed, canceled, or done
 * with failed rows, whose reasons are named with the way to try them again. A file job's report
 * adds its other output files and, for localization files, the entries translated, kept and
 * skipped (in --json: `outputs` and `entries` next to the record's fields).
 */
export function finish(ctx: SessionContext, job: JobRecord, json: boolean, report?: FileJobReport): number {
  if (json) ctx.stdout.write(JSON.stringify({ ...job, ...report }, null, 2) + '\n');
  const summary = `job ${job.id} ${job.status}: ${describeProgress(job)}`;
  const outputs = report?.outputs ?? (job.output ? [job.output] : []);
  const entries = report?.entries ? `\nentries: ${report.entries.translated} translated, ${report.entries.kept} kept, ${report.entries.skipped} skipped` : '';
  const wrote = outputs.map((o) => `wrote ${o}`).join('\n');
  if (job.status === 'done' && job.progress.failed > 0) {
    const reasons = job.error ? `\nfailed: ${job.error.message}` : '';
    ctx.stderr.write(`job ${job.id} done with failures: ${describeProgress(job)}${reasons}${entries}\n`);
    ctx.stderr.write(`${outputs.length ? `${wrote} (failed rows left untranslated)\n` : ''}retry them with: parla jobs retry ${job.id}\n`);
    if (!json) for (const o of outputs) ctx.stdout.write(`${o}\n`);
    return 1;
  }
  if (job.status === 'done') {
    ctx.stderr.write(`${summary}${entries}${outputs.length ? `\n${wrote}` : ''}\n`);
    if (!json) for (const o of outputs) ctx.stdout.write(`${o}\n`);
    return 0;
  }
  if (job.status === 'paused' || job.status === 'running' || job.status === 'queued') {
    ctx.stderr.write(`${summary}\nresume with: parla jobs resume ${job.id}\n`);
    return 0;
  }
  ctx.stderr.write(`${summary}${job.error ? `\n${job.error.message}` : ''}\n`);
  return 1;
}
