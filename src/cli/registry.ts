// Commands as data: each `parla` command is one entry with its name, usage line, options and
// run function (or a table of subcommands, each with its own), so the dispatcher, help text and
// tests share one definition. `defineCommand` infers the type of `values` from the options (node
// parseArgs configs), so no command casts what it parsed. Add a command: a file under commands/
// and one line in commands/index.ts.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ParlaError } from '../shared/errors.js';
import type { EngineContext, EngineTranslator } from '../core/state.js';
import { reportError, usageError } from './guard.js';

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
type OptionConfig = OptionsConfig[string];

type OptionValue<C extends OptionConfig> = C['type'] extends 'string' ? string : boolean;
type OptionValueOrList<C extends OptionConfig> = C extends { multiple: true } ? OptionValue<C>[] : OptionValue<C>;

/**
 * What parseArgs gives for `options`: a string option's value is a string, a boolean's a
 * boolean, a `multiple` one's an array; undefined when not given, unless it has a default.
 */
export type OptionValues<O extends OptionsConfig> = {
  -readonly [K in keyof O]: O[K] extends { default: unknown } ? OptionValueOrList<O[K]> : OptionValueOrList<O[K]> | undefined;
};

/** The values of a command whose options are not known here (the registry's view). */
export type AnyValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface CliOutput {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface GlobalOptions {
  dataDir: string;
  redisUrl?: string;
  team?: string;
  /**
   * The engine WITHOUT cache or history in front (state puts its own cache in front and records
   * history); the machine's shared model host when left out. Tests and benches give a stand-in.
   */
  openEngine?: (context: EngineContext) => Promise<EngineTranslator>;
}

export interface CommandContext<V = AnyValues> {
  global: GlobalOptions;
  values: V;
  /** The arguments that are not options (for a subcommand: those after its name). */
  positionals: string[];
  stdin: NodeJS.ReadableStream;
  stdout: CliOutput;
  stderr: CliOutput;
}

/** Returns the exit code (0 when it returns nothing): 0 ok, 1 runtime failure, 2 usage or bad input. */
type RunResult = Promise<number | void>;

export interface Subcommand {
  /** Its own usage line, which `parla NAME SUB --help` shows (else the command's). */
  usage?: string;
  options: OptionsConfig;
  run(ctx: CommandContext): RunResult;
}

interface CommandInfo {
  name: string;
  /** One usage line, shown by `parla --help`, `parla NAME --help` and on usage errors. */
  usage: string;
  summary: string;
}

/** A command with its options and one run. */
export interface LeafCommand extends CommandInfo {
  options: OptionsConfig;
  run(ctx: CommandContext): RunResult;
  subcommands?: undefined;
}

/** `parla NAME SUB ...`: the first argument that is not an option picks the subcommand. */
export interface GroupCommand extends CommandInfo {
  subcommands: Readonly<Record<string, Subcommand>>;
  /** The subcommand run when none is named (`parla jobs` = `parla jobs list`). */
  defaultSubcommand?: string;
  /** The one-line error for a subcommand that does not exist. */
  unknownSubcommand?(name: string): string;
}

export type Command = LeafCommand | GroupCommand;

interface CommandSpec<O extends OptionsConfig> {
  name: string;
  usage: string;
  summary: string;
  options: O;
  run(ctx: CommandContext<OptionValues<O>>): RunResult;
}

/** A command with options and one run: `values` in `run` is typed by `options` (write them `as const` or inline). */
export function defineCommand<const O extends OptionsConfig>(spec: CommandSpec<O>): LeafCommand;
/** A command made of subcommands (`parla glossary add|list|...`), each from `subcommand(...)`. */
export function defineCommand(spec: GroupCommand): GroupCommand;
export function defineCommand(spec: CommandSpec<OptionsConfig> | GroupCommand): Command {
  if (!('subcommands' in spec)) return spec;
  const { subcommands, defaultSubcommand } = spec;
  if (defaultSubcommand !== undefined && !subcommands[defaultSubcommand]) throw new Error(`parla ${spec.name}: no subcommand "${defaultSubcommand}"`);
  // The dispatcher finds the subcommand's name with every subcommand's options at once.
  const seen: OptionsConfig = { ...GLOBAL_OPTIONS };
  for (const [name, sub] of Object.entries(subcommands)) {
    for (const [option, config] of Object.entries(sub.options)) {
      if (seen[option] && (seen[option].type !== config.type || seen[option].short !== config.short)) throw new Error(`parla ${spec.name} ${name}: --${option} differs from another subcommand's`);
      seen[option] = config;
    }
  }
  return spec;
}

/** One subcommand: `values` in `run` is typed by its `options`. */
export function subcommand<const O extends OptionsConfig = Record<never, never>>(spec: {
  usage?: string;
  options?: O;
  run(ctx: CommandContext<OptionValues<O>>): RunResult;
}): Subcommand {
  return { ...spec, options: spec.options ?? {} };
}

function unknownSubcommand(command: GroupCommand, name: string): ParlaError {
  return new ParlaError('BAD_INPUT', command.unknownSubcommand?.(name) ?? `unknown ${command.name} command "${name}" (usage: ${command.usage})`);
}

export const GLOBAL_OPTIONS = {
  'data-dir': { type: 'string' },
  redis: { type: 'string' },
  'redis-password-file': { type: 'string' },
  team: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionsConfig;

export type GlobalValues = OptionValues<typeof GLOBAL_OPTIONS>;

export interface CommandIo {
  stdin: NodeJS.ReadableStream;
  stdout: CliOutput;
  stderr: CliOutput;
  /** The global options from the parsed global flags (`--data-dir`, `--redis`, ...). */
  global(values: GlobalValues): GlobalOptions;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The subcommand `argv` names: its first argument that is not an option (or an option's value),
 * read with every option any subcommand knows; undefined when there is none.
 */
function subcommandName(command: GroupCommand, argv: readonly string[]): { name: string | undefined; help: boolean } {
  const options: OptionsConfig = { ...GLOBAL_OPTIONS };
  for (const sub of Object.values(command.subcommands)) Object.assign(options, sub.options);
  const { tokens } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: false, tokens: true });
  const first = tokens.find((t) => t.kind === 'positional');
  return { name: first?.kind === 'positional' ? first.value : undefined, help: tokens.some((t) => t.kind === 'option' && t.name === 'help') };
}

/** A flag of another subcommand (`parla keys list --chars 5`): says which subcommands take it. */
function misplacedOption(command: Command, error: unknown): ParlaError | undefined {
  const flag = error instanceof Error ? /^Unknown option '--([^'=]+)'/u.exec(error.message)?.[1] : undefined;
  const owners = Object.entries(command.subcommands ?? {}).filter(([, sub]) => flag !== undefined && Object.hasOwn(sub.options, flag));
  if (!owners.length) return undefined;
  return new ParlaError('BAD_INPUT', `--${flag} goes with ${owners.map(([name]) => `\`parla ${command.name} ${name}\``).join(' or ')}`);
}

function helpText(command: Command, usage = command.usage): string {
  return `usage: ${usage}\n${command.summary}\n`;
}

/**
 * Runs `command` on its arguments (global options among them): parses them strictly against the
 * command's (or the named subcommand's) options, so an unknown flag is a usage error (exit 2,
 * one line with the usage); `--help` prints the usage. Errors become one line on stderr and the
 * exit code of their ParlaError code.
 */
export async function runCommand(command: Command, argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    const runs = target(command, argv);
    if (!runs) {
      io.stdout.write(helpText(command));
      return 0;
    }
    let parsed: { values: AnyValues; positionals: string[] };
    try {
      parsed = parseArgs({ args: [...argv], options: { ...GLOBAL_OPTIONS, ...runs.options }, allowPositionals: true, strict: true });
    } catch (error) {
      throw misplacedOption(command, error) ?? usageError(error, command.usage);
    }
    const { values } = parsed;
    if (values.help) {
      io.stdout.write(helpText(command, runs.usage));
      return 0;
    }
    const global = io.global({
      'data-dir': text(values['data-dir']),
      redis: text(values.redis),
      'redis-password-file': text(values['redis-password-file']),
      team: text(values.team),
      help: false,
    });
    const positionals = runs.named ? parsed.positionals.slice(1) : parsed.positionals;
    return (await runs.run({ global, values, positionals, stdin: io.stdin, stdout: io.stdout, stderr: io.stderr })) ?? 0;
  } catch (error) {
    return reportError(io.stderr, error);
  }
}

/**
 * What runs for `argv`: the command, or the subcommand it names (`named`: its name is the first
 * positional) or the default one; undefined for `--help` beside a subcommand that does not exist.
 */
function target(command: Command, argv: readonly string[]): (Pick<Subcommand, 'options' | 'run'> & { usage: string; named: boolean }) | undefined {
  if (!command.subcommands) return { options: command.options, usage: command.usage, run: (ctx) => command.run(ctx), named: false };
  const { name, help } = subcommandName(command, argv);
  const chosen = name ?? command.defaultSubcommand;
  const sub = chosen === undefined ? undefined : command.subcommands[chosen];
  if (sub) return { options: sub.options, usage: sub.usage ?? command.usage, run: (ctx) => sub.run(ctx), named: name !== undefined };
  if (help) return undefined;
  throw unknownSubcommand(command, name ?? '');
}
