// Protected spans benchmark (`npm run bench:protect`), the bundled model in this process.
//   1. The held-out Debian localization strings (test/fixtures/localization-strings.json),
//      greedy and beam 4: how outputs were reached (masked / split / flagged), spans kept.
//   2. chrF on held-out en/es pairs from Debian's Spanish catalogues (bench/data/heldout-pairs-es.json,
//      built by tools/fixtures/localization_set.py): protection on vs off, all pairs and the pairs
//      without spans (whose outputs must be identical).
//   3. Throughput, side by side in one run: text without spans on vs off (ratio), and the cost of
//      protection on text with spans.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MarianModel } from '../dist/workers/marian/marian-model.js';
import { ProtectingTranslator, keepsSpans } from '../dist/core/protect/protecting-translator.js';
import { findSpans } from '../dist/core/protect/spans.js';
import { chrfCorpus as chrf } from './chrf.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const LIMITS = { maxBatchTokens: 4096, maxBatchSentences: 64 };
const model = await MarianModel.load(join(root, 'resources/models/parla-tiny-en-es'), { intraOpNumThreads: 2 });
const bare = {
  async translate(request) {
    const out = await model.translate(request.texts, request.to, request.options ?? {}, LIMITS, request.from);
    return out.map((t, i) => ({ source: request.texts[i], text: t.text, model: 'tiny', cached: false, ms: 0, ...(t.alternatives ? { alternatives: t.alternatives } : {}) }));
  },
};


async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

const strings = JSON.parse(readFileSync(join(root, 'test/fixtures/localization-strings.json'), 'utf8')).strings.map((s) => s.source).filter((s) => findSpans(s).length);
const pairs = JSON.parse(readFileSync(join(root, 'bench/data/heldout-pairs-es.json'), 'utf8')).pairs;
const results = { when: new Date().toISOString(), model: 'parla/tiny-en-es', strings: strings.length, pairs: pairs.length };

// 1. How outputs were reached.
for (const [mode, beam] of [['greedy', 1], ['beam4', 4]]) {
  const protector = new ProtectingTranslator(bare);
  const out = await protector.translate({ texts: strings, to: 'es', options: { beam } });
  const kept = out.filter((t) => keepsSpans(t.source, t.text) && !t.flags).length;
  results[mode] = { ...protector.stats, keptPercent: (100 * kept) / strings.length };
  console.log(`${mode}: ${strings.length} strings with spans: masked ${protector.stats.masked}, split ${protector.stats.split}, flagged ${protector.stats.flagged}; kept ${kept}/${strings.length}`);
}

// 2. chrF on held-out pairs, on vs off.
{
  const en = pairs.map((p) => p.en);
  const ref = pairs.map((p) => p.es);
  const off = (await bare.translate({ texts: en, to: 'es' })).map((t) => t.text);
  const on = (await new ProtectingTranslator(bare).translate({ texts: en, to: 'es' })).map((t) => t.text);
  const plain = en.map((s, i) => i).filter((i) => findSpans(en[i]).length === 0);
  const spans = en.map((s, i) => i).filter((i) => findSpans(en[i]).length > 0);
  const pick = (list, idx) => idx.map((i) => list[i]);
  results.chrf = {
    allOff: chrf(off, ref),
    allOn: chrf(on, ref),
    withSpansOff: chrf(pick(off, spans), pick(ref, spans)),
    withSpansOn: chrf(pick(on, spans), pick(ref, spans)),
    withoutSpans: plain.length,
    withoutSpansIdentical: plain.filter((i) => on[i] === off[i]).length,
    withSpans: spans.length,
  };
  console.log('chrF', results.chrf);
}

// 3. Throughput, interleaved rounds so the machine's noise hits both sides alike.
{
  const plainTexts = pairs.map((p) => p.en).filter((s) => findSpans(s).length === 0).slice(0, 200);
  const spanTexts = strings.slice(0, 200);
  const protector = new ProtectingTranslator(bare);
  const rounds = { plainOff: [], plainOn: [], spansOff: [], spansOn: [] };
  for (let r = 0; r < 3; r++) {
    rounds.plainOff.push((await timed(() => bare.translate({ texts: plainTexts, to: 'es' }))).ms);
    rounds.plainOn.push((await timed(() => protector.translate({ texts: plainTexts, to: 'es' }))).ms);
    rounds.spansOff.push((await timed(() => bare.translate({ texts: spanTexts, to: 'es' }))).ms);
    rounds.spansOn.push((await timed(() => protector.translate({ texts: spanTexts, to: 'es' }))).ms);
  }
  const best = (xs) => Math.min(...xs);
  results.throughput = {
    plainTexts: plainTexts.length,
    spanTexts: spanTexts.length,
    msBest: Object.fromEntries(Object.entries(rounds).map(([k, v]) => [k, Math.round(best(v))])),
    plainOnOverOff: best(rounds.plainOn) / best(rounds.plainOff),
    spansOnOverOff: best(rounds.spansOn) / best(rounds.spansOff),
  };
  console.log('throughput', results.throughput);
}

// 4. Detection cost on a long text: spans found per ms.
{
  const text = Array.from({ length: 10_000 }, (_, i) => `word {p${i}} <b>x</b>`).join(' ');
  const { ms } = await timed(() => findSpans(text));
  results.detect10kPlaceholdersMs = ms;
}

mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/protect.json'), JSON.stringify(results, null, 2) + '\n');
const c = results.chrf;
writeFileSync(
  join(root, 'bench/results/protect.md'),
  `# bench:protect (${results.when})

Bundled model, in process. Strings with spans: ${results.strings} held-out Debian msgids.

| | greedy | beam 4 |
|---|---|---|
| masked output kept every span | ${results.greedy.masked} | ${results.beam4.masked} |
| translated around the spans (split) | ${results.greedy.split} | ${results.beam4.split} |
| flagged \`spans\` | ${results.greedy.flagged} | ${results.beam4.flagged} |
| spans kept | ${results.greedy.keptPercent.toFixed(1)} % | ${results.beam4.keptPercent.toFixed(1)} % |

chrF on ${results.pairs} held-out en→es pairs from Debian's catalogues: off ${c.allOff.toFixed(2)}, on ${c.allOn.toFixed(2)}
(the ${c.withSpans} with spans: off ${c.withSpansOff.toFixed(2)}, on ${c.withSpansOn.toFixed(2)}; the ${c.withoutSpans} without: ${c.withoutSpansIdentical} identical outputs).

Throughput (best of 3 interleaved rounds): text without spans on/off ${results.throughput.plainOnOverOff.toFixed(3)}×
time; text with spans on/off ${results.throughput.spansOnOverOff.toFixed(2)}× time. Span detection on a 10,000-placeholder text: ${results.detect10kPlaceholdersMs.toFixed(1)} ms.
`,
);
console.log(readFileSync(join(root, 'bench/results/protect.md'), 'utf8'));
