// Greedy and beam search over per-step log-probabilities, following the Hugging Face semantics
// the golden fixtures were produced with (see docs/engine.md). Each search owns one source sentence;
// the batch driver feeds it its rows of logits and gathers the KV cache by the parents it picks.
import { greedyToken, logProbsInto, tokenLogProb, type LogitRules } from './logits.js';

export interface Hypothesis {
  /** Generated ids after the start token; ends with EOS when the hypothesis finished on it. */
  ids: number[];
  score: number;
}

export interface SearchStep {
  /** For each next-step row of this search: the row (0-based within this search) it continues. */
  parents: number[];
}

export interface Search {
  /** Decoder rows this search occupies (1 for greedy, num_beams for beam search). */
  readonly rows: number;
  /** Tokens to feed the decoder next, one per row. */
  readonly lastTokens: readonly number[];
  readonly done: boolean;
  /** Consumes logits rows [rowStart, rowStart + rows); `curLen` counts decoder input tokens incl. start. */
  step(logits: Float32Array, rowStart: number, vocab: number, curLen: number): SearchStep;
  /** Best-first hypotheses once done. */
  results(): Hypothesis[];
}

export interface SearchOptions extends LogitRules {
  decoderStartId: number;
  numBeams: number;
  lengthPenalty: number;
  nBest: number;
  /**
   * Greedy only: whether to work out the hypothesis score (mean log-probability). That costs an
   * exp over the vocabulary per token; the batch driver turns it off because nothing reads a
   * greedy score (alternatives need beams). Scores then read NaN. Default true.
   */
  greedyScores?: boolean;
}

export function createSearch(options: SearchOptions): Search {
  return options.numBeams <= 1 ? new GreedySearch(options) : new BeamSearch(options);
}

class GreedySearch implements Search {
  readonly rows = 1;
  done = false;
  private readonly ids: number[] = [];
  private sum = 0;
  private last: number;

  constructor(private readonly options: SearchOptions) {
    this.last = options.decoderStartId;
  }

  get lastTokens(): readonly number[] {
    return [this.last];
  }

  step(logits: Float32Array, rowStart: number, vocab: number, curLen: number): SearchStep {
    const offset = rowStart * vocab;
    const best = greedyToken(logits, offset, vocab, curLen, this.options);
    this.ids.push(best);
    if (this.options.greedyScores !== false) this.sum += tokenLogProb(logits, offset, vocab, curLen, this.options, best);
    this.last = best;
    if (best === this.options.eosId || curLen + 1 >= this.options.maxLength) this.done = true;
    return { parents: [0] };
  }

  results(): Hypothesis[] {
    const score = this.options.greedyScores === false ? NaN : this.sum / Math.max(1, this.ids.length) ** this.options.lengthPenalty;
    return [{ ids: this.ids, score }];
  }
}

interface Finished {
  score: number;
  ids: number[];
}

/** HF `BeamHypotheses`: the best `numBeams` finished hypotheses and the worst score among them. */
class Hypotheses {
  readonly beams: Finished[] = [];
  private worst = 1e9;

  constructor(
    private readonly numBeams: number,
    private readonly lengthPenalty: number,
  ) {}

  add(ids: number[], sumLogProbs: number, length: number): void {
    const score = sumLogProbs / length ** this.lengthPenalty;
    if (this.beams.length < this.numBeams || score > this.worst) {
      this.beams.push({ score, ids });
      if (this.beams.length > this.numBeams) {
        const order = this.beams.map((b, i) => [b.score, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        this.beams.splice(order[0]![1], 1);
        this.worst = order[1]![0];
      } else {
        this.worst = Math.min(score, this.worst);
      }
    }
  }

  isDone(bestSumLogProbs: number, curLen: number): boolean {
    if (this.beams.length < this.numBeams) return false;
    return this.worst >= bestSumLogProbs / curLen ** this.lengthPenalty;
  }
}

class BeamSearch implements Search {
  readonly rows: number;
  done = false;
  private tokens: number[][];
  private scores: Float32Array;
  private readonly hyps: Hypotheses;
  private buf = new Float32Array(0);
  private readonly topVal: Float32Array;
  private readonly topIdx: Int32Array;

  constructor(private readonly options: SearchOptions) {
    const b = options.numBeams;
    this.rows = b;
    this.tokens = Array.from({ length: b }, () => []);
    // Only beam 0 is live at first; the others start at -1e9 so step 0 does not pick duplicates.
    this.scores = new Float32Array(b).fill(-1e9);
    this.scores[0] = 0;
    this.hyps = new Hypotheses(b, options.lengthPenalty);
    this.topVal = new Float32Array(2 * b);
    this.topIdx = new Int32Array(2 * b);
  }

  get lastTokens(): readonly number[] {
    return this.tokens.map((t) => (t.length ? t[t.length - 1]! : this.options.decoderStartId));
  }

  step(logits: Float32Array, rowStart: number, vocab: number, curLen: number): SearchStep {
    const { numBeams: b, eosId, maxLength } = this.options;
    if (this.buf.length !== vocab) this.buf = new Float32Array(vocab);
    const k = 2 * b;
    let count = 0;
    for (let beam = 0; beam < b; beam++) {
      logProbsInto(logits, (rowStart + beam) * vocab, vocab, curLen, this.options, this.buf);
      const base = this.scores[beam]!;
      for (let v = 0; v < vocab; v++) {
        const value = Math.fround(base + this.buf[v]!);
        // Strictly greater: on ties the lower flat index (seen first) keeps its rank.
        if (count === k && !(value > this.topVal[k - 1]!)) continue;
        let pos = count < k ? count : k - 1;
        while (pos > 0 && this.topVal[pos - 1]! < value) {
          this.topVal[pos] = this.topVal[pos - 1]!;
          this.topIdx[pos] = this.topIdx[pos - 1]!;
          pos--;
        }
        this.topVal[pos] = value;
        this.topIdx[pos] = beam * vocab + v;
        if (count < k) count++;
      }
    }

    const parents: number[] = [];
    const nextTokens: number[][] = [];
    const nextScores: number[] = [];
    for (let rank = 0; rank < k && parents.length < b; rank++) {
      const flat = this.topIdx[rank]!;
      const beam = Math.floor(flat / vocab);
      const token = flat - beam * vocab;
      const value = this.topVal[rank]!;
      if (token === eosId) {
        if (rank >= b) continue;
        this.hyps.add([...this.tokens[beam]!, eosId], value, curLen);
      } else {
        parents.push(beam);
        nextTokens.push([...this.tokens[beam]!, token]);
        nextScores.push(value);
      }
    }
    this.tokens = nextTokens;
    this.scores = Float32Array.from(nextScores);

    if (this.hyps.isDone(this.topVal[0]!, curLen)) {
      this.done = true;
    } else if (curLen + 1 >= maxLength) {
      for (let beam = 0; beam < b; beam++) this.hyps.add(this.tokens[beam]!, this.scores[beam]!, curLen + 1);
      this.done = true;
    }
    return { parents };
  }

  results(): Hypothesis[] {
    // HF sorts ascending (stable) and pops from the end: on equal scores the later one wins.
    const sorted = this.hyps.beams.slice().sort((a, b) => a.score - b.score);
    const out: Hypothesis[] = [];
    for (let i = 0; i < this.options.nBest && sorted.length; i++) out.push(sorted.pop()!);
    return out;
  }
}
