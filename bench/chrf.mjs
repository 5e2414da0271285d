// chrF (character 6-grams, beta 2, whitespace ignored), as sacrebleu defines it without word
// n-grams: one statistics function, a corpus score (bench:protect) and a sentence score
// (bench:review's ranking of confidence).
const N = 6;
const BETA2 = 4;

/** Per n-gram order: [matches, n-grams in the hypothesis, n-grams in the reference]. */
export function chrfStats(hyp, ref) {
  const [h, r] = [hyp, ref].map((s) => s.replace(/\s+/g, ''));
  const grams = (s, n) => {
    const m = new Map();
    for (let i = 0; i + n <= s.length; i++) m.set(s.slice(i, i + n), (m.get(s.slice(i, i + n)) ?? 0) + 1);
    return m;
  };
  const out = [];
  for (let n = 1; n <= N; n++) {
    const [gh, gr] = [grams(h, n), grams(r, n)];
    let match = 0;
    for (const [g, c] of gh) match += Math.min(c, gr.get(g) ?? 0);
    out.push([match, Math.max(0, h.length - n + 1), Math.max(0, r.length - n + 1)]);
  }
  return out;
}

function score(stats) {
  let p = 0;
  let r = 0;
  let np = 0;
  let nr = 0;
  for (const [match, hyp, ref] of stats) {
    if (hyp) {
      p += match / hyp;
      np++;
    }
    if (ref) {
      r += match / ref;
      nr++;
    }
  }
  p = np ? p / np : 0;
  r = nr ? r / nr : 0;
  return p + r === 0 ? 0 : (100 * (1 + BETA2) * p * r) / (BETA2 * p + r);
}

export const chrfSentence = (hyp, ref) => score(chrfStats(hyp, ref));

export function chrfCorpus(hyps, refs) {
  const total = Array.from({ length: N }, () => [0, 0, 0]);
  hyps.forEach((hyp, k) => chrfStats(hyp, refs[k]).forEach((s, n) => s.forEach((v, j) => (total[n][j] += v))));
  return score(total);
}
