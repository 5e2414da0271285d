// Every `parla` command, in help order. Add a command: one file in this folder, one line here.
import { openParlaApi } from '../../core/api/local-api.js';
import type { Command } from '../registry.js';
import { fromSelfParsing } from '../self-parsing.js';
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
  fromSelfParsing(batchCommand, 'Translate columns of a CSV/TSV/XLSX file in a crash-safe background job.'),
  fromSelfParsing(jobsCommand, 'List, show, pause, resume, cancel or retry batch jobs.'),
  modelsCommand,
  fromSelfParsing(cacheCommand, 'Show cache statistics or clear the cache.'),
  fromSelfParsing(glossaryCommand, 'Add, list, remove, import or export glossary terms (enforced in every translation).'),
  memoryCommand,
  fromSelfParsing(historyCommand, 'List, search, export or delete the translation history.'),
  fromSelfParsing(keysCommand, 'Create, list or revoke API keys for the DeepL- and LibreTranslate-compatible APIs.'),
  createServeCommand((global) => openParlaApi({ ...global, door: 'api' })),
  fromSelfParsing(workerCommand, 'Team worker: translate chunks of the team\'s batch jobs (needs --redis).'),
];
