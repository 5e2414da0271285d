// An in-memory ParlaApi for server, IPC and e2e tests: the fake sits at the network edge only
// (the real services replace it at merge). Jobs advance on a timer so progress, pause/resume,
// SSE and rates behave like the real queue; any text containing "FAIL" fails to translate.
import { ParlaError } from '../../src/shared/errors.js';
import type { ParlaApi } from '../../src/shared/api.js';
import type { EventFilter, ParlaEvent } from '../../src/shared/events.js';
import { matchesFilter } from '../../src/shared/events.js';
import type { FilePayload } from '../../src/shared/files.js';
import { mimeTypeFor } from '../../src/shared/files.js';
import type { HistoryEntry, HistoryQuery } from '../../src/shared/history.js';
import { allowedActions, type FileJobRequest, type FilePreview, type FilePreviewRequest, type JobAction, type TextJobRequest } from '../../src/shared/job-requests.js';
import { TEXT_FORMATS } from '../../src/core/formats/index.js';
import { isFinalStatus, type JobRecord, type TextJobResult } from '../../src/shared/jobs.js';
import { SETTINGS_DEFAULTS, type Settings } from '../../src/shared/settings.js';
import type { ModelInfo, TranslateRequest, Translation } from '../../src/shared/translation.js';
import { previewRows } from '../../src/renderer/lib/csv.js';
import { decodeGlossaryBytes, formatFor, formatGlossaryFile, parseGlossaryText } from '../../src/core/glossary/file.js';
import { SqliteGlossary } from '../../src/core/glossary/sqlite.js';
import { KeyStore } from '../../src/core/compat/keys.js';
import { openDb } from '../../src/core/db.js';
import { SqliteMemory } from '../../src/core/memory/sqlite.js';
import { formatTmx, parseTmx } from '../../src/core/memory/tmx.js';
import { ProtectingTranslator } from '../../src/core/protect/protecting-translator.js';
import { detector } from '../../src/core/detect/detector.js';
import { flaggedRows } from '../../src/core/review/flagged-rows.js';

const WORDS: Record<string, Record<string, string>> = {
  es: { hello: 'hola', world: 'mundo', the: 'el', cat: 'gato', house: 'casa', good: 'buenos', morning: 'días', is: 'es', red: 'rojo', book: 'libro', thank: 'gracias', you: 'tú' },
  fr: { hello: 'bonjour', world: 'monde', the: 'le', cat: 'chat', house: 'maison', good: 'bon', morning: 'matin', is: 'est', red: 'rouge', book: 'livre', thank: 'merci', you: 'vous' },
};

export function fakeTranslate(text: string, to: string): string {
  const dict = WORDS[to] ?? {};
  return text.replace(/[A-Za-z]+/g, (w) => {
    const t = dict[w.toLowerCase()];
    if (!t) return w;
    return w[0] === w[0]!.toUpperCase() ? t[0]!.toUpperCase() + t.slice(1) : t;
  }) + (WORDS[to] ? '' : ` [${to}]`);
}

interface FakeJob {
  record: JobRecord;
  texts: string[];
  results: (string | null)[];
  kind: 'text' | 'file';
  header?: string[];
  rows?: string[][];
  columns?: number[];
  /** A review column right of each translation (the fake flags nothing, so it stays empty). */
  review?: boolean;
  startedAt?: number;
}

export interface FakeApiOptions {
  /** Texts a job translates per tick. */
  textsPerTick?: number;
  tickMs?: number;
  /** Simulated model latency for uncached translate calls. */
  translateMs?: number;
}

export interface FakeApi extends ParlaApi {
  close(): void;
  /** Test hook: how many events were emitted. */
  readonly emitted: number;
}

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function createFakeApi(options: FakeApiOptions = {}): FakeApi {
  const textsPerTick = options.textsPerTick ?? 50;
  const tickMs = options.tickMs ?? 50;
  const translateMs = options.translateMs ?? 5;
  const listeners = new Set<{ fn: (e: ParlaEvent) => void; filter?: EventFilter }>();
  const jobs = new Map<string, FakeJob>();
  const cache = new Map<string, string>();
  const history: HistoryEntry[] = [];
  // The glossary is the real store (in memory) and the real protector enforces it around the
  // fake dictionary, so the UI's glossary shows in its translations as with the real services.
  const glossary = new SqliteGlossary({});
  const keys = new KeyStore(openDb(':memory:'));
  // The memory too is the real store (in memory): a correction saved in the UI answers its next translation.
  const memory = new SqliteMemory({ author: () => 'tester' });
  const pairGlossary = (req: TranslateRequest) => glossary.forPair(req.from ?? 'en', req.to);
  const protector = new ProtectingTranslator(
    { translate: async (req) => req.texts.map((source) => ({ source, text: fakeTranslate(source, req.to), model: '', cached: false, ms: 0 })) },
    { glossary: pairGlossary },
  );
  let hits = 0;
  let misses = 0;
  let emitted = 0;
  let nextJob = 1;
  let nextHistory = 1;
  let settings: Settings = { ...SETTINGS_DEFAULTS, dataDir: '/tmp/parla-fake' };
  const models: ModelInfo[] = [
    { id: 'parla/tiny-en-es', from: 'en', to: ['es'], dir: '/models/tiny-en-es', bundled: true, sizeBytes: 31_457_280, revision: 'bundled', hasQuantized: true },
    { id: 'Xenova/opus-mt-en-fr', from: 'en', to: ['fr'], dir: '/models/opus-mt-en-fr', bundled: false, sizeBytes: 314_572_800, revision: 'main', hasQuantized: true },
  ];

  const emit = (event: ParlaEvent) => {
    emitted++;
    for (const l of listeners) if (matchesFilter(event, l.filter)) l.fn(event);
  };
  const now = () => new Date().toISOString();
  const snapshot = (job: FakeJob): JobRecord => structuredClone(job.record);
  const touch = (job: FakeJob) => {
    job.record.updatedAt = now();
    emit({ type: 'job', job: snapshot(job) });
  };
  const need = (id: string): FakeJob => {
    const job = jobs.get(id);
    if (!job) throw new ParlaError('NOT_FOUND', `no job ${id}`);
    return job;
  };

  const timer = setInterval(() => {
    for (const job of jobs.values()) {
      const r = job.record;
      if (r.status === 'queued') {
        r.status = 'running';
        job.startedAt = Date.now();
      }
      if (r.status !== 'running') continue;
      let n = 0;
      for (let i = 0; i < job.texts.length && n < textsPerTick; i++) {
        if (job.results[i] !== null) continue;
        const text = job.texts[i]!;
        n++;
        if (text.includes('FAIL')) {
          job.results[i] = '';
          r.progress.failed++;
          continue;
        }
        const key = `${r.to[i % r.to.length]}\u0000${text}`;
        if (cache.has(key)) r.progress.cached++;
        else {
          r.progress.modelCalls++;
          cache.set(key, fakeTranslate(text, r.to[0]!));
        }
        job.results[i] = fakeTranslate(text, r.to[0]!);
        r.progress.done++;
      }
      const finished = r.progress.done + r.progress.failed;
      const seconds = Math.max(0.001, (Date.now() - (job.startedAt ?? Date.now())) / 1000);
      r.progress.rate = Math.round((finished / seconds) * 10) / 10;
      r.progress.etaSeconds = r.progress.rate > 0 ? Math.ceil((r.progress.total - finished) / r.progress.rate) : null;
      if (finished >= r.progress.total) {
        r.status = r.progress.failed > 0 ? 'failed' : 'done';
        r.progress.etaSeconds = 0;
        if (r.progress.failed > 0) r.error = { code: 'BAD_INPUT', message: `${r.progress.failed} texts failed` };
        else if (job.kind === 'file') r.output = r.input!.file.replace(/(\.\w+)$/, `.${r.to.join('-')}$1`);
      }
      touch(job);
    }
  }, tickMs);
  timer.unref?.();

  const addJob = (partial: Pick<JobRecord, 'from' | 'to' | 'input'>, texts: string[], extra: Partial<FakeJob>): FakeJob => {
    const id = `job-${String(nextJob++).padStart(4, '0')}`;
    const t = now();
    const job: FakeJob = {
      kind: 'text',
      ...extra,
      texts,
      results: texts.map(() => null),
      record: {
        id, status: 'queued', createdAt: t, updatedAt: t, ...partial,
        progress: { total: texts.length, done: 0, failed: 0, flagged: 0, cached: 0, modelCalls: 0, rate: 0, etaSeconds: null },
      },
    };
    jobs.set(id, job);
    return job;
  };

  const api: FakeApi = {
    get emitted() {
      return emitted;
    },
    close: () => {
      clearInterval(timer);
      void glossary.close();
      void memory.close();
    },

    async translate(req: TranslateRequest): Promise<Translation[]> {
      const model = req.model ?? models.find((m) => m.to.includes(req.to))?.id;
      if (!model) throw new ParlaError('UNKNOWN_PAIR', `no model translates ${req.from ?? 'en'}→${req.to}; download one in Models`);
      const out: Translation[] = [];
      for (const source of req.texts) {
        const started = performance.now();
        const [entry] = await memory.lookup(req.from ?? 'en', req.to, [source]);
        if (entry) {
          out.push({ source, text: entry.target, model: 'memory', cached: false, ms: 0, origin: 'memory', memory: { id: entry.id, who: entry.who, when: entry.when } });
          continue;
        }
        const suggestions = req.suggest ? await memory.suggest(req.from ?? 'en', req.to, source, { threshold: settings.memory.threshold, limit: 3 }) : undefined;
        const { version } = await pairGlossary(req);
        const key = `${req.to}\u0000${version}\u0000${source}`;
        const cached = !req.noCache && cache.has(key);
        if (cached) hits++;
        else {
          misses++;
          await new Promise((r) => setTimeout(r, translateMs));
        }
        const [translated] = await protector.translate({ ...req, texts: [source] });
        const text = translated!.text;
        cache.set(key, text);
        const beam = req.options?.beam ?? 1;
        const alternatives = beam > 1 ? Array.from({ length: Math.min(beam, req.options?.nBest ?? beam) }, (_, i) => ({ text: i === 0 ? text : `${text}${'!'.repeat(i)}`, score: -0.1 * (i + 1) })) : undefined;
        out.push({
          source, text, model, cached, ms: Math.round((performance.now() - started) * 10) / 10,
          ...(alternatives ? { alternatives } : {}),
          ...(translated!.glossary ? { glossary: translated!.glossary } : {}),
          origin: cached ? 'cache' : 'model',
          ...(suggestions ? { suggestions } : {}),
        });
        if (req.history !== false) history.unshift({ id: nextHistory++, source, text, from: req.from ?? 'en', to: req.to, model, door: 'api', createdAt: now() });
      }
      return out;
    },

    async createTextJob(req: TextJobRequest) {
      const job = addJob({ from: req.from ?? 'en', to: [req.to] }, req.texts, {});
      return { id: job.record.id, status: 'queued' as const };
    },

    // The real formats read the file: a preview is parsing, with no queue or model behind it.
    async previewFile(req: FilePreviewRequest): Promise<FilePreview> {
      const text = new TextDecoder().decode(req.bytes);
      const name = req.fileName.toLowerCase();
      const format = TEXT_FORMATS.find((f) => f.sniff(text)) ?? TEXT_FORMATS.find((f) => f.extensions.some((e) => name.endsWith(e)));
      const sum = (texts: string[]) => (req.to === undefined ? {} : { characters: texts.reduce((n, t) => n + t.length, 0) });
      if (!format) {
        // What the fake's file job translates: the first column's cells below the header.
        const cells = previewRows(text, Number.POSITIVE_INFINITY).slice(1).map((row) => row[0] ?? '');
        return { format: /\.xlsx$/i.test(req.fileName) ? 'xlsx' : 'csv', total: 0, missing: 0, units: [], ...sum(cells) };
      }
      const units = format.units(format.parse(text, req.fileName));
      const missing = units.filter((u) => u.existing === undefined);
      return { format: format.id, total: units.length, missing: missing.length, units: units.slice(0, 200), ...sum(missing.map((u) => u.source)) };
    },

    async createFileJob(req: FileJobRequest) {
      if (!/\.(csv|tsv|xlsx)$/i.test(req.fileName)) throw new ParlaError('BAD_FILE', `${req.fileName}: only CSV, TSV and XLSX files can be translated`);
      const rows = previewRows(new TextDecoder().decode(req.bytes), Number.POSITIVE_INFINITY);
      const header = rows.shift() ?? [];
      const names = req.columns ?? header.slice(0, 1);
      const columns = names.map((name) => {
        const i = header.indexOf(name);
        if (i < 0) throw new ParlaError('BAD_INPUT', `no column "${name}" in ${req.fileName}`);
        return i;
      });
      const texts = rows.flatMap((row) => columns.map((c) => row[c] ?? ''));
      const job = addJob({ from: req.from ?? 'en', to: req.to, input: { file: req.fileName, columns: names, ...(req.sheet ? { sheet: req.sheet } : {}) } }, texts, { kind: 'file', header, rows, columns, review: req.review !== false });
      return { id: job.record.id, status: 'queued' as const };
    },

    async listJobs() {
      return [...jobs.values()].map(snapshot).reverse();
    },
    async getJob(id) {
      return snapshot(need(id));
    },
    async jobAction(id: string, action: JobAction) {
      const job = need(id);
      const r = job.record;
      if (!allowedActions(r.status, r.progress.failed).includes(action)) throw new ParlaError('CONFLICT', `cannot ${action} a job that is ${r.status}`);
      if (action === 'pause') r.status = 'paused';
      else if (action === 'resume') r.status = 'running';
      else if (action === 'cancel') r.status = 'canceled';
      else {
        // retry: re-run the failed (or, after a cancel, the unfinished) texts only
        job.texts.forEach((t, i) => {
          if (job.results[i] === '' && t.includes('FAIL')) job.texts[i] = t.replace(/FAIL/g, 'fixed');
          if (job.results[i] === '') job.results[i] = null;
        });
        r.progress.failed = 0;
        delete r.error;
        r.status = 'queued';
      }
      touch(job);
      return snapshot(job);
    },
    async deleteJob(id: string) {
      const job = need(id);
      if (!isFinalStatus(job.record.status)) throw new ParlaError('CONFLICT', `job ${id} is ${job.record.status}; cancel it before deleting it`);
      jobs.delete(id);
      return { id, deleted: true as const };
    },
    async jobReview(id): Promise<FilePayload> {
      const job = need(id);
      if (job.kind === 'text') throw new ParlaError('BAD_INPUT', 'the fake keeps no review for text jobs');
      return flaggedRows(await api.jobResult(id));
    },
    async detectLanguage(texts) {
      const d = await detector();
      return texts.map((t) => {
        const { language, likeliest, confidence } = d.detect(t);
        return { ...(language ? { language } : {}), ...(likeliest ? { likeliest } : {}), confidence };
      });
    },
    async jobResult(id): Promise<FilePayload> {
      const job = need(id);
      if (job.record.status !== 'done') throw new ParlaError('CONFLICT', `job ${id} is ${job.record.status}; its result is ready when it is done`);
      if (job.kind === 'text') {
        const result: TextJobResult = { id, translations: Object.fromEntries(job.record.to.map((lang) => [lang, job.results.map((t) => t || null)])) };
        const body = JSON.stringify(result);
        return { fileName: `${id}.json`, mimeType: 'application/json', bytes: new TextEncoder().encode(body) };
      }
      const header = [...job.header!];
      const cols = job.columns!;
      let k = 0;
      const results = job.results;
      const added = (h: string) => job.record.to.flatMap((l) => (job.review ? [`${h} (${l})`, `${h} (${l}) review`] : [`${h} (${l})`]));
      const out = [header.flatMap((h, i) => (cols.includes(i) ? [h, ...added(h)] : [h]))];
      for (const row of job.rows!) {
        const cells: string[] = [];
        row.forEach((cell, i) => {
          cells.push(cell);
          if (cols.includes(i)) {
            const t = results[k++] ?? '';
            for (const _ of job.record.to) cells.push(...(job.review ? [t, ''] : [t]));
          }
        });
        out.push(cells);
      }
      const csv = out.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
      const fileName = job.record.output ?? `${id}.csv`;
      return { fileName, mimeType: mimeTypeFor(fileName), bytes: new TextEncoder().encode(csv) };
    },

    async listModels() {
      return structuredClone(models);
    },
    async downloadModel(id) {
      if (!/^[\w.-]+\/[\w.-]+$/.test(id)) throw new ParlaError('BAD_INPUT', `"${id}" is not a model id like Xenova/opus-mt-en-de`);
      const total = 300_000_000;
      for (let got = 0; got <= total; got += total / 10) {
        emit({ type: 'model-progress', id, receivedBytes: got, totalBytes: total });
        await new Promise((r) => setTimeout(r, 40));
      }
      const pair = /-(\w\w)-(\w\w)$/.exec(id);
      const model: ModelInfo = { id, from: pair?.[1] ?? 'en', to: [pair?.[2] ?? 'de'], dir: `/models/${id}`, bundled: false, sizeBytes: total, revision: 'main', hasQuantized: true };
      models.push(model);
      emit({ type: 'model-done', id });
      return model;
    },
    async modelDownloadSizes(id) {
      if (!/^[\w.-]+\/[\w.-]+$/.test(id)) throw new ParlaError('BAD_INPUT', `"${id}" is not a model id like Xenova/opus-mt-en-de`);
      return { id, fullBytes: 445_000_000, int8Bytes: 120_000_000 };
    },
    async importModel(dir) {
      const model: ModelInfo = { id: dir, from: 'en', to: ['it'], dir, bundled: false, sizeBytes: 1_000_000, revision: 'local', hasQuantized: false };
      models.push(model);
      return model;
    },
    async removeModel(id) {
      const i = models.findIndex((m) => m.id === id);
      if (i < 0) throw new ParlaError('NOT_FOUND', `no model ${id}`);
      if (models[i]!.bundled) throw new ParlaError('CONFLICT', `${id} is bundled with Parla and cannot be removed`);
      models.splice(i, 1);
    },

    async searchHistory(q: HistoryQuery) {
      const needle = q.q?.toLowerCase();
      const hits = history.filter(
        (e) => (!needle || e.source.toLowerCase().includes(needle) || e.text.toLowerCase().includes(needle)) && (!q.from || e.from === q.from) && (!q.to || e.to === q.to),
      );
      const offset = q.offset ?? 0;
      return { entries: hits.slice(offset, offset + (q.limit ?? 50)), total: hits.length };
    },
    async addHistory(entries) {
      for (const e of entries) history.unshift({ id: nextHistory++, source: e.source, text: e.text, from: e.from, to: e.to, model: e.model, door: 'api', createdAt: now() });
      return { recorded: entries.length };
    },
    async deleteHistory(deletion) {
      const before = history.length;
      const ids = 'ids' in deletion ? new Set(deletion.ids) : null;
      for (let i = history.length - 1; i >= 0; i--) if (!ids || ids.has(history[i]!.id)) history.splice(i, 1);
      return { deleted: before - history.length };
    },
    async exportHistory(_query, format) {
      const body = format === 'json' ? JSON.stringify(history) : ['source,text,from,to,model,createdAt', ...history.map((e) => [e.source, e.text, e.from, e.to, e.model, e.createdAt].map(csvCell).join(','))].join('\n') + '\n';
      return { fileName: `parla-history.${format}`, mimeType: mimeTypeFor(`x.${format}`), bytes: new TextEncoder().encode(body) };
    },

    listGlossary: (query) => glossary.list({ limit: 100, ...query }),
    addGlossary: (entries) => glossary.add(entries),
    async removeGlossary(id) {
      if (!(await glossary.remove(id))) throw new ParlaError('NOT_FOUND', `no glossary entry ${id}`);
    },
    async importGlossary({ from, to, fileName, bytes, encoding }) {
      const stored = await glossary.add(parseGlossaryText(decodeGlossaryBytes(bytes, fileName, encoding), fileName, { from, to }, formatFor(fileName)));
      return { imported: new Set(stored.map((e) => e.id)).size, ms: 1 };
    },
    async exportGlossary(pair, format) {
      const text = formatGlossaryFile((await glossary.list(pair)).entries, format);
      return { fileName: `parla-glossary-${pair.from}-${pair.to}.${format}`, mimeType: mimeTypeFor(`x.${format}`), bytes: new TextEncoder().encode(text) };
    },

    listKeys: async () => keys.list(),
    createKey: async (key) => keys.create(key),
    async revokeKey(name) {
      if (!keys.revoke(name)) throw new ParlaError('NOT_FOUND', `no key named "${name}"`);
    },
    listMemory: (query) => memory.list({ limit: 100, ...query }),
    addMemory: (entries) => memory.add(entries),
    async removeMemory(id) {
      if (!(await memory.remove(id))) throw new ParlaError('NOT_FOUND', `no memory entry ${id}`);
    },
    async importMemory({ fileName, bytes }) {
      return { imported: await memory.import(parseTmx(new TextDecoder().decode(bytes), fileName)), ms: 1 };
    },
    async exportMemory(pair) {
      const text = formatTmx((await memory.list(pair)).entries, { version: 'test' });
      return { fileName: 'parla-memory.tmx', mimeType: 'application/x-tmx+xml', bytes: new TextEncoder().encode(text) };
    },
    async cacheStats() {
      return { entries: cache.size, bytes: cache.size * 64, hits, misses, hitRate: hits + misses ? hits / (hits + misses) : 0 };
    },
    async clearCache() {
      const cleared = cache.size;
      cache.clear();
      return { cleared };
    },
    async getSettings() {
      return structuredClone(settings);
    },
    async setSettings(patch) {
      settings = {
        ...settings,
        ...patch,
        team: { ...settings.team, ...patch.team },
        cache: { ...settings.cache, ...patch.cache },
        review: { ...settings.review, ...patch.review },
        memory: { ...settings.memory, ...patch.memory },
      };
      return structuredClone(settings);
    },
    async testTeamConnection(team) {
      if (!team.redisUrl.startsWith('redis://')) return { ok: false, error: { code: 'TEAM_OFFLINE', message: `cannot reach ${team.redisUrl || 'an empty URL'}` } };
      return { ok: true, latencyMs: 2 };
    },
    async teamStatus() {
      return settings.team.redisUrl ? { mode: 'team' as const, connected: true, team: settings.team.name, workers: 2 } : { mode: 'solo' as const, connected: false };
    },
    async health() {
      return { ok: true, version: '0.1.0-fake', modelHost: 'ready' as const, mode: settings.team.redisUrl ? ('team' as const) : ('solo' as const) };
    },
    subscribe(fn, filter) {
      const entry = { fn, ...(filter ? { filter } : {}) };
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
  };
  return api;
}
