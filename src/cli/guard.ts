// Every command ends the same way on error: one clear line on stderr and the code's exit status.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ParlaError, exitCodeFor, toErrorInfo } from '../shared/errors.js';
import type { CliContext } from './command.js';

export async function guarded(ctx: CliContext, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    const info = toErrorInfo(error);
    ctx.stderr.write(`parla: ${info.message}\n`);
    return exitCodeFor(info.code);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with unknown options and missing values reported as BAD_INPUT (exit 2). */
export function parse<O extends Options>(argv: string[], options: O, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ParlaError('BAD_INPUT', `${(error as Error).message.split('\n')[0]}\nusage: ${usage}`);
  }
}

export function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  return items.length > 0 ? items : undefined;
}
