// LibreTranslate's `POST /translate_file`: a .txt or .html file in, `{translatedFileUrl}` out;
// a GET of that URL (with the same key) downloads the translation, made line by line
// (text-lines.ts). Results are held in memory, for the upload retention setting's days (a day at
// most) or until the server stops, and only for the key that uploaded them.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParlaError } from '../../shared/errors.js';
import { LIMITS } from '../../shared/limits.js';
import type { RouteContext } from '../routes/context.js';
import type { ClientKeys } from './client-keys.js';
import { compatErrorHandler } from './errors.js';
import { baseCode } from './languages.js';
import { uploadOf } from './multipart-body.js';
import { joinLines } from '../../shared/text-lines.js';
import { characterCount, readTextLines, TEXT_FILE_TYPES } from './text-lines.js';

const config = { auth: 'libre' as const };
const errorHandler = compatErrorHandler('libre');

export const LIBRE_FILE_FORMATS = Object.keys(TEXT_FILE_TYPES);
const DAY_MS = 86_400_000;
/** Results held at once: the oldest goes first beyond this. */
const MAX_HELD = 100;

interface Held {
  fileName: string;
  mimeType: string;
  bytes: Buffer;
  /** The key that uploaded it ('' for the server's token): only it downloads the result. */
  owner: string;
  expires: number;
}

export function libreFileRoutes(app: FastifyInstance, { api, limit }: RouteContext, keys: ClientKeys): void {
  const held = new Map<string, Held>();
  const ownerOf = (request: FastifyRequest) => keys.keyOf(request)?.name ?? '';
  const sweep = (now: number) => {
    for (const [id, file] of held) if (file.expires <= now) held.delete(id);
    while (held.size > MAX_HELD) held.delete(held.keys().next().value!);
  };

  app.post('/translate_file', { config, errorHandler }, async (request) => {
    const upload = uploadOf(request);
    if (!upload?.file) throw new ParlaError('BAD_INPUT', 'Invalid request: missing file parameter');
    const { fileName, bytes } = upload.file;
    const ext = LIBRE_FILE_FORMATS.find((e) => fileName.toLowerCase().endsWith(e));
    if (!ext) throw new ParlaError('BAD_INPUT', `Invalid request: file format not supported (${LIBRE_FILE_FORMATS.join(', ')})`);
    const to = baseCode(upload.fields.target);
    if (!to) throw new ParlaError('BAD_INPUT', 'Invalid request: missing target parameter');
    const source = upload.fields.source ?? 'auto';
    const from = source === 'auto' ? undefined : baseCode(source);
    if (source !== 'auto' && !from) throw new ParlaError('BAD_INPUT', `${source} is not supported`);
    const lines = readTextLines(bytes, 'Invalid request: the file is not UTF-8 text');
    const translated = await keys.bill(request, characterCount(lines.texts), async () => {
      const out: string[] = [];
      for (let i = 0; i < lines.texts.length; i += LIMITS.translateTexts) {
        const batch = lines.texts.slice(i, i + LIMITS.translateTexts);
        out.push(...(await limit(() => api.translate({ texts: batch, to, ...(from ? { from } : {}) }))).map((t) => t.text));
      }
      return out;
    });
    const now = Date.now();
    const days = (await api.getSettings()).uploadRetentionDays;
    const id = randomUUID();
    held.set(id, {
      fileName: fileName.replace(/(\.[^.]+)$/, `.${to}$1`),
      mimeType: TEXT_FILE_TYPES[ext]!,
      bytes: Buffer.from(joinLines(lines, translated)),
      owner: ownerOf(request),
      expires: now + (days > 0 ? Math.min(days, 1) : 1) * DAY_MS,
    });
    sweep(now);
    const host = request.headers.host ?? '127.0.0.1';
    return { translatedFileUrl: `http://${host}/download_file/${id}` };
  });

  app.get<{ Params: { id: string } }>('/download_file/:id', { config, errorHandler }, async (request, reply) => {
    sweep(Date.now());
    const file = held.get(request.params.id);
    // Another key's file is as absent as an expired one.
    if (!file || file.owner !== ownerOf(request)) throw new ParlaError('NOT_FOUND', 'Invalid request: file not found or expired');
    return reply
      .type(file.mimeType)
      .header('content-disposition', `attachment; filename="${file.fileName.replace(/["\\\r\n]/g, '_')}"`)
      .send(file.bytes);
  });
}
