import { createHash } from 'node:crypto';
import { normalizeSource } from '../cache/key.js';

/** Texts that normalise alike are one item of a job: translated once, written everywhere. */
export function textKey(text: string): string {
  return createHash('sha256').update(normalizeSource(text)).digest('hex');
}
