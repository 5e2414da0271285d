// Translation memory: search (?from&to&q&limit&offset), add one or many, remove by id, import a
// TMX file (multipart, or JSON {tmx}) and export the memory (or a pair) as TMX. Authenticated
// like every /api/v1 route (the gate denies by default).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParlaError } from '../../shared/errors.js';
import { memoryEntries, memoryImport, memoryPair, memoryQuery, newMemoryEntry } from '../../shared/ipc.js';
import { obj, str } from '../../shared/validate.js';
import type { RouteContext } from './context.js';

const entryId = str({ min: 1, max: 64 });
const textImport = obj({ tmx: str({ min: 1 }) });

/** The query string as fields: numbers where expected, the auth token dropped. */
function queryFields(query: unknown): Record<string, unknown> {
  const { token: _token, ...out } = query as Record<string, unknown>;
  for (const key of ['limit', 'offset']) if (typeof out[key] === 'string' && /^\d+$/.test(out[key] as string)) out[key] = Number(out[key]);
  return out;
}

async function readUpload(request: FastifyRequest): Promise<{ fileName: string; bytes: Uint8Array }> {
  let file: { fileName: string; bytes: Uint8Array } | undefined;
  for await (const part of request.parts()) {
    if (part.type !== 'file') throw new ParlaError('BAD_INPUT', `${part.fieldname} is not a known field`);
    if (file) throw new ParlaError('BAD_INPUT', 'send one TMX file per import');
    file = { fileName: part.filename, bytes: new Uint8Array(await part.toBuffer()) };
  }
  if (!file) throw new ParlaError('BAD_INPUT', 'attach the TMX as a file field');
  return memoryImport.parse(file);
}

export function memoryRoutes(app: FastifyInstance, { api }: RouteContext): void {
  app.get('/api/v1/memory', async (request) => api.listMemory(memoryQuery.parse(queryFields(request.query))));

  // One entry, an array of entries, or {entries: [...]}.
  app.post('/api/v1/memory', async (request, reply) => {
    const body = request.body as unknown;
    const entries = Array.isArray(body)
      ? memoryEntries.parse(body)
      : body && typeof body === 'object' && 'entries' in body
        ? memoryEntries.parse((body as { entries: unknown }).entries, 'entries')
        : [newMemoryEntry.parse(body)];
    return reply.status(201).send({ entries: await api.addMemory(entries) });
  });

  app.delete<{ Params: { id: string } }>('/api/v1/memory/:id', async (request, reply) => {
    await api.removeMemory(entryId.parse(request.params.id, 'id'));
    return reply.status(204).send();
  });

  app.post('/api/v1/memory/import', async (request) => {
    if (request.isMultipart()) return api.importMemory(await readUpload(request));
    const { tmx } = textImport.parse(request.body);
    return api.importMemory({ fileName: 'memory.tmx', bytes: new TextEncoder().encode(tmx) });
  });

  app.get('/api/v1/memory/export', async (request, reply) => {
    const file = await api.exportMemory(memoryPair.parse(queryFields(request.query)));
    return reply
      .type(file.mimeType)
      .header('content-disposition', `attachment; filename="${file.fileName.replace(/["\\\r\n]/g, '_')}"`)
      .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
  });
}
