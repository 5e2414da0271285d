// IPC channels derived from ParlaApi: one channel per request method, plus one push channel for
// events. `API_ARGS` validates every call's arguments on arrival in the main process; its type
// forces a validator for each ParlaApi method with exactly that method's parameters.
import type { ApiArgs, ApiMethod } from './api.js';
import { GLOSSARY_FILE_FORMATS } from './glossary.js';
import { HISTORY_EXPORT_FORMATS } from './history-api.js';
import { JOB_ACTIONS } from './job-requests.js';
import { LIMITS } from './limits.js';
import { MEMORY_ORIGINS } from './memory.js';
import { THEMES } from './settings.js';
import { translateRequest } from './translate-request.js';
import { TRANSLATION_FLAGS } from './translation.js';
import { arr, bool, bytes, fileName, int, langCode, num, obj, oneOf, opt, sourceLang, str, tuple, union, type Validator } from './validate.js';

export const IPC_PREFIX = 'parla:';
export const EVENT_CHANNEL = 'parla:event';

export function channelFor(method: ApiMethod): string {
  return `${IPC_PREFIX}${method}`;
}

const lang = langCode();
const id = str({ min: 1, max: 512 });
const text = str({ max: LIMITS.textChars });

export const textJobRequest = obj({
  texts: arr(text, { min: 1, max: LIMITS.jobTexts }),
  to: lang,
  from: opt(sourceLang()),
});

export const fileJobRequest = obj({
  fileName: fileName(),
  bytes: bytes(),
  to: arr(lang, { min: 1, max: 32 }),
  from: opt(sourceLang()),
  columns: opt(arr(str({ min: 1, max: 255 }), { max: 256 })),
  sheet: opt(str({ min: 1, max: 255 })),
  review: opt(bool()),
  minConfidence: opt(num({ min: 0, max: 1 })),
  overwrite: opt(bool()),
  fuzzy: opt(bool()),
});

export const filePreviewRequest = obj({
  fileName: fileName(),
  bytes: bytes(),
  to: opt(lang),
});

const historyFilter = {
  q: opt(str({ max: 1000 })),
  from: opt(lang),
  to: opt(lang),
  since: opt(str({ max: 40 })),
  until: opt(str({ max: 40 })),
  flagged: opt(bool()),
};

export const historyQuery = obj({
  ...historyFilter,
  limit: int({ min: 1, max: LIMITS.historyPage }),
  offset: int({ min: 0 }),
});

export const historyFilterOnly = obj(historyFilter);

export const historyDrafts = arr(
  obj({
    source: str({ min: 1, max: LIMITS.textChars }),
    text: str({ max: LIMITS.textChars * 4 }),
    from: str({ max: 35 }),
    to: lang,
    model: str({ max: 1024 }),
    flags: opt(arr(oneOf(TRANSLATION_FLAGS), { max: TRANSLATION_FLAGS.length })),
  }),
  { min: 1, max: LIMITS.translateTexts },
);

const historyDeletion = union(
  obj({ ids: arr(int({ min: 0 }), { min: 1, max: 10_000 }) }),
  obj({ query: historyFilterOnly }),
  '{ids: [...]} or {query: {...}}',
);

export const glossaryQuery = obj({
  from: opt(sourceLang()),
  to: opt(lang),
  q: opt(str({ max: LIMITS.termChars })),
  limit: opt(int({ min: 1, max: LIMITS.glossaryPage })),
  offset: opt(int({ min: 0 })),
});

export const newGlossaryEntry = obj({
  from: lang,
  to: lang,
  source: str({ min: 1, max: LIMITS.termChars }),
  target: opt(str({ max: LIMITS.termChars })),
  doNotTranslate: opt(bool()),
  caseSensitive: opt(bool()),
  wholeWord: opt(bool()),
});

export const glossaryEntries = arr(newGlossaryEntry, { min: 1, max: LIMITS.glossaryAdd });
export const glossaryPair = obj({ from: lang, to: lang });

export const glossaryImport = obj({
  from: lang,
  to: lang,
  fileName: str({ min: 1, max: 255 }),
  bytes: bytes(),
  encoding: opt(str({ min: 1, max: 40 })),
});

const keyName = str({ min: 1, max: 64 });
export const newApiKey = obj({ name: keyName, charLimit: opt(int({ min: 1 })), ratePerMinute: opt(int({ min: 1 })) });
export const memoryQuery = obj({
  from: opt(lang),
  to: opt(lang),
  q: opt(str({ max: LIMITS.textChars })),
  limit: opt(int({ min: 1, max: LIMITS.memoryPage })),
  offset: opt(int({ min: 0 })),
});

export const newMemoryEntry = obj({
  from: lang,
  to: lang,
  source: str({ min: 1, max: LIMITS.textChars }),
  target: str({ min: 1, max: LIMITS.textChars }),
  origin: opt(oneOf(MEMORY_ORIGINS)),
  note: opt(str({ max: 4000 })),
});

export const memoryEntries = arr(newMemoryEntry, { min: 1, max: LIMITS.memoryAdd });
export const memoryPair = obj({ from: opt(lang), to: opt(lang) });
export const memoryImport = obj({ fileName: str({ min: 1, max: 255 }), bytes: bytes() });

const teamSettings = obj({ redisUrl: str({ max: 2048 }), name: str({ max: 128 }) });

export const settingsPatch = obj({
  team: opt(obj({ redisUrl: opt(str({ max: 2048 })), name: opt(str({ max: 128 })) })),
  cache: opt(obj({ maxEntries: opt(int({ min: 0 })), ttlDays: opt(int({ min: 0, max: 36_500 })) })),
  threads: opt(int({ min: 0, max: 256 })),
  memoryBudgetMB: opt(int({ min: 0, max: 1_048_576 })),
  dataDir: opt(str({ min: 1, max: 4096 })),
  theme: opt(oneOf(THEMES)),
  uploadRetentionDays: opt(int({ min: 0, max: 36_500 })),
  allowedOrigins: opt(arr(str({ min: 1, max: 512 }), { max: 100 })),
  memory: opt(obj({ author: opt(str({ max: 100 })), threshold: opt(num({ min: 0.5, max: 1 })) })),
  review: opt(obj({ minConfidence: opt(num({ min: 0, max: 1 })) })),
});

export const API_ARGS: { [M in ApiMethod]: Validator<ApiArgs<M>> } = {
  translate: tuple(translateRequest),
  detectLanguage: tuple(arr(str({ max: LIMITS.textChars }), { min: 1, max: LIMITS.translateTexts })),
  createTextJob: tuple(textJobRequest),
  createFileJob: tuple(fileJobRequest),
  previewFile: tuple(filePreviewRequest),
  listJobs: tuple(),
  getJob: tuple(id),
  jobAction: tuple(id, oneOf(JOB_ACTIONS)),
  deleteJob: tuple(id),
  jobResult: tuple(id),
  jobReview: tuple(id),
  listModels: tuple(),
  downloadModel: tuple(id, opt(obj({ quantized: opt(bool()) }))),
  modelDownloadSizes: tuple(id),
  importModel: tuple(str({ min: 1, max: 4096 })),
  removeModel: tuple(id),
  searchHistory: tuple(historyQuery),
  addHistory: tuple(historyDrafts),
  deleteHistory: tuple(historyDeletion),
  exportHistory: tuple(historyFilterOnly, oneOf(HISTORY_EXPORT_FORMATS)),
  listGlossary: tuple(glossaryQuery),
  addGlossary: tuple(glossaryEntries),
  removeGlossary: tuple(id),
  importGlossary: tuple(glossaryImport),
  exportGlossary: tuple(glossaryPair, oneOf(GLOSSARY_FILE_FORMATS)),
  listKeys: tuple(),
  createKey: tuple(newApiKey),
  revokeKey: tuple(keyName),
  listMemory: tuple(memoryQuery),
  addMemory: tuple(memoryEntries),
  removeMemory: tuple(id),
  importMemory: tuple(memoryImport),
  exportMemory: tuple(memoryPair),
  cacheStats: tuple(),
  clearCache: tuple(),
  getSettings: tuple(),
  setSettings: tuple(settingsPatch),
  testTeamConnection: tuple(teamSettings),
  teamStatus: tuple(),
  health: tuple(),
};

export const API_METHODS = Object.keys(API_ARGS) as ApiMethod[];

export function isApiMethod(value: unknown): value is ApiMethod {
  return typeof value === 'string' && Object.hasOwn(API_ARGS, value);
}

/** What an IPC handler sends back: errors travel as data so their code survives the boundary. */
export type IpcReply<T> = { ok: true; value: T } | { ok: false; error: { name: string; code: string; message: string } };
