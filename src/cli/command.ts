// A `parla` command as data: the dispatcher (src/cli/main.ts) maps names to these objects, so
// usage text, tests and the command line share one definition.
import type { EngineContext, EngineTranslator } from '../core/state.js';

export interface CliOutput {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliContext {
  dataDir: string;
  redisUrl?: string;
  team?: string;
  stdout: CliOutput;
  stderr: CliOutput;
  /**
   * The engine (model host client) WITHOUT cache or history in front: local state puts its own
   * cache in front and records history itself. Called lazily, only when a text misses the cache.
   * `context.glossary`: the glossary the state opening it wants enforced.
   */
  openTranslator(context?: EngineContext): Promise<EngineTranslator>;
}

export interface CliCommand {
  name: string;
  usage: string;
  /** Returns the exit code: 0 ok, 1 runtime failure, 2 usage or bad input. */
  run(argv: string[], ctx: CliContext): Promise<number>;
}
