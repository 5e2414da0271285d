// Cache keys: the same text through the same model revision with the same decoding options is
// the same translation, whichever door asked for it.
import { createHash } from 'node:crypto';
import { canonicalDecodeOptions } from '../../shared/translate-request.js';
import type { DecodeOptions, ProtectMode } from '../../shared/translation.js';
import { findSpans } from '../protect/spans.js';

// A line break ends a sentence for the engine, and the translation keeps it where the source had
// it: "a\nb" and "a b" translate differently, so they are different texts. Spaces are not: runs of
// them inside a line, and spaces at either end of a line, do not change what the model writes.
const LINE_BREAK = /(\r\n|[\n\v\f\r\u0085\u2028\u2029])/u;

/**
 * The text a cache entry (and a job's item) is for: NFC, trimmed, each line's runs of whitespace
 * collapsed to one space and its ends trimmed, the line breaks kept as they are. "Hello  world "
 * and "Hello world" share an entry; "a\nb", "a\r\nb" and "a b" do not. The text's own leading
 * and trailing whitespace is put back from the request on a hit (`withOuterWhitespace`).
 */
export function normalizeSource(text: string): string {
  return text
    .normalize('NFC')
    .trim()
    .split(LINE_BREAK)
    .map((part, i) => (i % 2 === 1 ? part : part.trim().replace(/\s+/gu, ' ')))
    .join('');
}

/**
 * `translation` with the leading and trailing whitespace of `source`: what the engine writes
 * (it keeps the source's outer whitespace), whichever of the texts that share an entry wrote it.
 */
export function withOuterWhitespace(source: string, translation: string): string {
  const lead = /^\s*/u.exec(source)![0];
  const body = source.slice(lead.length);
  const trail = /\s*$/u.exec(body)![0];
  return lead + translation.trim() + trail;
}

export interface CacheKeyParts {
  model: string;
  revision: string;
  /** Target language: multilingual models produce different output per target for one model id. */
  to: string;
  options?: DecodeOptions;
  /** Protected spans change the output of texts that hold them (and only of those). */
  protect?: ProtectMode;
  /** The version of the pair's glossary: a glossary change misses exactly the entries it may affect. */
  glossary?: string;
  text: string;
}

/**
 * Decoding options made canonical (defaults dropped: `{beam: 1}` keys as `{}`) with sorted keys.
 * nBest is not part of the key: an entry holds the best text only, and requests for alternatives
 * never read or write entries (CachedTranslator).
 */
function canonicalOptions(options: DecodeOptions | undefined): string {
  const { nBest: _alternatives, ...rest } = canonicalDecodeOptions(options) ?? {};
  return JSON.stringify(Object.fromEntries(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/**
 * The parts that decide the output, hashed. Protection and the glossary appear only where they can
 * change it: `protect` for a text with spans (protection leaves a text without them exactly as it
 * is, src/core/protect), `glossary` while the pair has entries. A plain text through no glossary
 * therefore keys as in the first release, whose cache entries keep hitting after an upgrade.
 */
export function cacheKey(parts: CacheKeyParts): string {
  const decides = {
    ...(findSpans(parts.text).length > 0 ? { protect: parts.protect ?? 'auto' } : {}),
    ...(parts.glossary ? { glossary: parts.glossary } : {}),
  };
  const context = [parts.model, parts.revision, parts.to, canonicalOptions(parts.options)];
  const key = Object.keys(decides).length > 0 ? [...context, decides, normalizeSource(parts.text)] : [...context, normalizeSource(parts.text)];
  return createHash('sha256').update(JSON.stringify(key)).digest('hex');
}
