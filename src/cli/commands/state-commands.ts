// The local-state commands, for the dispatcher's registry.
import type { CliCommand } from '../command.js';
import { batchCommand } from './batch.js';
import { cacheCommand } from './cache.js';
import { historyCommand } from './history.js';
import { jobsCommand } from './jobs.js';

export const stateCommands: readonly CliCommand[] = [batchCommand, jobsCommand, cacheCommand, historyCommand];
