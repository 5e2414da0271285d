import { describe, expect, it } from 'vitest';
import { joinPieces, splitAtWhitespace, splitSentences } from '../../src/workers/marian/sentences.js';
import { gatherRows } from '../../src/workers/marian/tensor-gather.js';

describe('sentence splitting', () => {
  it('keeps whitespace and line breaks between sentences', () => {
    const text = '  Hello there.  How are you?\n\nFine!\n';
    const pieces = splitSentences(text);
    expect(pieces.map((p) => p.core).filter(Boolean)).toEqual(['Hello there.', 'How are you?', 'Fine!']);
    const cores = pieces.filter((p) => p.core).length;
    expect(cores).toBe(3);
    let k = 0;
    expect(joinPieces(pieces, pieces.map((p) => (p.core ? 'ABC'[k++]! : '')))).toBe('  A  B\n\nC\n');
  });

  it("splits under a locale that Intl cannot read (a model's own code such as pt_BR, or none) instead of throwing", () => {
    for (const locale of ['pt_BR', 'es_ES', 'x', '']) {
      expect(splitSentences('Uno. Dos.', locale).map((p) => p.core)).toEqual(['Uno.', 'Dos.']);
    }
  });

  it('splits an over-long sentence at whitespace', () => {
    const pieces = splitAtWhitespace('one two  three four five', 3, (s) => s.split(/\s+/).length + 1);
    expect(pieces.map((p) => p.core)).toEqual(['one two', 'three four', 'five']);
    expect(joinPieces(pieces, ['1', '2', '3'])).toBe('1  2 3');
  });
});

describe('gatherRows', () => {
  it('copies rows in the requested order, repeating as needed', () => {
    const data = Float32Array.from([1, 2, 3, 4, 5, 6]);
    expect([...gatherRows(data, 2, [2, 0, 0])]).toEqual([5, 6, 1, 2, 1, 2]);
    expect([...gatherRows(BigInt64Array.from([1n, 2n]), 1, [1])]).toEqual([2n]);
  });
});
