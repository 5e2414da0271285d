// LibreTranslate's `POST /translate_file`: a .txt or .html file in, `{translatedFileUrl}` out;
// a GET of that URL (with the same key) downloads the translation. Each line is a text (an
// empty line stays empty, line endings are kept); in HTML the tags are protected spans, so they
// come back as written. Results are held in memory, for the upload retention setting's days (a
// day at most) or until the server stops, and only for the key that uploaded them.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParlaError } from '../../shared/errors.js';
import { LIMITS } from '../../shared/limits.js';
import type { RouteContext } from '../routes/context.js';
import type { ClientKeys } from './client-keys.js';
import { compatErrorHandler } from './errors.js';
import { baseCode } from './languages.js';
import { uploadOf } from './multipart-body.js';

const config = { auth: 'libre' as const };
const errorHandler = compatErrorHandler('libre');

export const LIBRE_FILE_FORMATS = ['.txt', '.html'] as const;
const MIME: Record<(typeof LIBRE_FILE_FORMATS)[number], string> = { '.txt': 'text/plain; charset=utf-8', '.html': 'text/html; charset=utf-8' };
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
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      throw new ParlaError('BAD_INPUT', 'Invalid request: the file is not UTF-8 text');
    }
    // Lines and their endings, so the output has the input's shape byte for byte around the texts.
    const parts = text.split(/(\r\n|\n|\r)/);
    const at = parts.flatMap((part, i) => (i % 2 === 0 && part.trim() !== '' ? [i] : []));
    const texts = at.map((i) => parts[i]!);
    const translated = await keys.bill(request, texts.reduce((n, t) => n + t.length, 0), async () => {
      const out: string[] = [];
      for (let i = 0; i < texts.length; i += LIMITS.translateTexts) {
        const batch = texts.slice(i, i + LIMITS.translateTexts);
        out.push(...(await limit(() => api.translate({ texts: batch, to, ...(from ? { from } : {}) }))).map((t) => t.text));
      }
      return out;
    });
    at.forEach((index, n) => (parts[index] = translated[n]!));
    const now = Date.now();
    const days = (await api.getSettings()).uploadRetentionDays;
    const id = randomUUID();
    held.set(id, {
      fileName: fileName.replace(/(\.[^.]+)$/, `.${to}$1`),
      mimeType: MIME[ext],
      bytes: Buffer.from(parts.join('')),
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
