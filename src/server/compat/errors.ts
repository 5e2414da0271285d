// The compatible APIs answer errors in their own shapes, as their clients expect: DeepL
// `{message}` with 403 for a bad key, 456 over quota, 400 for a bad request; LibreTranslate
// `{error}` with 400/403/429/500. Parla's codes map onto them here, in one place.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { toErrorBody } from '../errors.js';

type Shape = 'deepl' | 'libre';

const STATUS: Record<Shape, Partial<Record<string, number>>> = {
  deepl: { UNAUTHORIZED: 403, FORBIDDEN: 403, UNKNOWN_PAIR: 400, BAD_INPUT: 400, TOO_LARGE: 413, RATE_LIMITED: 429, QUOTA_EXCEEDED: 456, NOT_FOUND: 404, CONFLICT: 503 },
  libre: { UNAUTHORIZED: 403, FORBIDDEN: 403, UNKNOWN_PAIR: 400, BAD_INPUT: 400, TOO_LARGE: 400, RATE_LIMITED: 429, QUOTA_EXCEEDED: 429, NOT_FOUND: 404 },
};

export function compatErrorHandler(shape: Shape) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const { status, body } = toErrorBody(error);
    const code = STATUS[shape][body.error.code] ?? (status >= 500 ? 500 : 400);
    if (code >= 500) request.log.error({ err: error }, 'request failed');
    void reply.status(code).send(shape === 'deepl' ? { message: body.error.message } : { error: body.error.message });
  };
}
