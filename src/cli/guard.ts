// Every command ends the same way on error: one clear line on stderr and the code's exit status.
import { ParlaError, exitCodeFor, toErrorInfo } from '../shared/errors.js';
import { normalizeLanguage } from '../shared/languages.js';
import { AUTO_SOURCE } from '../shared/translation.js';
import type { CliOutput } from './registry.js';

/** Writes the one line for `error` (with its stack under PARLA_DEBUG=1, for bug reports); returns the exit code. */
export function reportError(stderr: CliOutput, error: unknown): number {
  const info = toErrorInfo(error);
  stderr.write(`parla: ${info.message}\n`);
  if (process.env.PARLA_DEBUG && error instanceof Error && error.stack) stderr.write(`${error.stack}\n`);
  return exitCodeFor(info.code);
}

/** A parseArgs error as one line with the command's usage. */
export function usageError(error: unknown, usage: string): ParlaError {
  // node's message may run over lines ("...is ambiguous. Did you forget to specify the option
  // argument for '--limit'? To specify an option argument starting with a dash use
  // '--limit=-XYZ'."): keep all of it, on one line.
  return new ParlaError('BAD_INPUT', `${(error as Error).message.trim().replace(/\s*\n\s*/gu, ' ')} (usage: ${usage})`);
}

export function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  return items.length > 0 ? items : undefined;
}

/** `--to ES`, `--to spanish`, `--to es-ES` → `es`: what a person types, as a model's code. */
export function language(value: string, flag: string): string {
  const code = normalizeLanguage(value);
  if (!code) throw new ParlaError('BAD_INPUT', `${flag} "${value.slice(0, 40)}" is not a language code or name (e.g. es, Spanish, pt-BR)`);
  return code;
}

/** `--from`: a language as `language` reads it, or `auto` (detect each text's language). */
export function sourceLanguage(value: string, flag = '--from'): string {
  return value === AUTO_SOURCE ? AUTO_SOURCE : language(value, flag);
}

/** A subcommand's arguments when there are `count` of them; otherwise `usage: USAGE` (exit 2). */
export function exactly(positionals: readonly string[], count: number, usage: string): string[] {
  if (positionals.length !== count) throw new ParlaError('BAD_INPUT', `usage: ${usage}`);
  return [...positionals];
}

/** What a command prints: `value` as indented JSON with --json, else `text`. */
export function answer(stdout: CliOutput, json: boolean | undefined, value: unknown, text: string): void {
  stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : text);
}
