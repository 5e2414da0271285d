// The model host's piece search for Unigram tokenizers (src/workers/marian/unigram-pieces.ts):
// the same ids as the library's own trie on an OPUS-MT-size vocabulary, for much less memory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { dropUnigramTrie } from '../../src/workers/marian/unigram-pieces.js';
import { grownTokenizerJson } from '../fixtures/make-tokenizer.mjs';
import { MODEL_DIR } from './model-fixture.js';

/** The bundled tokenizer grown to 65,001 pieces glued from its own (an OPUS-MT-size vocabulary). */
function bigTokenizer(): Tokenizer {
  return new Tokenizer(grownTokenizerJson(MODEL_DIR, 65_001), JSON.parse(readFileSync(join(MODEL_DIR, 'tokenizer_config.json'), 'utf8')));
}

const TEXTS = [
  ...(JSON.parse(readFileSync('test/fixtures/tokens-tiny-en-es.json', 'utf8')) as { text: string }[]).slice(0, 400).map((c) => c.text),
  ...(JSON.parse(readFileSync('test/fixtures/everyday-en-es.json', 'utf8')) as { en: string }[]).map((c) => c.en),
  'Ünïcödé, 日本語テキスト, emoji 🙂 and a tab\there',
  'supercalifragilisticexpialidociousness antidisestablishmentarianism',
  '',
];

describe('Unigram piece search without the trie', () => {
  it('gives the ids the trie gives on a 65,001-piece vocabulary', () => {
    const withTrie = bigTokenizer();
    const without = bigTokenizer();
    expect(dropUnigramTrie(without)).toBe(true);
    const differ = TEXTS.filter((t) => JSON.stringify(without.encode(t).ids) !== JSON.stringify(withTrie.encode(t).ids));
    expect(differ).toEqual([]);
    // Glued pieces are really used, so the long prefixes are searched.
    expect(TEXTS.some((t) => withTrie.encode(t).ids.some((id) => id >= 8000))).toBe(true);
  });

  it('leaves a tokenizer that has no Unigram model alone', () => {
    const wordLevel = new Tokenizer(
      { model: { type: 'WordLevel', vocab: { a: 0, '[UNK]': 1 }, unk_token: '[UNK]' }, normalizer: null, pre_tokenizer: { type: 'Whitespace' }, post_processor: null, decoder: null, added_tokens: [] },
      {},
    );
    expect(dropUnigramTrie(wordLevel)).toBe(false);
    expect(wordLevel.encode('a a').ids).toEqual([0, 0]);
  });
});
