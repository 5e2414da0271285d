// Runs a CLI command module in-process, as `parla` would (its argv parsed and dispatched by the
// registry), with captured stdout/stderr and the fake engine.
import { PassThrough } from 'node:stream';
import { runCommand, type Command } from '../../../src/cli/registry.js';
import { FakeTranslator } from './fake-translator.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  command: Command,
  argv: string[],
  dataDir: string,
  model = new FakeTranslator(),
  team?: { redisUrl: string; team?: string },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCommand(command, argv, {
    stdin: new PassThrough(),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    global: () => ({
      dataDir,
      openEngine: async () => model,
      ...(team ? { redisUrl: team.redisUrl, ...(team.team ? { team: team.team } : {}) } : {}),
    }),
  });
  return { code, stdout, stderr };
}
