// `parla worker`: a headless team worker. It takes chunks of the team's batch jobs from BullMQ,
// translates them (team cache first, then the engine) and commits them; SIGTERM lets running
// chunks finish (or hands them back after a grace period) before it exits.
import { readFileSync } from 'node:fs';
import { ParlaError } from '../../shared/errors.js';
import { engineOf } from '../../core/services.js';
import { defineCommand } from '../registry.js';

const usage = 'parla worker [--concurrency N] [--redis URL] [--team NAME] [--tls-ca FILE] [--grace SECONDS]';

export const workerCommand = defineCommand({
  name: 'worker',
  usage,
  summary: 'Team worker: translate chunks of the team\'s batch jobs (needs --redis).',
  options: {
    concurrency: { type: 'string', default: '1' },
    grace: { type: 'string', default: '30' },
    'tls-ca': { type: 'string' },
  },
  async run({ global, values, positionals, stderr }) {
    if (positionals.length > 0) throw new ParlaError('BAD_INPUT', `usage: ${usage}`);
    // --redis and --team are global options: the dispatcher has read them into `global`.
    const url = global.redisUrl;
    if (!url) throw new ParlaError('BAD_INPUT', 'parla worker needs a team Redis: --redis URL (or PARLA_REDIS_URL)');
    const concurrency = Number(values.concurrency);
    const grace = Number(values.grace);
    if (!Number.isFinite(grace) || grace < 0) throw new ParlaError('BAD_INPUT', '--grace must be a number of seconds');
    const log = (line: string) => stderr.write(`${new Date().toISOString()} ${line}\n`);
    const team = global.team;
    const { TeamWorker, stopOnSignals } = await import('../../core/team/worker.js');
    const worker = await TeamWorker.start({
      url,
      ...(team ? { team } : {}),
      concurrency,
      // A private CA for rediss:// (public CAs need nothing).
      ...(values['tls-ca'] ? { tls: { ca: readCa(values['tls-ca']) } } : {}),
      dataDir: global.dataDir,
      openEngine: engineOf(global),
      log,
    });
    await stopOnSignals(worker, log, grace * 1000);
    const c = worker.counters;
    log(`stopped: ${c.chunks} chunks, ${c.texts} texts (${c.cached} from the cache), ${c.failedChunks} chunk failures`);
    return 0;
  },
});

function readCa(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    throw new ParlaError('BAD_INPUT', `--tls-ca: cannot read ${file}`);
  }
}
