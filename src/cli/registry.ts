// Commands as data: each `parla` command is one entry with its name, usage line, options and
// run function, so the dispatcher, help text and tests share one definition. Teams add a file
// under commands/ and one line in commands/index.ts.
import type { ParseArgsConfig } from 'node:util';

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface GlobalOptions {
  dataDir: string;
  redisUrl?: string;
  team?: string;
}

export interface CommandContext {
  global: GlobalOptions;
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
  /** The command's own arguments, global options removed (for self-parsing commands). */
  argv: string[];
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface Command {
  name: string;
  /** One usage line, shown by `parla --help` and on usage errors. */
  usage: string;
  summary: string;
  options: OptionsConfig;
  /** Parses `argv` itself; the dispatcher only takes the global options out. */
  selfParsing?: boolean;
  /** Returns the exit code (0 when omitted). */
  run(ctx: CommandContext): Promise<number | void>;
}

export const GLOBAL_OPTIONS: OptionsConfig = {
  'data-dir': { type: 'string' },
  redis: { type: 'string' },
  'redis-password-file': { type: 'string' },
  team: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** Splits the global options (`--data-dir X`, `--redis=URL`, ...) out of a command's arguments. */
export function splitGlobalArgs(argv: readonly string[]): { globals: string[]; rest: string[] } {
  const globals: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const name = /^--([a-z-]+)(=|$)/.exec(arg);
    const option = name ? GLOBAL_OPTIONS[name[1]!] : undefined;
    if (option && name![1] !== 'help') {
      globals.push(arg);
      if (option.type === 'string' && name![2] !== '=' && i + 1 < argv.length) globals.push(argv[++i]!);
    } else rest.push(arg);
  }
  return { globals, rest };
}
