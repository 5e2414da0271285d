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
  /** Returns the exit code (0 when omitted). */
  run(ctx: CommandContext): Promise<number | void>;
}

export const GLOBAL_OPTIONS: OptionsConfig = {
  'data-dir': { type: 'string' },
  redis: { type: 'string' },
  team: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};
