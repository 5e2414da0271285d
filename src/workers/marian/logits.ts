// Turning one row of decoder logits into the log-probabilities the search compares, with the
// Marian generation rules applied: pad (bad_words_ids) never generated, EOS forced at max length.

export interface LogitRules {
  eosId: number;
  /** The token forced at the last position (forced_eos_token_id). */
  forcedEosId: number;
  /** Single-token bad_words_ids entries (Marian: [[pad]]). */
  badTokenIds: readonly number[];
  maxLength: number;
}

/**
 * Writes log_softmax(logits[offset .. offset+vocab)) into `out` (float32, like the reference),
 * then applies the rules for a decoder input of `curLen` tokens (start token included).
 */
export function logProbsInto(
  logits: Float32Array,
  offset: number,
  vocab: number,
  curLen: number,
  rules: LogitRules,
  out: Float32Array,
): void {
  if (curLen === rules.maxLength - 1) {
    // Forced EOS: the only finite choice left is to end the sequence.
    out.fill(-Infinity, 0, vocab);
    out[rules.forcedEosId] = 0;
    return;
  }
  let max = -Infinity;
  for (let i = 0; i < vocab; i++) {
    const v = logits[offset + i]!;
    if (v > max) max = v;
  }
  let sum = 0;
  for (let i = 0; i < vocab; i++) sum += Math.exp(logits[offset + i]! - max);
  const logSum = max + Math.log(sum);
  for (let i = 0; i < vocab; i++) out[i] = logits[offset + i]! - logSum;
  for (const id of rules.badTokenIds) out[id] = -Infinity;
}
