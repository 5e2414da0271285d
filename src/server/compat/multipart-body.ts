// LibreTranslate's file upload carries its `api_key` as a multipart field, beside the file. The
// gate must judge the key before any handler runs, so it reads the parts first (bounded by the
// server's file limit: one file, 32 fields) and the handler takes them from here.
import type { FastifyRequest } from 'fastify';
import { unreadable } from '../routes/jobs.js';

export interface MultipartBody {
  file?: { fileName: string; bytes: Uint8Array };
  fields: Record<string, string>;
}

const bodies = new WeakMap<FastifyRequest, MultipartBody>();

/** Reads a multipart request's parts once; returns its fields (where the key may be). */
export async function readMultipartBody(request: FastifyRequest): Promise<Record<string, string>> {
  const body: MultipartBody = { fields: {} };
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') body.file = { fileName: part.filename, bytes: new Uint8Array(await part.toBuffer()) };
      else body.fields[part.fieldname] = String(part.value);
    }
  } catch (error) {
    throw unreadable(error);
  }
  bodies.set(request, body);
  return body.fields;
}

/** The parts the gate read; undefined for a request that was not multipart. */
export function uploadOf(request: FastifyRequest): MultipartBody | undefined {
  return bodies.get(request);
}
