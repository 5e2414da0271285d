import { describe, expect, it } from 'vitest';
import { createSearch, type Search, type SearchOptions } from '../../src/workers/marian/search.js';
import { tokenLogProb } from '../../src/workers/marian/logits.js';

// A hand-made "model": the next-token distribution depends only on the previous token.
// vocab: 0 = pad/start, 1 = eos, 2..4 = words.
const V = 5;
const table: Record<number, number[]> = {
  0: [0, 0.0, 2.0, 1.9, -5],
  2: [0, 0.5, -5, -5, 0.4], // after 2: eos slightly preferred over 4, but both mediocre
  3: [0, 3.0, -5, -5, -5], // after 3: eos, confidently
  4: [0, 2.0, -5, -5, -5],
};

function run(search: Search): void {
  for (let curLen = 1; !search.done; curLen++) {
    const last = search.lastTokens;
    const logits = new Float32Array(last.length * V);
    last.forEach((t, r) => logits.set(table[t]!, r * V));
    search.step(logits, 0, V, curLen);
  }
}

const base: SearchOptions = {
  eosId: 1,
  forcedEosId: 1,
  badTokenIds: [0],
  maxLength: 10,
  decoderStartId: 0,
  numBeams: 1,
  lengthPenalty: 1,
  nBest: 1,
};

function logSoftmax(row: number[]): number[] {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((s, x) => s + Math.exp(x - m), 0));
  return row.map((x) => x - lse);
}

describe('greedy search', () => {
  it('takes the argmax, never pad, and keeps the final eos', () => {
    const s = createSearch(base);
    run(s);
    expect(s.results()[0]!.ids).toEqual([2, 1]);
  });

  it('forces eos at max_length - 1', () => {
    const s = createSearch({ ...base, maxLength: 2 });
    run(s);
    expect(s.results()[0]!.ids).toEqual([1]);
  });
});

describe('beam search', () => {
  it('finds the better-scoring path greedy misses, with HF length-normalised scores', () => {
    const s = createSearch({ ...base, numBeams: 2, nBest: 2 });
    run(s);
    const [best, second] = s.results();
    expect(best!.ids).toEqual([3, 1]);
    // Pad is masked after log_softmax, so it still counts in the normaliser.
    const lp0 = logSoftmax(table[0]!);
    const lp3 = logSoftmax(table[3]!);
    // Finished at cur_len 2 (start + one token before eos).
    expect(best!.score).toBeCloseTo((lp0[3]! + lp3[1]!) / 2, 5);
    // 2→4→eos beats 2→eos once divided by its length (-1.93/3 > -1.70/2).
    expect(second!.ids).toEqual([2, 4, 1]);
  });

  it('ends running beams at max_length with their cumulative score', () => {
    const s = createSearch({ ...base, numBeams: 2, nBest: 2, maxLength: 2 });
    run(s);
    const res = s.results();
    expect(res[0]!.ids).toEqual([1]);
    expect(res.length).toBe(2);
  });
});

describe('greedy token pick', () => {
  it('takes the first maximum of the raw logits, skipping bad tokens, and scores only on request', () => {
    const logits = Float32Array.from([9, 1, 3, 3, 2]); // pad (0) is highest but banned; 2 and 3 tie
    const scored = createSearch(base);
    scored.step(logits, 0, V, 1);
    const unscored = createSearch({ ...base, greedyScores: false });
    unscored.step(logits, 0, V, 1);
    expect(scored.lastTokens).toEqual([2]);
    expect(unscored.lastTokens).toEqual([2]);
    // Greedy scores are a confidence, read from an exp table: exact to 1e-3 (logits.ts).
    expect(Math.abs(scored.results()[0]!.score - logSoftmax([9, 1, 3, 3, 2])[2]!)).toBeLessThan(1e-3);
    expect(unscored.results()[0]!.score).toBeNaN();
  });
});

describe('greedy token scoring', () => {
  it('matches log_softmax within 1e-3 on real-shaped rows, whichever logit is the largest', () => {
    const V = 8000;
    const rules = { eosId: 0, forcedEosId: 0, badTokenIds: [V - 1], maxLength: 100 };
    for (let seed = 1; seed <= 20; seed++) {
      let x = seed;
      const random = () => ((x = (x * 16807) % 2147483647) / 2147483647);
      const row = Float32Array.from({ length: V }, () => 10 - 16 * Math.sqrt(random()));
      const token = seed % 7;
      if (seed % 2) row[V - 1] = 12; // a banned token above the choice: the sum is rescaled
      const exact = logSoftmax([...row])[token]!;
      expect(Math.abs(tokenLogProb(row, 0, V, 1, rules, token) - exact)).toBeLessThan(1e-3);
    }
  });
});
