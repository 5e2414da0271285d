// Text jobs (`POST /api/v1/jobs {texts, from?, to}`): the texts live in the job spec.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ParlaError } from '../../shared/errors.js';
import type { TextJobResult } from '../../shared/jobs.js';
import type { QueueBackend, StoredJob } from '../queue/backend.js';
import type { JobSource } from './source.js';
import { textKey } from './text-key.js';

/**
 * Texts hashed and inserted per step. A job may hold 200,000 texts (seconds of work): between
 * steps the event loop gets a turn, so the server that queued the job keeps answering. Until
 * the last step the job is not `ingested` and no text of it runs; after a crash it is ingested
 * again from the start.
 */
const INGEST_CHUNK = 250;

function specTexts(job: StoredJob): string[] {
  const texts = job.spec['texts'];
  if (!Array.isArray(texts) || !texts.every((t): t is string => typeof t === 'string')) {
    throw new ParlaError('BAD_INPUT', `job ${job.record.id} has no texts`);
  }
  return texts;
}

export function textJobSource(job: StoredJob): JobSource {
  const texts = specTexts(job);
  return {
    async ingest(add, signal) {
      for (const lang of job.record.to) {
        for (let i = 0; i < texts.length; i += INGEST_CHUNK) {
          await add(texts.slice(i, i + INGEST_CHUNK).map((source) => ({ lang, key: textKey(source), source })));
          await nextTurn();
          signal?.throwIfAborted();
        }
      }
    },
  };
}

/** A text job's translations per target language, in input order (undefined where failed). */
export async function textJobResults(queue: QueueBackend, jobId: string): Promise<TextJobResult['translations']> {
  const job = await queue.get(jobId);
  if (!job) throw new ParlaError('NOT_FOUND', `no job ${jobId}`);
  const texts = specTexts(job);
  const keys = texts.map(textKey);
  const out: TextJobResult['translations'] = {};
  for (const lang of job.record.to) out[lang] = (await queue.lookup(jobId, lang, keys)).map((t) => t?.text ?? null);
  return out;
}

/** A text job's items that carry a review flag: which text, into which language, and why. */
export async function textJobReview(
  queue: QueueBackend,
  jobId: string,
): Promise<{ index: number; source: string; to: string; text: string; flags: string[] }[]> {
  const job = await queue.get(jobId);
  if (!job) throw new ParlaError('NOT_FOUND', `no job ${jobId}`);
  const texts = specTexts(job);
  const keys = texts.map(textKey);
  const out = [];
  for (const to of job.record.to) {
    const found = await queue.lookup(jobId, to, keys);
    for (const [index, t] of found.entries()) if (t?.flags.length) out.push({ index, source: texts[index]!, to, text: t.text, flags: [...t.flags] });
  }
  return out;
}
