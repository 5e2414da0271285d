// The team's Redis URL for a command: `--redis URL` or PARLA_REDIS_URL, with the password
// optionally read from a file (`--redis-password-file FILE`, PARLA_REDIS_PASSWORD_FILE). A
// command line is readable by every user of the machine (`ps`, /proc/PID/cmdline); an
// environment variable or a 0600 file is not, so a password given in `--redis` gets a warning.
import { readFileSync } from 'node:fs';
import { ParlaError } from '../shared/errors.js';

export interface RedisUrlSources {
  /** `--redis` as given on the command line. */
  flag?: string;
  /** `--redis-password-file` as given on the command line. */
  passwordFile?: string;
  env: NodeJS.ProcessEnv;
  /** Where the one-line warning about a password on the command line goes. */
  warn(line: string): void;
}

export const PASSWORD_ON_COMMAND_LINE =
  'parla: warning: the password in --redis is visible to other users of this machine (ps); give the URL in PARLA_REDIS_URL or the password in --redis-password-file FILE instead\n';

export function resolveRedisUrl(sources: RedisUrlSources): string | undefined {
  const { flag, env } = sources;
  if (flag && URL.canParse(flag) && new URL(flag).password) sources.warn(PASSWORD_ON_COMMAND_LINE);
  const url = flag ?? env.PARLA_REDIS_URL;
  const file = sources.passwordFile ?? env.PARLA_REDIS_PASSWORD_FILE;
  if (!file || !url) {
    // The variable alone may sit in a profile for the team's commands; the flag alone is a mistake.
    if (sources.passwordFile && !url) throw new ParlaError('BAD_INPUT', '--redis-password-file needs the URL too: --redis URL (or PARLA_REDIS_URL)');
    return url;
  }
  if (!URL.canParse(url)) return url; // resolveTeamOptions refuses it with its own line
  const withPassword = new URL(url);
  if (withPassword.password) throw new ParlaError('BAD_INPUT', 'the Redis password is given twice: in the URL and in --redis-password-file; keep one');
  withPassword.password = encodeURIComponent(readPassword(file));
  return withPassword.toString().replace(/\/$/, '');
}

function readPassword(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ParlaError('BAD_INPUT', `--redis-password-file: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  // `echo secret > file` leaves a newline that is not part of the password.
  const password = text.replace(/\r?\n$/, '');
  if (!password || password.includes('\n')) throw new ParlaError('BAD_INPUT', `--redis-password-file: ${file} must hold the password on one line`);
  return password;
}
