// The team-mode commands, for the dispatcher's registry.
import type { CliCommand } from '../command.js';
import { workerCommand } from './worker.js';

export const teamCommands: readonly CliCommand[] = [workerCommand];
