// One error shape for every HTTP answer: `{error: {code, message}}` with the code's status.
import type { FastifyError, FastifyInstance } from 'fastify';
import { ParlaError, httpStatusFor, isErrorCode, toErrorInfo, type ErrorCode } from '../shared/errors.js';

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/** Fastify's own errors (body parser, multipart limits) mapped onto Parla's codes. */
function fromFastify(error: FastifyError): ParlaError | undefined {
  const status = error.statusCode ?? 0;
  if (status === 413) return new ParlaError('TOO_LARGE', 'the request is larger than this server accepts');
  if (status === 415) return new ParlaError('BAD_INPUT', 'send application/json or multipart/form-data');
  if (status >= 400 && status < 500) return new ParlaError('BAD_INPUT', error.message);
  return undefined;
}

export function toErrorBody(error: unknown): { status: number; body: ErrorBody } {
  const mapped =
    error instanceof ParlaError || (error && typeof error === 'object' && 'code' in error && isErrorCode((error as { code: unknown }).code))
      ? error
      : (fromFastify(error as FastifyError) ?? error);
  const info = toErrorInfo(mapped);
  const message = info.code === 'INTERNAL' ? 'internal error; see the server log' : info.message;
  return { status: httpStatusFor(info.code), body: { error: { code: info.code, message } } };
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toErrorBody(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    if (body.error.code === 'RATE_LIMITED') void reply.header('retry-after', '1');
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });
}
