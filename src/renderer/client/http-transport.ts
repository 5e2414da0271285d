// HTTP transport for the browser UI served by `parla serve`: same-origin fetches authenticated
// by the HttpOnly cookie the server set on first load, events from one shared EventSource.
import type { ApiArgs, ApiMethod, ApiResult } from '../../shared/api.js';
import { ParlaError, isErrorCode } from '../../shared/errors.js';
import { matchesFilter, type ParlaEvent } from '../../shared/events.js';
import type { FilePayload } from '../../shared/files.js';
import type { GlossaryQuery } from '../../shared/glossary.js';
import type { HistoryQuery } from '../../shared/history.js';
import type { Transport } from './transport.js';

type Routes = { [M in ApiMethod]: (...args: ApiArgs<M>) => Promise<ApiResult<M>> };

async function request(method: string, path: string, body?: unknown): Promise<Response> {
  const init: RequestInit = { method, credentials: 'same-origin' };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const res = await fetch(path, init).catch(() => {
    throw new ParlaError('TEAM_OFFLINE', 'cannot reach the Parla server; is `parla serve` still running?');
  });
  if (res.ok) return res;
  const info = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  const code = info?.error?.code;
  throw new ParlaError(isErrorCode(code) ? code : 'INTERNAL', info?.error?.message ?? `HTTP ${res.status}`);
}

const json = async <T>(method: string, path: string, body?: unknown): Promise<T> => (await (await request(method, path, body)).json()) as T;

async function file(path: string): Promise<FilePayload> {
  const res = await request('GET', path);
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'download';
  return { fileName: name, mimeType: res.headers.get('content-type') ?? 'application/octet-stream', bytes: new Uint8Array(await res.arrayBuffer()) };
}

function queryString(query: Partial<HistoryQuery> & GlossaryQuery & { format?: string }): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  return params.toString();
}

const job = (id: string) => `/api/v1/jobs/${encodeURIComponent(id)}`;

const routes: Routes = {
  translate: async (req) => {
    const { texts, from, to, model, options, suggest, history } = req;
    const body = {
      texts, to, ...(from ? { from } : {}), ...(model ? { model } : {}), ...(options?.beam ? { beam: options.beam } : {}), ...(options?.nBest ? { nBest: options.nBest } : {}),
      ...(suggest ? { suggest } : {}), ...(history === false ? { history } : {}),
    };
    return (await json<{ translations: ApiResult<'translate'> }>('POST', '/api/v1/translate', body)).translations;
  },
  createTextJob: (req) => json('POST', '/api/v1/jobs', req),
  createFileJob: (req) => {
    const form = new FormData();
    form.set('to', req.to.join(','));
    if (req.from) form.set('from', req.from);
    if (req.columns) form.set('columns', req.columns.join(','));
    if (req.sheet) form.set('sheet', req.sheet);
    if (req.overwrite !== undefined) form.set('overwrite', String(req.overwrite));
    if (req.fuzzy !== undefined) form.set('fuzzy', String(req.fuzzy));
    form.set('file', new Blob([req.bytes as Uint8Array<ArrayBuffer>]), req.fileName);
    return json('POST', '/api/v1/jobs', form);
  },
  previewFile: (req) => {
    const form = new FormData();
    if (req.to) form.set('to', req.to);
    form.set('file', new Blob([req.bytes as Uint8Array<ArrayBuffer>]), req.fileName);
    return json('POST', '/api/v1/jobs/preview', form);
  },
  listJobs: async () => (await json<{ jobs: ApiResult<'listJobs'> }>('GET', '/api/v1/jobs')).jobs,
  getJob: (id) => json('GET', job(id)),
  jobAction: (id, action) => json('POST', `${job(id)}/${action}`),
  deleteJob: (id) => json('DELETE', job(id)),
  jobResult: (id) => file(`${job(id)}/result`),
  jobReview: (id) => file(`${job(id)}/review`),
  detectLanguage: async (texts) => (await json<{ detections: ApiResult<'detectLanguage'> }>('POST', '/api/v1/detect', { texts })).detections,
  listModels: async () => (await json<{ models: ApiResult<'listModels'> }>('GET', '/api/v1/models')).models,
  downloadModel: (id, options) => json('POST', '/api/v1/models/download', { id, ...options }),
  modelDownloadSizes: (id) => json('GET', `/api/v1/models/sizes?${new URLSearchParams({ id }).toString()}`),
  importModel: (dir) => json('POST', '/api/v1/models/import', { dir }),
  removeModel: async (id) => void (await request('POST', '/api/v1/models/remove', { id })),
  searchHistory: (query) => json('GET', `/api/v1/history?${queryString(query)}`),
  addHistory: (entries) => json('POST', '/api/v1/history', { entries }),
  deleteHistory: (deletion) => json('POST', '/api/v1/history/delete', deletion),
  exportHistory: (query, format) => file(`/api/v1/history/export?${queryString({ ...query, format })}`),
  listGlossary: (query) => json('GET', `/api/v1/glossaries?${queryString(query)}`),
  addGlossary: async (entries) => (await json<{ entries: ApiResult<'addGlossary'> }>('POST', '/api/v1/glossaries', { entries })).entries,
  removeGlossary: async (id) => void (await request('DELETE', `/api/v1/glossaries/${encodeURIComponent(id)}`)),
  importGlossary: (file) => {
    const form = new FormData();
    form.set('from', file.from);
    form.set('to', file.to);
    if (file.encoding) form.set('encoding', file.encoding);
    form.set('file', new Blob([file.bytes as Uint8Array<ArrayBuffer>]), file.fileName);
    return json('POST', '/api/v1/glossaries/import', form);
  },
  exportGlossary: (pair, format) => file(`/api/v1/glossaries/export?${queryString({ ...pair, format })}`),
  listKeys: async () => (await json<{ keys: ApiResult<'listKeys'> }>('GET', '/api/v1/keys')).keys,
  createKey: (key) => json('POST', '/api/v1/keys', key),
  revokeKey: async (name) => void (await request('DELETE', `/api/v1/keys/${encodeURIComponent(name)}`)),
  listMemory: (query) => json('GET', `/api/v1/memory?${queryString(query)}`),
  addMemory: async (entries) => (await json<{ entries: ApiResult<'addMemory'> }>('POST', '/api/v1/memory', { entries })).entries,
  removeMemory: async (id) => void (await request('DELETE', `/api/v1/memory/${encodeURIComponent(id)}`)),
  importMemory: (upload) => {
    const form = new FormData();
    form.set('file', new Blob([upload.bytes as Uint8Array<ArrayBuffer>]), upload.fileName);
    return json('POST', '/api/v1/memory/import', form);
  },
  exportMemory: (pair) => file(`/api/v1/memory/export?${queryString(pair)}`),
  cacheStats: () => json('GET', '/api/v1/cache/stats'),
  clearCache: () => json('POST', '/api/v1/cache/clear'),
  getSettings: () => json('GET', '/api/v1/settings'),
  setSettings: (patch) => json('PATCH', '/api/v1/settings', patch),
  testTeamConnection: (team) => json('POST', '/api/v1/team/test', team),
  teamStatus: () => json('GET', '/api/v1/team/status'),
  health: () => json('GET', '/api/v1/health'),
};

const EVENT_TYPES: ParlaEvent['type'][] = ['job', 'model-progress', 'model-done', 'model-failed'];

export function httpTransport(): Transport {
  const listeners = new Set<(event: ParlaEvent) => void>();
  let source: EventSource | undefined;
  const open = () => {
    source = new EventSource('/api/v1/events', { withCredentials: true });
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (message) => {
        const event = JSON.parse((message as MessageEvent<string>).data) as ParlaEvent;
        for (const l of listeners) l(event);
      });
    }
  };
  return {
    call: <M extends ApiMethod>(method: M, args: ApiArgs<M>) => (routes[method] as (...a: ApiArgs<M>) => Promise<ApiResult<M>>)(...args),
    subscribe(listener, filter) {
      const l = (event: ParlaEvent) => matchesFilter(event, filter) && listener(event);
      listeners.add(l);
      if (!source) open();
      return () => {
        listeners.delete(l);
        if (listeners.size === 0) {
          source?.close();
          source = undefined;
        }
      };
    },
  };
}
