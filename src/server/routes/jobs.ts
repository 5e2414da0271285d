// Jobs: create (JSON texts or a multipart spreadsheet), list, show, SSE events, result, actions.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParlaError } from '../../shared/errors.js';
import { sseNameFor } from '../../shared/events.js';
import { filePreviewRequest, fileJobRequest, textJobRequest } from '../../shared/ipc.js';
import { JOB_ACTIONS, type FileJobRequest, type FilePreviewRequest } from '../../shared/job-requests.js';
import { isFinalStatus } from '../../shared/jobs.js';
import { oneOf, str } from '../../shared/validate.js';
import { openSse, SSE_ROUTE } from '../sse.js';
import type { RouteContext } from './context.js';

const jobId = str({ min: 1, max: 200 });
const action = oneOf(JOB_ACTIONS);
const list = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);

/**
 * The multipart parser's own errors (no boundary, a truncated body, a broken part header) come
 * without a status: they describe the request, so they are bad input, not a server fault.
 */
/** A multipart parser failure as the one-line BAD_INPUT every multipart route answers. */
export function unreadable(error: unknown): unknown {
  if (error instanceof ParlaError || !(error instanceof Error) || 'statusCode' in error) return error;
  return new ParlaError('BAD_INPUT', `cannot read the multipart body (${error.message}); let your HTTP client build the form`);
}

function booleanField(name: string, value: string): boolean {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ParlaError('BAD_INPUT', `${name} must be true or false, not "${value}"`);
}

/** A number field as a number; the request validator checks its range. */
function numberField(name: string, value: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (Number.isNaN(n)) throw new ParlaError('BAD_INPUT', `${name} must be a number, not "${value}"`);
  return n;
}

const FILE_JOB_FIELDS = ['to', 'from', 'columns', 'sheet', 'review', 'min_confidence', 'overwrite', 'fuzzy'];

/** One file part and the form's fields (each name with its values in order). */
async function readParts(request: FastifyRequest): Promise<{ file: FilePreviewRequest; fields: Record<string, string[]> }> {
  const fields: Record<string, string[]> = {};
  let file: FilePreviewRequest | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (file) throw new ParlaError('BAD_INPUT', 'send one file per job');
        file = { fileName: part.filename, bytes: new Uint8Array(await part.toBuffer()) };
      } else {
        (fields[part.fieldname] ??= []).push(String(part.value));
      }
    }
  } catch (error) {
    throw unreadable(error);
  }
  if (!file) throw new ParlaError('BAD_INPUT', 'attach the file (a spreadsheet or a localization file) as a file field');
  return { file, fields };
}

/**
 * Multipart: one file part plus fields to (comma list or repeated), from, columns, sheet, review
 * (`false` leaves the review columns out), min_confidence (0–1), overwrite (redo entries that
 * hold a translation) and fuzzy (`false`: PO translations not marked fuzzy).
 */
async function readFileJob(request: FastifyRequest): Promise<FileJobRequest> {
  const { file, fields } = await readParts(request);
  const one = (name: string) => fields[name]?.at(-1);
  const candidate = {
    ...file,
    to: (fields.to ?? []).flatMap(list),
    ...(one('from') ? { from: one('from') } : {}),
    ...(fields.columns ? { columns: fields.columns.flatMap(list) } : {}),
    ...(one('sheet') ? { sheet: one('sheet') } : {}),
    ...(one('review') !== undefined ? { review: booleanField('review', one('review') as string) } : {}),
    ...(one('min_confidence') !== undefined ? { minConfidence: numberField('min_confidence', one('min_confidence') as string) } : {}),
    ...(one('overwrite') !== undefined ? { overwrite: booleanField('overwrite', one('overwrite') as string) } : {}),
    ...(one('fuzzy') !== undefined ? { fuzzy: booleanField('fuzzy', one('fuzzy') as string) } : {}),
  };
  const unknown = Object.keys(fields).find((k) => !FILE_JOB_FIELDS.includes(k));
  if (unknown) throw new ParlaError('BAD_INPUT', `${unknown} is not a known field`);
  return fileJobRequest.parse(candidate);
}

export function jobRoutes(app: FastifyInstance, { api, limit }: RouteContext): void {
  /** The job's whole id: a path may name it by a unique prefix, as the CLI does. */
  const fullId = async (request: FastifyRequest<{ Params: { id: string } }>) => (await api.getJob(jobId.parse(request.params.id, 'id'))).id;

  app.post('/api/v1/jobs', async (request, reply) => {
    const created = request.isMultipart()
      ? await limit(async () => api.createFileJob(await readFileJob(request)))
      : await limit(() => api.createTextJob(textJobRequest.parse(request.body)));
    return reply.status(202).header('location', `/api/v1/jobs/${created.id}`).send(created);
  });

  // Multipart, one file part: the format found and the units a job would translate (the drop zone's
  // preview); with a field `to`, also the characters a job into that language translates.
  app.post('/api/v1/jobs/preview', async (request) => {
    if (!request.isMultipart()) throw new ParlaError('BAD_INPUT', 'send the file as multipart/form-data');
    const { file, fields } = await readParts(request);
    const unknown = Object.keys(fields).find((k) => k !== 'to');
    if (unknown) throw new ParlaError('BAD_INPUT', `${unknown} is not a known field`);
    const to = fields.to?.at(-1);
    return limit(() => api.previewFile(filePreviewRequest.parse({ ...file, ...(to !== undefined ? { to } : {}) })));
  });

  app.get('/api/v1/jobs', async () => ({ jobs: await api.listJobs() }));

  app.get<{ Params: { id: string } }>('/api/v1/jobs/:id', async (request) => api.getJob(jobId.parse(request.params.id, 'id')));

  app.delete<{ Params: { id: string } }>('/api/v1/jobs/:id', async (request) => api.deleteJob(await fullId(request)));

  app.get<{ Params: { id: string } }>('/api/v1/jobs/:id/events', SSE_ROUTE, async (request, reply) => {
    const first = await api.getJob(jobId.parse(request.params.id, 'id')); // 404 before the stream opens
    const id = first.id;
    let unsubscribe = () => {};
    const stream = openSse(request, reply, () => unsubscribe());
    stream.send(sseNameFor(first), first);
    if (isFinalStatus(first.status)) return stream.end();
    unsubscribe = api.subscribe(
      (event) => {
        if (event.type !== 'job') return;
        stream.send(sseNameFor(event.job), event.job);
        if (isFinalStatus(event.job.status)) stream.end();
      },
      { jobId: id },
    );
  });

  app.get<{ Params: { id: string } }>('/api/v1/jobs/:id/result', async (request, reply) => {
    const file = await api.jobResult(await fullId(request));
    return reply
      .type(file.mimeType)
      .header('content-disposition', `attachment; filename="${file.fileName.replace(/["\\\r\n]/g, '_')}"`)
      .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
  });

  // Only the rows (or items) that need review: see ParlaApi.jobReview.
  app.get<{ Params: { id: string } }>('/api/v1/jobs/:id/review', async (request, reply) => {
    const file = await api.jobReview(await fullId(request));
    return reply
      .type(file.mimeType)
      .header('content-disposition', `attachment; filename="${file.fileName.replace(/["\\\r\n]/g, '_')}"`)
      .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
  });

  app.post<{ Params: { id: string; action: string } }>('/api/v1/jobs/:id/:action', async (request) =>
    api.jobAction(await fullId(request), action.parse(request.params.action, 'action')),
  );
}
