// Review benchmark (`npm run bench:review`): how well `confidence` ranks outputs by quality, and
// how often each review flag fires, on held-out en→es pairs from Debian's catalogues
// (bench/data/heldout-pairs-es.json; never trained on), bundled model, greedy, in process.
//   - Spearman correlation of confidence with sentence-level chrF;
//   - mean chrF of the 20 % lowest-confidence outputs vs the rest;
//   - the low_confidence threshold's precision (flagged outputs with chrF < 40) and rate;
//   - the reference length ratio (es chars / en chars) percentiles that bound the `length` flag.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MarianModel } from '../dist/workers/marian/marian-model.js';
import { reviewFlags, REVIEW_DEFAULTS } from '../dist/core/review/flags.js';
import { chrfSentence } from './chrf.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const model = await MarianModel.load(join(root, 'resources/models/parla-tiny-en-es'), { intraOpNumThreads: 2 });
const pairs = JSON.parse(readFileSync(join(root, 'bench/data/heldout-pairs-es.json'), 'utf8')).pairs;


function ranks(xs) {
  const order = xs.map((x, i) => [x, i]).sort((a, b) => a[0] - b[0]);
  const out = new Array(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) out[order[k][1]] = (i + j) / 2;
    i = j + 1;
  }
  return out;
}
function spearman(a, b) {
  const [ra, rb] = [ranks(a), ranks(b)];
  const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const [ma, mb] = [mean(ra), mean(rb)];
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i] - ma) * (rb[i] - mb);
    da += (ra[i] - ma) ** 2;
    db += (rb[i] - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}
const percentile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

const t0 = performance.now();
const out = await model.translate(pairs.map((p) => p.en), 'es', {}, { maxBatchTokens: 4096, maxBatchSentences: 64 });
const ms = performance.now() - t0;
const rows = out.map((t, i) => ({ en: pairs[i].en, ref: pairs[i].es, hyp: t.text, confidence: Math.exp(t.score), chrf: chrfSentence(t.text, pairs[i].es) }));
const rho = spearman(rows.map((r) => r.confidence), rows.map((r) => r.chrf));
const byConf = [...rows].sort((a, b) => a.confidence - b.confidence);
const cut = Math.floor(rows.length * 0.2);
const mean = (xs) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const low = mean(byConf.slice(0, cut).map((r) => r.chrf));
const rest = mean(byConf.slice(cut).map((r) => r.chrf));
const flagged = rows.filter((r) => r.confidence < REVIEW_DEFAULTS.minConfidence);
const lengthRatios = pairs.filter((p) => p.en.length >= 20).map((p) => p.es.length / p.en.length);
const flagCounts = {};
for (const r of rows) for (const f of reviewFlags(r.en, r.hyp, r.confidence)) flagCounts[f] = (flagCounts[f] ?? 0) + 1;
const examples = Object.fromEntries(
  ['repetition', 'untranslated', 'length'].map((f) => [f, rows.filter((r) => reviewFlags(r.en, r.hyp, r.confidence).includes(f)).slice(0, 8).map((r) => `${r.en} → ${r.hyp}`)]),
);

const results = {
  when: new Date().toISOString(),
  pairs: rows.length,
  msTotal: Math.round(ms),
  spearmanConfidenceChrf: rho,
  chrfLowest20: low,
  chrfRest: rest,
  gap: rest - low,
  lowConfidence: { threshold: REVIEW_DEFAULTS.minConfidence, rate: flagged.length / rows.length, precisionChrfUnder40: mean(flagged.map((r) => (r.chrf < 40 ? 1 : 0))), restUnder40: mean(rows.filter((r) => r.confidence >= REVIEW_DEFAULTS.minConfidence).map((r) => (r.chrf < 40 ? 1 : 0))) },
  confidencePercentiles: { p10: percentile(rows.map((r) => r.confidence), 0.1), p20: percentile(rows.map((r) => r.confidence), 0.2), p50: percentile(rows.map((r) => r.confidence), 0.5) },
  referenceLengthRatio: { p01: percentile(lengthRatios, 0.01), p50: percentile(lengthRatios, 0.5), p99: percentile(lengthRatios, 0.99) },
  flagCounts,
  examples,
};
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/review.json'), JSON.stringify(results, null, 2) + '\n');
console.log(JSON.stringify(results, null, 2));
