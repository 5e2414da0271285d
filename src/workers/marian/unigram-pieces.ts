// @huggingface/tokenizers' Unigram model finds the pieces that start at each position of a word
// with a character trie built at load: one object and one Map per node, about 240 bytes a node.
// For an OPUS-MT vocabulary (58-65k pieces, 75-135k nodes) that is 17-32 MB of the model host's
// heap, held as long as the model is (bench/tokenizer-memory.mjs). The same search over the
// model's own piece → id map (every prefix up to the longest piece, shortest first, as the trie
// yields them) finds the same pieces in the same order and holds nothing more. It tries more
// prefixes than the trie walks (1.5-3.8× the encoding time, about 0.3 ms a sentence on a 65k
// vocabulary, next to tens of ms of decoding); a set of the pieces' prefixes to stop early cost
// 5-20 MB. Only the search structure changes; the library still does the tokenizing.
import type { Tokenizer } from '@huggingface/tokenizers';

/** What the library's Unigram model has (0.2.x); anything else is left alone. */
interface UnigramModel {
  trie?: { common_prefix_search(chars: string[], start?: number): Iterable<string> };
  tokens_to_ids?: Map<string, number>;
}

/** Replaces a Unigram tokenizer's trie with a search of its piece map; false when it has none. */
export function dropUnigramTrie(tokenizer: Tokenizer): boolean {
  const model = (tokenizer as unknown as { model?: UnigramModel }).model;
  const pieces = model?.tokens_to_ids;
  if (!model || typeof model.trie?.common_prefix_search !== 'function' || !(pieces instanceof Map)) return false;
  let longest = 0; // in code points
  for (const piece of pieces.keys()) longest = Math.max(longest, Array.from(piece).length);
  model.trie = {
    // `chars` are code points (the library's lattice splits with Array.from), as the trie's keys were.
    *common_prefix_search(chars: string[], start = 0): Iterable<string> {
      let prefix = '';
      const end = Math.min(chars.length, start + longest);
      for (let i = start; i < end; i++) {
        prefix += chars[i];
        if (pieces.has(prefix)) yield prefix;
      }
    },
  };
  return true;
}
