// The model host's piece search for Unigram tokenizers (src/workers/marian/unigram-pieces.ts):
// the same ids as the library's own trie on an OPUS-MT-size vocabulary, for much less memory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { dropUnigramTrie } from '../../src/workers/marian/unigram-pieces.js';
import { MODEL_DIR } from './model-fixture.js';

/** The bundled tokenizer grown to 65,001 pieces with pieces glued from its own (an OPUS-MT-size vocabulary). */
function bigTokenizer(): Tokenizer {
  const json = JSON.parse(readFileSync(join(MODEL_DIR, 'tokenizer.json'), 'utf8')) as { model: { vocab: [string, number][] } };
  const vocab = json.model.vocab;
  const seen = new Set(vocab.map(([p]) => p));
  const glued: [string, number][] = [];
  const n = vocab.length - 3;
  for (let i = 0; glued.length < 65_001 - vocab.length; i++) {
    const piece = vocab[2 + (i % n)]![0] + vocab[2 + ((Math.floor(i / n) * 7919 + i * 13) % n)]![0].replace('▁', '');
    if (seen.has(piece)) continue;
    seen.add(piece);
    glued.push([piece, -12 - (i % 97) / 10]);
  }
  json.model.vocab = [...vocab.slice(0, -1), ...glued, vocab.at(-1)!];
  return new Tokenizer(json, JSON.parse(readFileSync(join(MODEL_DIR, 'tokenizer_config.json'), 'utf8')));
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
