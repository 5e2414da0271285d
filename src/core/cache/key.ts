// Cache keys: the same text through the same model revision with the same decoding options is
// the same translation, whichever door asked for it.
import { createHash } from 'node:crypto';
import type { DecodeOptions, ProtectMode } from '../../shared/translation.js';

/** NFC, trimmed, runs of whitespace collapsed to one space: "Hello  world " and "Hello world" share an entry. */
export function normalizeSource(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/gu, ' ');
}

export interface CacheKeyParts {
  model: string;
  revision: string;
  /** Target language: multilingual models produce different output per target for one model id. */
  to: string;
  options?: DecodeOptions;
  /** Protected spans change the output of texts that hold them. */
  protect?: ProtectMode;
  /** The version of the pair's glossary: a glossary change misses exactly the entries it may affect. */
  glossary?: string;
  text: string;
}

/** Decoding options with sorted keys and undefined dropped, so {beam:1} and {beam:1, nBest:undefined} agree. */
function canonicalOptions(options: DecodeOptions | undefined): string {
  const entries = Object.entries(options ?? {})
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}

export function cacheKey(parts: CacheKeyParts): string {
  return createHash('sha256')
    .update(JSON.stringify([parts.model, parts.revision, parts.to, canonicalOptions(parts.options), parts.protect ?? 'auto', parts.glossary ?? '', normalizeSource(parts.text)]))
    .digest('hex');
}
