// Models, history, cache, settings, team, health, and a global event stream: the rest of
// ParlaApi over HTTP, so the browser UI can do everything the desktop app does.
import type { FastifyInstance } from 'fastify';
import { API_ARGS, historyDrafts, historyFilterOnly, historyQuery, settingsPatch } from '../../shared/ipc.js';
import { HISTORY_EXPORT_FORMATS } from '../../shared/history-api.js';
import { bool, obj, oneOf, opt, str } from '../../shared/validate.js';
import { openSse, SSE_ROUTE } from '../sse.js';
import type { RouteContext } from './context.js';

const modelId = obj({ id: str({ min: 1, max: 512 }) });
const modelDownload = obj({ id: str({ min: 1, max: 512 }), quantized: opt(bool()) });
const modelDir = obj({ dir: str({ min: 1, max: 4096 }) });

/** A query string as fields, numbers where expected (the gate refuses a token in a query). */
function queryFields(query: unknown, numeric: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(query as Record<string, unknown>) };
  for (const key of numeric) if (typeof out[key] === 'string' && /^\d+$/.test(out[key] as string)) out[key] = Number(out[key]);
  return out;
}

export function resourceRoutes(app: FastifyInstance, { api }: RouteContext): void {
  app.get('/api/v1/models', async () => ({ models: await api.listModels() }));
  app.post('/api/v1/models/download', async (request) => {
    const { id, quantized } = modelDownload.parse(request.body);
    return api.downloadModel(id, quantized ? { quantized } : {});
  });
  app.get('/api/v1/models/sizes', async (request) => api.modelDownloadSizes(modelId.parse(request.query).id));
  app.post('/api/v1/models/import', async (request) => api.importModel(modelDir.parse(request.body).dir));
  app.post('/api/v1/models/remove', async (request, reply) => {
    await api.removeModel(modelId.parse(request.body).id);
    return reply.status(204).send();
  });

  app.get('/api/v1/history', async (request) => {
    const query = { limit: 50, offset: 0, ...queryFields(request.query, ['limit', 'offset']) };
    return api.searchHistory(historyQuery.parse(query));
  });
  app.post('/api/v1/history', async (request) => {
    const { entries } = obj({ entries: historyDrafts }).parse(request.body);
    return api.addHistory(entries);
  });
  app.post('/api/v1/history/delete', async (request) => api.deleteHistory(API_ARGS.deleteHistory.parse([request.body])[0]));
  app.get('/api/v1/history/export', async (request, reply) => {
    const { format = 'csv', ...rest } = queryFields(request.query, []);
    const file = await api.exportHistory(historyFilterOnly.parse(rest), oneOf(HISTORY_EXPORT_FORMATS).parse(format, 'format'));
    return reply
      .type(file.mimeType)
      .header('content-disposition', `attachment; filename="${file.fileName}"`)
      .send(Buffer.from(file.bytes));
  });

  app.get('/api/v1/cache/stats', async () => api.cacheStats());
  app.post('/api/v1/cache/clear', async () => api.clearCache());

  app.get('/api/v1/settings', async () => api.getSettings());
  app.patch('/api/v1/settings', async (request) => api.setSettings(settingsPatch.parse(request.body)));
  app.post('/api/v1/team/test', async (request) => api.testTeamConnection(API_ARGS.testTeamConnection.parse([request.body])[0]));
  app.get('/api/v1/team/status', async () => api.teamStatus());
  app.get('/api/v1/health', async () => api.health());

  app.get('/api/v1/events', SSE_ROUTE, async (request, reply) => {
    let unsubscribe = () => {};
    const stream = openSse(request, reply, () => unsubscribe());
    unsubscribe = api.subscribe((event) => stream.send(event.type, event));
  });
}
