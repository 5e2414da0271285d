// Glossaries: list (?from&to&q&limit&offset), add one or many, remove by id, import a CSV/TSV
// file (multipart, or JSON with the file's text) and export a pair as CSV or TSV.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParlaError } from '../../shared/errors.js';
import { GLOSSARY_FILE_FORMATS, type GlossaryImport } from '../../shared/glossary.js';
import { glossaryEntries, glossaryImport, glossaryPair, glossaryQuery, newGlossaryEntry } from '../../shared/ipc.js';
import { obj, oneOf, opt, str } from '../../shared/validate.js';
import type { RouteContext } from './context.js';

const entryId = str({ min: 1, max: 64 });
const format = oneOf(GLOSSARY_FILE_FORMATS);
const textImport = obj({ from: str({ min: 2, max: 16 }), to: str({ min: 2, max: 16 }), text: str({ min: 1 }), format: opt(format) });

/** The query string as fields: numbers where expected, the auth token dropped. */
function queryFields(query: unknown): Record<string, unknown> {
  const { token: _token, ...out } = query as Record<string, unknown>;
  for (const key of ['limit', 'offset']) if (typeof out[key] === 'string' && /^\d+$/.test(out[key] as string)) out[key] = Number(out[key]);
  return out;
}

/** Multipart: one file part plus fields from, to and (optionally) encoding. */
async function readImport(request: FastifyRequest): Promise<GlossaryImport> {
  const fields: Record<string, string> = {};
  let file: { fileName: string; bytes: Uint8Array } | undefined;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (file) throw new ParlaError('BAD_INPUT', 'send one glossary file per import');
      file = { fileName: part.filename, bytes: new Uint8Array(await part.toBuffer()) };
    } else fields[part.fieldname] = String(part.value);
  }
  if (!file) throw new ParlaError('BAD_INPUT', 'attach the glossary as a file field');
  const unknown = Object.keys(fields).find((k) => !['from', 'to', 'encoding'].includes(k));
  if (unknown) throw new ParlaError('BAD_INPUT', `${unknown} is not a known field`);
  return glossaryImport.parse({ ...file, ...fields });
}

export function glossaryRoutes(app: FastifyInstance, { api }: RouteContext): void {
  app.get('/api/v1/glossaries', async (request) => api.listGlossary(glossaryQuery.parse(queryFields(request.query))));

  // One entry, an array of entries, or {entries: [...]}.
  app.post('/api/v1/glossaries', async (request, reply) => {
    const body = request.body as unknown;
    const entries = Array.isArray(body)
      ? glossaryEntries.parse(body)
      : body && typeof body === 'object' && 'entries' in body
        ? glossaryEntries.parse((body as { entries: unknown }).entries, 'entries')
        : [newGlossaryEntry.parse(body)];
    return reply.status(201).send({ entries: await api.addGlossary(entries) });
  });

  app.delete<{ Params: { id: string } }>('/api/v1/glossaries/:id', async (request, reply) => {
    await api.removeGlossary(entryId.parse(request.params.id, 'id'));
    return reply.status(204).send();
  });

  app.post('/api/v1/glossaries/import', async (request) => {
    if (request.isMultipart()) return api.importGlossary(await readImport(request));
    const { from, to, text, format: f = 'csv' } = textImport.parse(request.body);
    return api.importGlossary(glossaryImport.parse({ from, to, fileName: `glossary.${f}`, bytes: new TextEncoder().encode(text) }));
  });

  app.get('/api/v1/glossaries/export', async (request, reply) => {
    const { format: f = 'csv', ...pair } = queryFields(request.query);
    const file = await api.exportGlossary(glossaryPair.parse(pair), format.parse(f, 'format'));
    return reply
      .type(file.mimeType)
      .header('content-disposition', `attachment; filename="${file.fileName.replace(/["\\\r\n]/g, '_')}"`)
      .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
  });
}
