// `parla`: a thin dispatcher over the command registry. Errors become one line on stderr and
// the exit code of their ParlaError code (usage errors: 2); a stack trace only with PARLA_DEBUG=1.
import { ParlaError } from '../shared/errors.js';
import { reportError } from './guard.js';
import { resolveDataDir } from '../core/paths.js';
import { resolveRedisUrl } from './redis-url.js';
import { COMMANDS } from './commands/index.js';
import { runCommand } from './registry.js';

function helpText(): string {
  const lines = COMMANDS.map((c) => `  ${c.usage}\n      ${c.summary}`);
  return `usage: parla <command> [options]\n\n${lines.join('\n')}\n\nglobal: --data-dir DIR (PARLA_DATA_DIR), --redis URL (PARLA_REDIS_URL), --redis-password-file FILE (PARLA_REDIS_PASSWORD_FILE), --team NAME (PARLA_TEAM)\n`;
}

/** How long a finished command may linger on handles it could not close. */
const EXIT_GRACE_MS = 3000;

async function main(argv: string[]): Promise<number> {
  const name = argv[0];
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(helpText());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new ParlaError('BAD_INPUT', `unknown command "${name}"; run parla --help`);
  return runCommand(command, argv.slice(1), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    global: (values) => ({
      dataDir: resolveDataDir(values['data-dir']),
      redisUrl: resolveRedisUrl({
        flag: values.redis,
        passwordFile: values['redis-password-file'],
        env: process.env,
        warn: (line) => process.stderr.write(line),
      }),
      team: values.team ?? process.env.PARLA_TEAM,
    }),
  });
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.exitCode = reportError(process.stderr, error);
}
// The command is over and has closed what it opened. A library may still hold a timer or a
// socket it could not close (BullMQ's worker, when Redis went away mid-run): the process leaves
// anyway, after a grace period that lets pending output drain. Unref'd, this never delays an exit.
setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
