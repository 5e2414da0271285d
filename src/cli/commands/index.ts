// Every `parla` command, in help order. Add a command: one file in this folder, one line here.
import { openParlaApi } from '../../core/api/local-api.js';
import type { Command } from '../registry.js';
import { batchCommand } from './batch.js';
import { cacheCommand } from './cache.js';
import { glossaryCommand } from './glossary.js';
import { historyCommand } from './history.js';
import { jobsCommand } from './jobs.js';
import { keysCommand } from './keys.js';
import { memoryCommand } from './memory.js';
import { modelsCommand } from './models.js';
import { createServeCommand } from './serve.js';
import { workerCommand } from './worker.js';
import { translateCommand } from './translate.js';

export const COMMANDS: readonly Command[] = [
  translateCommand,
  batchCommand,
  jobsCommand,
  modelsCommand,
  cacheCommand,
  glossaryCommand,
  memoryCommand,
  historyCommand,
  keysCommand,
  createServeCommand((global) => openParlaApi({ ...global, door: 'api' })),
  workerCommand,
];
