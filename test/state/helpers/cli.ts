// Runs a CLI command module in-process with captured stdout/stderr and the fake engine.
import type { CliCommand, CliContext } from '../../../src/cli/command.js';
import { FakeTranslator } from './fake-translator.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  command: CliCommand,
  argv: string[],
  dataDir: string,
  model = new FakeTranslator(),
  team?: { redisUrl: string; team?: string },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const ctx: CliContext = {
    dataDir,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    openTranslator: async () => model,
    ...(team ? { redisUrl: team.redisUrl, ...(team.team ? { team: team.team } : {}) } : {}),
  };
  const code = await command.run(argv, ctx);
  return { code, stdout, stderr };
}
