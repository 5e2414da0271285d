// The bundled tokenizer.json, read by @huggingface/tokenizers, must split text exactly as the
// SentencePiece model it was converted from (ids written by tools/model/golden.py), also with the
// model host's leaner piece search (src/workers/marian/unigram-pieces.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { expect, it } from 'vitest';
import { dropUnigramTrie } from '../../src/workers/marian/unigram-pieces.js';

const MODEL_DIR = process.env.PARLA_PARITY_MODEL ?? 'resources/models/parla-tiny-en-es';
const FIXTURE = process.env.PARLA_TOKENS_FIXTURE ?? 'test/fixtures/tokens-tiny-en-es.json';

it.each([false, true])('tokenizer.json encodes held-out sentences exactly like SentencePiece (trie dropped: %s)', (drop) => {
  const tokenizer = new Tokenizer(
    JSON.parse(readFileSync(join(MODEL_DIR, 'tokenizer.json'), 'utf8')),
    JSON.parse(readFileSync(join(MODEL_DIR, 'tokenizer_config.json'), 'utf8')),
  );
  // The library's Unigram internals are what the search replaces: an upgrade that changes them fails here.
  if (drop) expect(dropUnigramTrie(tokenizer)).toBe(true);
  const cases = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { text: string; ids: number[] }[];
  const mismatches = cases.filter((c) => JSON.stringify(tokenizer.encode(c.text).ids) !== JSON.stringify(c.ids));
  expect(cases.length).toBeGreaterThanOrEqual(1000);
  expect(mismatches.slice(0, 3)).toEqual([]);
});
