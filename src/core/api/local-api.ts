// Parla's services as the one ParlaApi every door speaks (src/shared/api.ts): `parla serve`, the
// desktop app's IPC and the renderer all call this. Jobs run in the background of the process
// that holds the API; unfinished jobs found at start (a crash, an app restart) are resumed.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, extname, join, sep } from 'node:path';
import { setTimeout as nextTurn } from 'node:timers/promises';
import type { ApiMethod, ParlaApi } from '../../shared/api.js';
import { ParlaError, toErrorInfo, type ErrorInfo } from '../../shared/errors.js';
import { matchesFilter, type ParlaEvent } from '../../shared/events.js';
import { mimeTypeFor, type FilePayload } from '../../shared/files.js';
import type { HistoryFilter } from '../../shared/history-api.js';
import { allowedActions, type JobAction } from '../../shared/job-requests.js';
import type { JobPlace, JobRecord, TextJobResult } from '../../shared/jobs.js';
import type { Health, TeamConnectionTest, TeamStatus } from '../../shared/settings.js';
import { HostClient } from '../host/host-client.js';
import { isHostStarting } from '../host/spawn-host.js';
import { packageVersion } from '../paths.js';
import { listDeskJobs, listShelfJobs, locateJob, tagged } from '../jobs/job-desk.js';
import { textJobResults, textJobReview } from '../jobs/text-source.js';
import { FILE_JOB_KINDS } from '../jobs/sources.js';
import { detectFormat, fileCharacters } from '../formats/registry.js';
import { detector as sharedDetector } from '../detect/detector.js';
import { flaggedRows } from '../review/flagged-rows.js';
import { deleteJob, sweepUploads as sweepUploadFolders, uploadsDir } from '../jobs/uploads.js';
import { decodeGlossaryBytes, formatFor, formatGlossaryFile, parseGlossaryText } from '../glossary/file.js';
import { openServices, type ServicesOptions } from '../services.js';
import { checkPairCodes, inside, safeName } from '../safe-path.js';
import { ensurePrivateDir } from '../private-fs.js';
import { SettingsStore, shownSettings } from './settings-store.js';
import { compatStores, type CompatStores } from '../compat/stores.js';
import { openDb, stateDbPath } from '../db.js';
import { API_METHODS } from '../../shared/ipc.js';
import { restoreRedactedUrl } from '../team/redact.js';
import { formatTmx, parseTmx } from '../memory/tmx.js';

export type LocalApi = ParlaApi & {
  /** Removes uploads (and their results) kept past the retention; returns how many. `now` for tests. */
  sweepUploads(now?: number): Promise<number>;
  /** The compatible APIs' keys and DeepL glossary records, in this data dir's parla.db (for `parla serve`). */
  compat: CompatStores;
  close(): Promise<void>;
};

/** Units a preview shows. */
const PREVIEW_UNITS = 200;

/** How often a long-running server looks for expired uploads. */
const SWEEP_EVERY_MS = 3_600_000;

/** How long health waits for the model host's stats before calling it unresponsive. */
const HEALTH_TIMEOUT_MS = 2000;


/** The data dir's model host as it is now, without starting one: ready (with its models), starting, or idle. */
async function hostHealth(dataDir: string): Promise<Pick<Health, 'modelHost' | 'host'>> {
  const client = new HostClient(dataDir, HEALTH_TIMEOUT_MS, false);
  try {
    const stats = await client.call('stats', {});
    const modelStates = stats.modelsLoaded.map((m) => ({ id: m.modelId, state: m.state, quantized: m.quantized, ...(m.memoryBytes ? { memoryBytes: m.memoryBytes } : {}) }));
    return { modelHost: 'ready', host: { pid: stats.pid, models: stats.modelsLoaded.map((m) => m.modelId), modelStates } };
  } catch {
    return { modelHost: isHostStarting(dataDir) ? 'starting' : 'idle' };
  } finally {
    await client.close();
  }
}

/** The team an API is on: none (solo), or a Redis URL and the team's name there. */
interface TeamChoice {
  redisUrl?: string;
  team?: string;
}

const sameChoice = (a: TeamChoice, b: TeamChoice) => a.redisUrl === b.redisUrl && a.team === b.team;

/** The API on one mode, the calls in flight on it, and (a saved team that could not be opened) why. */
interface Mode {
  api: ModeApi;
  choice: TeamChoice;
  failure?: ErrorInfo;
  calls: Set<Promise<unknown>>;
  unsubscribe: () => void;
}

/**
 * Parla's services for a data dir as one ParlaApi. Team mode follows the team given
 * (`--redis`/PARLA_REDIS_URL, then fixed) or, without one, the team saved in Settings: a change of
 * the saved team switches this API over, local → team → local, without a restart. A switch waits
 * for the calls in flight, hands the running jobs over to the new mode (they go on) and keeps
 * every subscriber. A saved team that cannot be opened (a refused password) leaves the API local,
 * with the reason in `health` and `teamStatus`; a team given on the command line fails the open.
 */
export async function openParlaApi(options: ServicesOptions): Promise<LocalApi> {
  const settings = new SettingsStore(options.dataDir);
  // Keys and DeepL glossary records do not depend on the mode: one connection for the API's life.
  const compatDb = openDb(stateDbPath(options.dataDir));
  const compat = compatStores(compatDb, () => settings.get().allowedOrigins);
  const events = new EventEmitter();
  events.setMaxListeners(0);

  const wanted = (): TeamChoice => {
    if (options.redisUrl) return { redisUrl: options.redisUrl, ...(options.team ? { team: options.team } : {}) };
    const { redisUrl, name } = settings.get().team;
    const team = options.team ?? (name || undefined);
    return redisUrl ? { redisUrl, ...(team ? { team } : {}) } : {};
  };

  const openMode = async (choice: TeamChoice): Promise<Mode> => {
    const { redisUrl: _url, team: _team, ...base } = options;
    const opened = (api: ModeApi, failure?: ErrorInfo): Mode => ({
      api, choice, ...(failure ? { failure } : {}), calls: new Set(), unsubscribe: api.subscribe((e) => events.emit('event', e)),
    });
    try {
      return opened(await openModeApi({ ...base, ...choice }, settings, compat));
    } catch (error) {
      if (!choice.redisUrl || options.redisUrl) throw error;
      return opened(await openModeApi(base, settings, compat), toErrorInfo(error));
    }
  };

  let current: Promise<Mode> = openMode(wanted()).catch((error: unknown) => {
    compatDb.close();
    throw error;
  });
  await current;

  /** Onto the team Settings now name, once the calls in flight on the current mode are answered. */
  const follow = (): Promise<Mode> =>
    (current = current.then(async (mode) => {
      const choice = wanted();
      if (sameChoice(mode.choice, choice)) return mode;
      await Promise.allSettled([...mode.calls]);
      mode.unsubscribe();
      await mode.api.close('hand-over');
      return openMode(choice);
    }));

  const call = async <M extends keyof ModeApi>(method: M, args: unknown[]): Promise<unknown> => {
    const mode = await current;
    const pending = (mode.api[method] as (...a: unknown[]) => Promise<unknown>)(...args);
    mode.calls.add(pending);
    const done = () => mode.calls.delete(pending);
    pending.then(done, done);
    return pending;
  };
  // Every call but the settings' (which this level holds) goes to the mode's API.
  const modeMethods = API_METHODS.filter((m): m is Exclude<ApiMethod, 'getSettings' | 'setSettings'> => m !== 'getSettings' && m !== 'setSettings');
  const forwarded = Object.fromEntries(modeMethods.map((method) => [method, (...args: unknown[]) => call(method, args)])) as unknown as Omit<ParlaApi, 'getSettings' | 'setSettings' | 'subscribe'>;

  /** A saved team that could not be opened, as teamStatus shows it. */
  const failedTeam = (mode: Mode & { failure: ErrorInfo }): TeamStatus => ({
    mode: 'team', connected: false, ...(mode.choice.team ? { team: mode.choice.team } : {}), error: { code: mode.failure.code, message: mode.failure.message },
  });

  return {
    ...forwarded,
    // The Redis password never leaves the process: every door shows it as `***`, and a URL sent
    // back that way (the Settings page's Save and Test) means the stored one.
    getSettings: async () => shownSettings(settings.get()),
    async setSettings(patch) {
      const next = settings.set(patch);
      await follow();
      return shownSettings(next);
    },
    async teamStatus() {
      const mode = await current;
      return mode.failure ? failedTeam({ ...mode, failure: mode.failure }) : (call('teamStatus', []) as Promise<TeamStatus>);
    },
    async health() {
      const mode = await current;
      const health = (await call('health', [])) as Health;
      return mode.failure ? { ...health, ok: false, team: failedTeam({ ...mode, failure: mode.failure }) } : health;
    },
    subscribe(listener, filter) {
      const handler = (event: ParlaEvent) => {
        if (matchesFilter(event, filter)) listener(event);
      };
      events.on('event', handler);
      return () => events.off('event', handler);
    },
    sweepUploads: (now) => call('sweepUploads', [now]) as Promise<number>,
    compat,
    async close() {
      const mode = await current;
      mode.unsubscribe();
      await mode.api.close('pause');
      compatDb.close();
    },
  };
}

/**
 * How the API on one mode closes: `pause` (the process quits: the jobs it runs are paused, to be
 * resumed later) or `hand-over` (a switch of mode: its runs stop where they are, still running, and
 * the next mode's API takes them on at its start, as it does after a crash).
 */
type CloseHow = 'pause' | 'hand-over';

/** The API on one mode (solo, or the team given in its options); openParlaApi switches between them. */
type ModeApi = Omit<LocalApi, 'close' | 'compat' | 'getSettings' | 'setSettings'> & { close(how: CloseHow): Promise<void> };

async function openModeApi(options: ServicesOptions, settings: SettingsStore, compat: CompatStores): Promise<ModeApi> {
  const services = await openServices({ ...options, door: options.door ?? 'api', teamWork: options.teamWork ?? 1 });
  const { state, models, desk } = services;
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const uploads = uploadsDir(options.dataDir);
  const emit = (event: ParlaEvent) => events.emit('event', event.type === 'job' ? { ...event, job: shownJob(event.job, uploads) } : event);
  desk.onEvent((e) => emit({ type: 'job', job: e.job }));
  const running = new Set<Promise<unknown>>();
  const version = packageVersion();

  /** Jobs set going by this API, with their place: on close, the ones this process runs are paused. */
  const started = new Map<string, JobPlace>();
  /** Ends the background runs on close (a run that follows another process's job stops watching). */
  const stop = new AbortController();

  /** Runs a job to its end in the background; errors end up in the job record, not here. */
  const background = (id: string, place: JobPlace, work: Promise<JobRecord>) => {
    started.set(id, place);
    const p = work.then(
      (job) => emit({ type: 'job', job: tagged(job, place) }),
      (error: unknown) => process.stderr.write(`parla: job failed to run: ${(error as Error).message}\n`),
    );
    running.add(p);
    void p.finally(() => running.delete(p));
  };

  const published = (job: JobRecord): JobRecord => {
    emit({ type: 'job', job });
    return job;
  };

  const getJob = async (id: string): Promise<JobRecord> => shownJob((await locateJob(desk, id)).stored.record, uploads);

  /** A finished job's result, or (`review`) only its flagged rows or items. */
  const jobResult = async (id: string, review: boolean): Promise<FilePayload> => {
    const { shelf, stored } = await locateJob(desk, id);
    const job = stored.record;
    if (job.status !== 'done' && job.status !== 'failed') throw new ParlaError('CONFLICT', `job ${id} is ${job.status}; its result is ready when it is done`);
    // A job that wrote one file per language answers with the first language's.
    if (FILE_JOB_KINDS.includes(stored.spec['kind'])) {
      if (!job.output) throw new ParlaError('NOT_FOUND', `job ${id} has no output file`);
      const bytes = await readFile(job.output).catch(() => {
        throw new ParlaError('NOT_FOUND', `the output of job ${id} is gone (${basename(job.output!)})`);
      });
      const file = { fileName: basename(job.output), mimeType: mimeTypeFor(job.output), bytes };
      return review ? flaggedRows(file) : file;
    }
    const result: TextJobResult | undefined = review ? undefined : { id, translations: await textJobResults(shelf.queue, id) };
    const body = JSON.stringify(result ?? { id, flagged: await textJobReview(shelf.queue, id) });
    return { fileName: `${id}${review ? '.review' : ''}.json`, mimeType: 'application/json', bytes: new TextEncoder().encode(body) };
  };

  // Jobs left queued or running by a process that died go on here: every local one, and the
  // team's whose input file is on this machine (a team job is driven where it was submitted).
  for (const shelf of desk.shelves()) {
    for (const job of await listShelfJobs(shelf)) {
      if (job.status !== 'queued' && job.status !== 'running') continue;
      if (shelf.place === 'team' && !(job.input && existsSync(job.input.file))) continue;
      background(job.id, shelf.place, shelf.runner.run(job.id, stop.signal));
    }
  }

  // People's files: the folder is the user's alone, however an older Parla left it.
  ensurePrivateDir(uploads);

  /** Upload folders past the retention (see jobs/uploads.ts), looked for at start and hourly. */
  const sweepUploads = async (now = Date.now()): Promise<number> =>
    sweepUploadFolders(uploads, await listDeskJobs(desk), settings.get().uploadRetentionDays, now);
  let sweeping: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    sweeping = sweepUploads().catch((error: unknown) => process.stderr.write(`parla: cleaning uploads failed: ${(error as Error).message}\n`));
  };
  sweep();
  const sweeper = setInterval(sweep, SWEEP_EVERY_MS);
  sweeper.unref();

  const api: ModeApi = {
    translate: (request) => services.translator.translate(request),

    async createTextJob({ texts, to, from }) {
      checkPairCodes([to], from);
      await state.checkRoutes({ to: [to], ...(from ? { from } : {}) });
      // The body was just parsed and checked in this turn; storing it waits for the next, after
      // timers and I/O (a setImmediate from here would run before either).
      await nextTurn(0);
      const job = await state.queue.create({ from: from ?? '', to: [to], spec: { kind: 'texts', texts } });
      background(job.id, 'local', state.runner.run(job.id, stop.signal));
      return { id: job.id, status: 'queued' };
    },

    async createFileJob({ fileName, bytes, to, from, columns, sheet, review, minConfidence, overwrite, fuzzy }) {
      // Everything that names a file is checked before anything is written.
      checkPairCodes(to, from);
      const name = uploadName(safeName(fileName, 'the file name'));
      const ext = extname(name);
      const dir = inside(uploads, randomUUID());
      const file = inside(dir, name);
      await mkdir(dir, { recursive: true });
      await writeFile(file, bytes);
      try {
        // A spreadsheet's translations go in one file beside it; a localization file gets one
        // file per language in the upload's folder (the format names them).
        const out = detectFormat(file).filePerLanguage ? `${dir}${sep}` : inside(dir, `${name.slice(0, name.length - ext.length)}.${to.join('+')}${ext}`);
        // On the team while it is online (its workers share the work), else on this machine.
        const { job, place } = await desk.prepareBatch({
          file, to, out, ...(from ? { from } : {}), ...(columns ? { columns } : {}), ...(sheet ? { sheet } : {}),
          ...(review !== undefined ? { review } : {}), ...(minConfidence !== undefined ? { minConfidence } : {}),
          ...(overwrite !== undefined ? { overwrite } : {}), ...(fuzzy !== undefined ? { fuzzy } : {}),
        });
        background(job.id, place, desk.runBatch(job, place, stop.signal));
        return { id: job.id, status: 'queued' };
      } catch (error) {
        await rm(dir, { recursive: true, force: true });
        throw withoutUploadPaths(error, uploads);
      }
    },

    async previewFile({ fileName, bytes, to }) {
      if (to !== undefined) checkPairCodes([to], undefined);
      // The formats read files: the bytes go to a private folder of their own for the look.
      const dir = inside(uploads, `preview-${randomUUID()}`);
      await mkdir(dir, { recursive: true });
      try {
        const file = inside(dir, uploadName(safeName(fileName, 'the file name')));
        await writeFile(file, bytes);
        const preview = await detectFormat(file).preview(file, PREVIEW_UNITS);
        // The output a job would write is planned in this folder too, and never written.
        return to === undefined ? preview : { ...preview, characters: await fileCharacters({ file, to: [to] }) };
      } catch (error) {
        throw withoutUploadPaths(error, uploads);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },

    listJobs: async () => (await listDeskJobs(desk)).map((job) => shownJob(job, uploads)),
    getJob,

    async jobAction(id, action: JobAction) {
      const { shelf, stored } = await locateJob(desk, id);
      const job = stored.record;
      if (!allowedActions(job.status, job.progress.failed).includes(action)) {
        throw new ParlaError('CONFLICT', `cannot ${action} job ${id}: it is ${job.status}`);
      }
      const { runner, place } = shelf;
      switch (action) {
        case 'pause':
          // The runner stops after the batch in flight; every door sees the new state now.
          return published(tagged(await runner.pause(id), place));
        case 'cancel':
          return published(tagged(await runner.cancel(id), place));
        case 'resume':
          background(id, place, runner.resume(id, stop.signal));
          return published(await getJob(id));
        case 'retry':
          background(id, place, runner.retry(id, stop.signal));
          return published(await getJob(id));
      }
    },

    async deleteJob(id) {
      await deleteJob(desk, id, options.dataDir);
      return { id, deleted: true };
    },

    jobResult: (id) => jobResult(id, false),
    jobReview: (id) => jobResult(id, true),

    async detectLanguage(texts) {
      const sources = [...new Set((await models.list()).filter((m) => !m.problem && m.from).map((m) => m.from))];
      const detector = await sharedDetector();
      return texts.map((text) => {
        const { language, likeliest, confidence } = detector.detect(text, { expected: sources });
        return { ...(language ? { language } : {}), ...(likeliest ? { likeliest } : {}), confidence: Math.round(confidence * 1000) / 1000 };
      });
    },

    listModels: () => models.list(),

    async downloadModel(id, download = {}) {
      try {
        const info = await models.download(id, {
          ...(download.quantized ? { quantized: true } : {}),
          onProgress: (p) => emit({ type: 'model-progress', id, receivedBytes: p.bytes, totalBytes: p.total ?? null }),
        });
        emit({ type: 'model-done', id });
        return info;
      } catch (error) {
        const e = error as ParlaError;
        emit({ type: 'model-failed', id, error: { code: e.code ?? 'INTERNAL', message: e.message } });
        throw error;
      }
    },
    modelDownloadSizes: (id) => models.downloadSizes(id),
    importModel: (dir) => models.import(dir),
    removeModel: (id) => models.remove(id),

    async searchHistory(query) {
      return { entries: state.history.list(query), total: state.history.count(query) };
    },

    async addHistory(entries) {
      // Recorded under the door this API serves (the app's, or `api` for the browser UI).
      const door = options.door ?? 'api';
      state.history.record(entries.map((e) => ({ source: e.source, text: e.text, from: e.from, to: e.to, model: e.model, door, ...(e.flags?.length ? { flags: e.flags } : {}) })));
      return { recorded: entries.length };
    },

    async deleteHistory(deletion) {
      const ids = 'ids' in deletion ? deletion.ids : state.history.list({ ...deletion.query, limit: -1 }).map((e) => e.id);
      let deleted = 0;
      for (const id of ids) if (state.history.delete(id)) deleted += 1;
      return { deleted };
    },

    async exportHistory(query: HistoryFilter, format) {
      const file = join(options.dataDir, `history-export-${randomUUID()}.${format}`);
      try {
        state.history.export(file, format, query);
        return { fileName: `parla-history.${format}`, mimeType: mimeTypeFor(`x.${format}`), bytes: await readFile(file) };
      } finally {
        await rm(file, { force: true });
      }
    },

    listGlossary: (query) => state.glossary.list({ limit: 100, ...query }),
    addGlossary: (entries) => state.glossary.add(entries),
    async removeGlossary(id) {
      if (!(await state.glossary.remove(id))) throw new ParlaError('NOT_FOUND', `no glossary entry ${id}`);
    },
    async importGlossary({ from, to, fileName, bytes, encoding }) {
      const started = performance.now();
      const entries = parseGlossaryText(decodeGlossaryBytes(bytes, fileName, encoding), fileName, { from, to }, formatFor(fileName));
      const stored = await state.glossary.add(entries);
      return { imported: new Set(stored.map((e) => e.id)).size, ms: Math.round(performance.now() - started) };
    },
    async exportGlossary(pair, format) {
      const { entries } = await state.glossary.list(pair);
      const text = formatGlossaryFile(entries, format);
      return { fileName: `parla-glossary-${pair.from}-${pair.to}.${format}`, mimeType: mimeTypeFor(`x.${format}`), bytes: Buffer.from(text) };
    },

    listKeys: async () => compat.keys.list(),
    createKey: async (key) => compat.keys.create(key),
    async revokeKey(name) {
      if (!compat.keys.revoke(name)) throw new ParlaError('NOT_FOUND', `no key named "${name}" (see parla keys list)`);
    },
    listMemory: (query) => state.memory.list({ limit: 100, ...query }),
    addMemory: (entries) => state.memory.add(entries),
    async removeMemory(id) {
      if (!(await state.memory.remove(id))) throw new ParlaError('NOT_FOUND', `no memory entry ${id}`);
    },
    async importMemory({ fileName, bytes }) {
      const started = performance.now();
      const entries = parseTmx(new TextDecoder().decode(bytes), safeName(fileName, 'the file name'));
      const imported = await state.memory.import(entries);
      return { imported, ms: Math.round(performance.now() - started) };
    },
    async exportMemory(pair) {
      const { entries } = await state.memory.list(pair);
      const name = pair.from && pair.to ? `parla-memory-${pair.from}-${pair.to}.tmx` : 'parla-memory.tmx';
      return { fileName: name, mimeType: 'application/x-tmx+xml', bytes: Buffer.from(formatTmx(entries, { version })) };
    },

    cacheStats: () => state.cache.stats(),
    async clearCache() {
      const { entries } = await state.cache.stats();
      await state.cache.clear();
      return { cleared: entries };
    },

    async testTeamConnection({ redisUrl }) {
      let url: string;
      try {
        url = restoreRedactedUrl(redisUrl, settings.get().team.redisUrl);
      } catch (error) {
        return { ok: false, error: { code: 'BAD_INPUT', message: (error as Error).message } };
      }
      return pingRedis(url);
    },

    async teamStatus() {
      if (!options.redisUrl) return { mode: 'solo', connected: false };
      const ping = await pingRedis(options.redisUrl);
      return { mode: 'team', connected: ping.ok, ...(options.team ? { team: options.team } : {}), ...(ping.error ? { error: ping.error } : {}) };
    },

    // The host is started on demand, so an idle one is healthy; a team that does not answer is not.
    async health(): Promise<Health> {
      const [host, team] = await Promise.all([hostHealth(options.dataDir), options.redisUrl ? api.teamStatus() : undefined]);
      return { ok: host.modelHost !== 'crashed' && (team?.connected ?? true), version, ...host, mode: team ? 'team' : 'solo', ...(team ? { team } : {}) };
    },

    subscribe(listener, filter) {
      const handler = (event: ParlaEvent) => {
        if (matchesFilter(event, filter)) listener(event);
      };
      events.on('event', handler);
      return () => events.off('event', handler);
    },

    sweepUploads,

    async close(how) {
      clearInterval(sweeper);
      await sweeping;
      // Only what this process runs: a `parla batch` in another terminal shares the queue and goes on.
      if (how === 'pause') {
        for (const [id, place] of started) {
          const runner = desk.shelves().find((shelf) => shelf.place === place)?.runner;
          if (runner?.drives(id)) await runner.pause(id).catch(() => undefined);
        }
      }
      stop.abort();
      await Promise.allSettled([...running]);
      await services.close();
    },
  };
  return api;
}

/**
 * An upload's name on disk: odd characters become `_`, no leading dot (no hidden file), short
 * enough to leave room for the language codes of its output's name.
 */
/**
 * A message with the server's upload folders cut out: `<uploads>/<folder>/catalog.csv` reads
 * `catalog.csv`. The person sent a file by its name; where the server keeps it is no help to
 * them (and, for a browser, a path on another machine).
 */
export function hideUploadPaths(message: string, uploads: string): string {
  const parts = message.split(uploads + sep);
  return parts.map((part, i) => (i === 0 ? part : part.replace(/^[\w-]+[\\/]?/u, ''))).join('');
}

/** An error about an uploaded file, told without the upload folder. */
function withoutUploadPaths(error: unknown, uploads: string): unknown {
  if (!(error instanceof ParlaError)) return error;
  const message = hideUploadPaths(error.message, uploads);
  return message === error.message ? error : new ParlaError(error.code, message);
}

/** A job record as the doors show it: its error without upload folders (its input and output keep their paths). */
function shownJob(job: JobRecord, uploads: string): JobRecord {
  if (!job.error) return job;
  const message = hideUploadPaths(job.error.message, uploads);
  return message === job.error.message ? job : { ...job, error: { ...job.error, message } };
}

function uploadName(fileName: string): string {
  const name = fileName.replace(/[^\p{L}\p{N}._ -]/gu, '_').replace(/^\.+/, '');
  const ext = extname(name).slice(0, 16);
  const stem = name.slice(0, name.length - extname(name).length).slice(0, 100);
  return stem ? `${stem}${ext}` : `upload${ext}`;
}

/** One PING with a short timeout; the answer names what to fix, with the password redacted. */
async function pingRedis(url: string): Promise<TeamConnectionTest> {
  if (!/^rediss?:\/\//.test(url)) return { ok: false, error: { code: 'BAD_INPUT', message: 'the Redis URL must start with redis:// or rediss://' } };
  const { Redis } = await import('ioredis');
  const { checkDatabase, teamError } = await import('../team/connection.js');
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  let reason: unknown;
  redis.on('error', (e: unknown) => (reason = e));
  const started = performance.now();
  try {
    await redis.connect();
    await redis.ping();
    await checkDatabase(redis, url);
    return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    // The connect failure's reason arrives as an 'error' event; it says WRONGPASS, ECONNREFUSED, ...
    const failure = error instanceof ParlaError ? error : teamError(reason ?? error, url);
    return { ok: false, error: { code: failure.code, message: failure.message } };
  } finally {
    redis.disconnect();
  }
}
