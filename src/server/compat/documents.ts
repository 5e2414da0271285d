// DeepL's document flow over Parla's job queue: `POST /v2/document` uploads a file and starts a
// job, `POST /v2/document/{id}` reports its status, `POST /v2/document/{id}/result` returns the
// translated file. A .txt or .html document is a text job of its lines (text-lines.ts) and comes
// back as the same file translated, as DeepL's does; the files Parla's batch jobs take
// (spreadsheets, the localization formats) are file jobs, and come back as Parla's output
// (translations in added columns or entries). Each document is billed to the key that sent it,
// up front, by the characters of the texts its job translates.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { extname } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { JOB_FORMATS } from '../../core/formats/registry.js';
import type { DeepLGlossaryStore } from '../../core/compat/deepl-glossaries.js';
import { ParlaError } from '../../shared/errors.js';
import { textJobRequest } from '../../shared/ipc.js';
import { AUTO_SOURCE } from '../../shared/translation.js';
import type { JobRecord, TextJobResult } from '../../shared/jobs.js';
import type { RouteContext } from '../routes/context.js';
import { unreadable } from '../routes/jobs.js';
import type { ClientKeys } from './client-keys.js';
import { checkFormality, checkGlossary, withDeepLPair } from './deepl.js';
import { compatErrorHandler } from './errors.js';
import { baseCode } from './languages.js';
import { joinLines, type Lines } from '../../shared/text-lines.js';
import { characterCount, readTextLines, TEXT_FILE_TYPES } from './text-lines.js';

const config = { auth: 'deepl' as const };
const errorHandler = compatErrorHandler('deepl');

/** Extensions of the files a batch job takes; `.txt` is a text document here, as in DeepL. */
const JOB_EXTENSIONS = JOB_FORMATS.flatMap((f) => f.extensions).filter((e) => !(e in TEXT_FILE_TYPES));
const ALL_EXTENSIONS = [...Object.keys(TEXT_FILE_TYPES), ...JOB_EXTENSIONS];

interface Document {
  /** DeepL's clients send it back with every status and result request. */
  key: Buffer;
  /** Characters billed at upload: DeepL's `billed_characters` once the document is done. */
  billed: number;
  /** Who was billed (a client key's name; undefined: the server's token), refunded if the job fails. */
  payer: string | undefined;
  /** Set once the characters were given back, so a failed document is refunded once. */
  refunded?: true;
  /** A text document: its lines, the target language and its name, to put the file back together. */
  text?: { lines: Lines; to: string; fileName: string; mimeType: string };
}

/** DeepL's document status words for a Parla job status. */
function documentStatus(job: JobRecord, doc: Document): Record<string, unknown> {
  const status = job.status === 'done' ? 'done' : job.status === 'failed' || job.status === 'canceled' ? 'error' : job.status === 'queued' ? 'queued' : 'translating';
  return {
    document_id: job.id,
    status,
    ...(status === 'translating' && job.progress.etaSeconds !== null ? { seconds_remaining: Math.ceil(job.progress.etaSeconds) } : {}),
    ...(status === 'done' ? { billed_characters: doc.billed } : {}),
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

/** A text job's result as the translations of one language; an error unless it has all `count`. */
function translationsOf(bytes: Uint8Array, to: string, count: number): string[] {
  const { translations } = JSON.parse(new TextDecoder().decode(bytes)) as TextJobResult;
  const list = translations[to] ?? [];
  // A done job has every text; a gap would write a partial file, so it is an error instead.
  if (list.length !== count || list.some((t) => typeof t !== 'string')) throw new ParlaError('INTERNAL', 'the document job is done but misses translations');
  return list as string[];
}

export function documentRoutes(app: FastifyInstance, { api, limit }: RouteContext, keys: ClientKeys, glossaries: DeepLGlossaryStore): void {
  const documents = new Map<string, Document>();
  const documentOf = (request: FastifyRequest, id: string): Document => {
    const given = ((request.body ?? {}) as Record<string, unknown>).document_key;
    const doc = documents.get(id);
    const ok = typeof given === 'string' && doc !== undefined && given.length === doc.key.length * 2 && timingSafeEqual(Buffer.from(given, 'hex'), doc.key);
    if (!ok) throw new ParlaError('NOT_FOUND', 'Document not found.');
    return doc;
  };
  // A document whose job fails or is canceled gives nothing back to download: its characters are
  // given back, when the job's end is announced or, at the latest, when its status is asked.
  const refundIfEnded = (job: JobRecord) => {
    const doc = documents.get(job.id);
    if (!doc || doc.refunded || (job.status !== 'failed' && job.status !== 'canceled')) return;
    doc.refunded = true;
    keys.refund(doc.payer, doc.billed);
  };
  const unsubscribe = api.subscribe((event) => event.type === 'job' && refundIfEnded(event.job));
  app.addHook('onClose', async () => unsubscribe());

  app.post('/v2/document', { config, errorHandler }, async (request) => {
    if (!request.isMultipart()) throw new ParlaError('BAD_INPUT', 'Send the document as multipart/form-data.');
    const { fileName, bytes, fields } = await readUpload(request);
    const to = baseCode(fields.target_lang);
    if (!to) throw new ParlaError('BAD_INPUT', "Value for 'target_lang' not supported.");
    const from = fields.source_lang ? baseCode(fields.source_lang) : undefined;
    if (fields.source_lang && !from) throw new ParlaError('BAD_INPUT', "Value for 'source_lang' not supported.");
    checkFormality(fields);
    checkGlossary(glossaries, fields, from, to);
    const ext = extname(fileName).toLowerCase();
    const textType = TEXT_FILE_TYPES[ext];
    if (!textType && !JOB_EXTENSIONS.includes(ext)) {
      throw new ParlaError('BAD_INPUT', `Invalid file extension "${ext || fileName}": Parla translates ${ALL_EXTENSIONS.join(' ')} documents.`);
    }
    // No source_lang: each text's (or row's) language is detected (DeepL's behaviour).
    const source = from ?? AUTO_SOURCE;
    let doc: Document;
    let created: { id: string };
    // A pair no model serves is refused before a job exists (and so before any billing).
    if (textType) {
      const lines = readTextLines(bytes, `Invalid file data: a ${ext} document is UTF-8 text.`);
      if (lines.texts.length === 0) throw new ParlaError('BAD_INPUT', 'Invalid file data: the document holds no text.');
      const billed = characterCount(lines.texts);
      created = await withDeepLPair(api, from, to, () => keys.bill(request, billed, () => limit(() => api.createTextJob(textJobRequest.parse({ texts: lines.texts, to, from: source })))));
      doc = { key: randomBytes(32), billed, payer: keys.payer(request), text: { lines, to, fileName: fileName.replace(/(\.[^.]+)$/, `.${to}$1`), mimeType: textType } };
    } else {
      // The job's own plan counts what it will translate, before it exists.
      const { characters = 0 } = await limit(() => api.previewFile({ fileName, bytes, to }));
      created = await withDeepLPair(api, from, to, () => keys.bill(request, characters, () => limit(() => api.createFileJob({ fileName, bytes, to: [to], from: source }))));
      doc = { key: randomBytes(32), billed: characters, payer: keys.payer(request) };
    }
    documents.set(created.id, doc);
    return { document_id: created.id, document_key: doc.key.toString('hex') };
  });

  app.post<{ Params: { id: string } }>('/v2/document/:id', { config, errorHandler }, async (request) => {
    const doc = documentOf(request, request.params.id);
    const job = await api.getJob(request.params.id);
    refundIfEnded(job);
    return documentStatus(job, doc);
  });

  app.post<{ Params: { id: string } }>('/v2/document/:id/result', { config, errorHandler }, async (request, reply) => {
    const doc = documentOf(request, request.params.id);
    const job = await api.getJob(request.params.id);
    if (job.status !== 'done') throw new ParlaError('CONFLICT', 'Document translation is not done yet.');
    const result = await api.jobResult(job.id);
    const file = doc.text
      ? { fileName: doc.text.fileName, mimeType: doc.text.mimeType, bytes: Buffer.from(joinLines(doc.text.lines, translationsOf(result.bytes, doc.text.to, doc.text.lines.texts.length))) }
      : { ...result, bytes: Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength) };
    return reply
      .type(file.mimeType)
      .header('content-disposition', `attachment; filename="${file.fileName.replace(/["\\\r\n]/g, '_')}"`)
      .send(file.bytes);
  });
}
