// Some commands parse their own arguments (`run(argv, ctx)`, see command.ts). This adapter puts
// them in the one registry: the dispatcher has already taken the global options out of argv.
import { openEngine } from '../core/services.js';
import type { CliCommand } from './command.js';
import type { Command } from './registry.js';

export function fromSelfParsing(command: CliCommand, summary: string): Command {
  return {
    name: command.name,
    usage: command.usage,
    summary,
    options: {},
    selfParsing: true,
    async run({ global, argv, stdout, stderr }) {
      return command.run(argv, {
        ...global,
        stdout: stdout as NodeJS.WriteStream,
        stderr: stderr as NodeJS.WriteStream,
        openTranslator: async (context) => openEngine(global, undefined, context),
      });
    },
  };
}
