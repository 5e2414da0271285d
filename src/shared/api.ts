// ParlaApi: the one interface every door speaks. The Electron preload (IPC), the HTTP server,
// the CLI and the renderer's client all implement or consume exactly this; channel names and
// argument validators in ipc.ts are derived from it.
import type { FilePayload } from './files.js';
import type { EventFilter, ParlaEvent, Unsubscribe } from './events.js';
import type { CacheStats } from './cache.js';
import type { GlossaryEntry, GlossaryFileFormat, GlossaryImport, GlossaryImported, GlossaryPage, GlossaryQuery, NewGlossaryEntry } from './glossary.js';
import type { HistoryDeletion, HistoryFilter, HistoryPage } from './history-api.js';
import type { HistoryDraft, HistoryExportFormat, HistoryQuery } from './history.js';
import type { FileJobRequest, FilePreview, FilePreviewRequest, JobAction, JobCreated, JobDeleted, TextJobRequest } from './job-requests.js';
import type { JobRecord } from './jobs.js';
import type { ApiKeyInfo, CreatedApiKey, NewApiKey } from './keys.js';
import type { MemoryEntry, MemoryImported, MemoryPage, MemoryQuery, NewMemoryEntry } from './memory.js';
import type { Health, Settings, SettingsPatch, TeamConnectionTest, TeamStatus } from './settings.js';
import type { LanguageGuess, ModelDownloadOptions, ModelDownloadSizes, ModelInfo, TranslateRequest, Translation } from './translation.js';

export interface ParlaApi {
  translate(request: TranslateRequest): Promise<Translation[]>;
  /** The language of each text, among those Parla's models cover, the installed sources as prior. */
  detectLanguage(texts: string[]): Promise<LanguageGuess[]>;

  createTextJob(request: TextJobRequest): Promise<JobCreated>;
  createFileJob(request: FileJobRequest): Promise<JobCreated>;
  /** What a file job would translate: the file's format and its first units. BAD_FILE for a malformed file. */
  previewFile(request: FilePreviewRequest): Promise<FilePreview>;
  listJobs(): Promise<JobRecord[]>;
  getJob(id: string): Promise<JobRecord>;
  jobAction(id: string, action: JobAction): Promise<JobRecord>;
  /** Deletes an ended job and its uploaded file and result; CONFLICT while it is unfinished. */
  deleteJob(id: string): Promise<JobDeleted>;
  /** The translated file, or JSON `{translations}` for a text job. CONFLICT until the job is done. */
  jobResult(id: string): Promise<FilePayload>;
  /**
   * Only what needs review: a spreadsheet job's result cut to its header and the rows with a flag
   * in a review column; a text job's flagged items as JSON. CONFLICT until the job is done.
   */
  jobReview(id: string): Promise<FilePayload>;

  listModels(): Promise<ModelInfo[]>;
  /** Resolves when the download ends; progress arrives as `model-progress` events. */
  downloadModel(id: string, options?: ModelDownloadOptions): Promise<ModelInfo>;
  /** The bytes a full or an int8-only download of a Hub model would fetch (its listing, nothing downloaded). */
  modelDownloadSizes(id: string): Promise<ModelDownloadSizes>;
  importModel(dir: string): Promise<ModelInfo>;
  removeModel(id: string): Promise<void>;

  searchHistory(query: HistoryQuery): Promise<HistoryPage>;
  /** Records translations the caller asked for as drafts (`history: false`), once the user settled on them. */
  addHistory(entries: HistoryDraft[]): Promise<{ recorded: number }>;
  deleteHistory(deletion: HistoryDeletion): Promise<{ deleted: number }>;
  exportHistory(filter: HistoryFilter, format: HistoryExportFormat): Promise<FilePayload>;

  /** Glossary terms, enforced in every translation of their pair. */
  listGlossary(query: GlossaryQuery): Promise<GlossaryPage>;
  /** Adds terms (a term already in its pair is replaced); returns them as stored. */
  addGlossary(entries: NewGlossaryEntry[]): Promise<GlossaryEntry[]>;
  /** NOT_FOUND when no entry has that id. */
  removeGlossary(id: string): Promise<void>;
  importGlossary(file: GlossaryImport): Promise<GlossaryImported>;
  exportGlossary(pair: { from: string; to: string }, format: GlossaryFileFormat): Promise<FilePayload>;

  /** The compatible APIs' named keys (see docs/compat.md), with this month's usage. */
  listKeys(): Promise<ApiKeyInfo[]>;
  /** The returned `key` is the only time its text is seen. CONFLICT when the name is taken. */
  createKey(key: NewApiKey): Promise<CreatedApiKey>;
  /** NOT_FOUND when no key has that name. */
  revokeKey(name: string): Promise<void>;
  /** Translation memory (docs/memory.md): exact matches answer before the cache and the model. */
  listMemory(query: MemoryQuery): Promise<MemoryPage>;
  /** Adds entries (one already there for its source is merged: the latest edit wins); returns them as stored. */
  addMemory(entries: NewMemoryEntry[]): Promise<MemoryEntry[]>;
  /** NOT_FOUND when no entry has that id. */
  removeMemory(id: string): Promise<void>;
  /** A TMX 1.4 file, all of it or (BAD_INPUT, with the line) none. */
  importMemory(file: { fileName: string; bytes: Uint8Array }): Promise<MemoryImported>;
  /** The memory (or one pair of it) as a TMX 1.4 file. */
  exportMemory(pair: { from?: string; to?: string }): Promise<FilePayload>;

  cacheStats(): Promise<CacheStats>;
  clearCache(): Promise<{ cleared: number }>;

  getSettings(): Promise<Settings>;
  setSettings(patch: SettingsPatch): Promise<Settings>;
  testTeamConnection(team: { redisUrl: string; name: string }): Promise<TeamConnectionTest>;
  teamStatus(): Promise<TeamStatus>;

  health(): Promise<Health>;

  /** Push events (job progress, model downloads). Not a request: transports carry it separately. */
  subscribe(listener: (event: ParlaEvent) => void, filter?: EventFilter): Unsubscribe;
}

/** Every ParlaApi member that is a request/response call (everything but `subscribe`). */
export type ApiMethod = Exclude<keyof ParlaApi, 'subscribe'>;
export type ApiArgs<M extends ApiMethod> = Parameters<ParlaApi[M]>;
export type ApiResult<M extends ApiMethod> = Awaited<ReturnType<ParlaApi[M]>>;
