// DeepL's document flow over Parla's job queue: `POST /v2/document` uploads a file and starts a
// job, `POST /v2/document/{id}` reports its status, `POST /v2/document/{id}/result` returns the
// translated file. Files are what Parla's batch jobs take (spreadsheets; the localization
// formats when they land); the result is Parla's output, translations in added columns.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParlaError } from '../../shared/errors.js';
import { AUTO_SOURCE } from '../../shared/translation.js';
import type { JobRecord } from '../../shared/jobs.js';
import type { RouteContext } from '../routes/context.js';
import { unreadable } from '../routes/jobs.js';
import { compatErrorHandler } from './errors.js';
import { baseCode } from './languages.js';

const config = { auth: 'deepl' as const };
const errorHandler = compatErrorHandler('deepl');

/** DeepL's document status words for a Parla job status. */
function documentStatus(job: JobRecord): Record<string, unknown> {
  const status = job.status === 'done' ? 'done' : job.status === 'failed' || job.status === 'canceled' ? 'error' : job.status === 'queued' ? 'queued' : 'translating';
  return {
    document_id: job.id,
    status,
    ...(status === 'translating' && job.progress.etaSeconds !== null ? { seconds_remaining: Math.ceil(job.progress.etaSeconds) } : {}),
    ...(status === 'error' ? { error_message: job.error?.message ?? `the job was ${job.status}` } : {}),
  };
}

async function readUpload(request: FastifyRequest): Promise<{ fileName: string; bytes: Uint8Array; fields: Record<string, string> }> {
  const fields: Record<string, string> = {};
  let file: { fileName: string; bytes: Uint8Array } | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') file = { fileName: part.filename, bytes: new Uint8Array(await part.toBuffer()) };
      else fields[part.fieldname] = String(part.value);
    }
  } catch (error) {
    throw unreadable(error);
  }
  if (!file) throw new ParlaError('BAD_INPUT', "Parameter 'file' not specified.");
  return { ...file, fields };
}

export function documentRoutes(app: FastifyInstance, { api, limit }: RouteContext): void {
  /** Each document's key: DeepL's clients send it back with every status and result request. */
  const keys = new Map<string, Buffer>();
  const keyOf = (request: FastifyRequest, id: string): void => {
    const given = ((request.body ?? {}) as Record<string, unknown>).document_key;
    const expected = keys.get(id);
    const ok = typeof given === 'string' && expected !== undefined && given.length === expected.length * 2 && timingSafeEqual(Buffer.from(given, 'hex'), expected);
    if (!ok) throw new ParlaError('NOT_FOUND', 'Document not found.');
  };

  app.post('/v2/document', { config, errorHandler }, async (request) => {
    if (!request.isMultipart()) throw new ParlaError('BAD_INPUT', 'Send the document as multipart/form-data.');
    const { fileName, bytes, fields } = await readUpload(request);
    const to = baseCode(fields.target_lang);
    if (!to) throw new ParlaError('BAD_INPUT', "Value for 'target_lang' not supported.");
    const from = fields.source_lang ? baseCode(fields.source_lang) : undefined;
    // No source_lang: each row's language is detected (DeepL's behaviour).
    const created = await limit(() => api.createFileJob({ fileName, bytes, to: [to], from: from ?? AUTO_SOURCE }));
    const key = randomBytes(32);
    keys.set(created.id, key);
    return { document_id: created.id, document_key: key.toString('hex') };
  });

  app.post<{ Params: { id: string } }>('/v2/document/:id', { config, errorHandler }, async (request) => {
    keyOf(request, request.params.id);
    return documentStatus(await api.getJob(request.params.id));
  });

  app.post<{ Params: { id: string } }>('/v2/document/:id/result', { config, errorHandler }, async (request, reply) => {
    keyOf(request, request.params.id);
    const job = await api.getJob(request.params.id);
    if (job.status !== 'done') throw new ParlaError('CONFLICT', 'Document translation is not done yet.');
    const file = await api.jobResult(job.id);
    return reply
      .type(file.mimeType)
      .header('content-disposition', `attachment; filename="${file.fileName.replace(/["\\\r\n]/g, '_')}"`)
      .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
  });
}
