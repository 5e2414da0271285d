// Detection benchmark (`npm run bench:detect`): Parla's language detector on labelled strings
// from Debian's catalogues (test/fixtures/detect-strings.json, tools/fixtures/detect_set.py),
// by length bucket (1–2 words, 3–5, 6+):
//   - nine languages, no prior: right, wrong and unsure rates (unsure counts as not right);
//   - en/es strings with the prior of an en→es install (expected = en, es);
//   - the issue's bar: 2–12 word strings in en, es, fr, de, it, pt;
//   - eld's bare best guess (no unsure) for comparison;
//   - wrong_language on the bundled model's real outputs for 421 held-out en→es pairs (how often
//     a Spanish output would be flagged) and same_language on their English sources;
//   - cost: load time once, then per text (p50, p99).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LanguageDetector, DETECTABLE_LANGUAGES } from '../dist/core/detect/detector.js';
import { wrongLanguage } from '../dist/core/detect/flags.js';
import { MarianModel } from '../dist/workers/marian/marian-model.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { items } = JSON.parse(readFileSync(join(root, 'test/fixtures/detect-strings.json'), 'utf8'));
const words = (t) => (t.match(/\p{L}+/gu) ?? []).length;

let t0 = performance.now();
const detector = await LanguageDetector.load();
const loadMs = performance.now() - t0;

function score(rows, options = {}) {
  const out = {};
  for (const it of rows) {
    const d = detector.detect(it.text, options);
    const b = (out[it.bucket] ??= { n: 0, right: 0, wrong: 0, unsure: 0 });
    b.n++;
    if (!d.language) b.unsure++;
    else if (d.language === it.lang) b.right++;
    else b.wrong++;
  }
  return Object.fromEntries(
    Object.entries(out).map(([k, b]) => [k, { n: b.n, right: b.right / b.n, wrong: b.wrong / b.n, unsure: b.unsure / b.n, precision: b.right / Math.max(1, b.right + b.wrong) }]),
  );
}

function bare(rows) {
  const out = {};
  for (const it of rows) {
    const s = Object.entries(detector.scores(it.text)).sort((a, b) => b[1] - a[1]);
    const b = (out[it.bucket] ??= { n: 0, right: 0 });
    b.n++;
    if (s[0]?.[0] === it.lang) b.right++;
  }
  return Object.fromEntries(Object.entries(out).map(([k, b]) => [k, b.right / b.n]));
}

const nine = score(items);
const enEsRows = items.filter((i) => i.lang === 'en' || i.lang === 'es');
const enEs = score(enEsRows, { expected: ['en', 'es'] });
const six = ['en', 'es', 'fr', 'de', 'it', 'pt'];
const issueRows = items.filter((i) => six.includes(i.lang) && words(i.text) >= 2 && words(i.text) <= 12).map((i) => ({ ...i, bucket: '2-12' }));
const issue = score(issueRows)['2-12'];
const issueBare = bare(issueRows)['2-12'];
const bareNine = bare(items);

// Real model outputs: would a Spanish translation be flagged wrong_language? Would its English
// source be taken for Spanish (same_language, no model call)?
const pairs = JSON.parse(readFileSync(join(root, 'bench/data/heldout-pairs-es.json'), 'utf8')).pairs;
const model = await MarianModel.load(join(root, 'resources/models/parla-tiny-en-es'), { intraOpNumThreads: 2 });
const outputs = await model.translate(pairs.map((p) => p.en), 'es', {}, { maxBatchTokens: 4096, maxBatchSentences: 64 });
await model.dispose?.();
const flaggedOutputs = outputs.filter((o) => wrongLanguage(detector, o.text, 'es'));
const sourcesAsEs = pairs.filter((p) => detector.detect(p.en, { expected: ['en', 'es'] }).language === 'es');
const refsFlagged = pairs.filter((p) => wrongLanguage(detector, p.es, 'es'));

// Cost per text, every fixture string once, three rounds (the first warms the JIT).
const times = [];
for (let round = 0; round < 3; round++) {
  for (const it of items) {
    t0 = performance.now();
    detector.detect(it.text, { expected: ['en', 'es'] });
    if (round > 0) times.push(performance.now() - t0);
  }
}
times.sort((a, b) => a - b);
const pct = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];

const result = {
  when: new Date().toISOString(),
  strings: items.length,
  languages: DETECTABLE_LANGUAGES,
  nineLanguages: nine,
  nineLanguagesBareEld: bareNine,
  enEsWithPrior: enEs,
  issue2to12SixLanguages: { ...issue, bareEld: issueBare },
  heldOutEnEs: {
    pairs: pairs.length,
    outputsFlaggedWrongLanguage: flaggedOutputs.length,
    referencesFlaggedWrongLanguage: refsFlagged.length,
    englishSourcesTakenForSpanish: sourcesAsEs.length,
    examples: flaggedOutputs.slice(0, 8).map((o) => o.text),
  },
  cost: { loadMs, p50Ms: pct(0.5), p99Ms: pct(0.99) },
};
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/detect.json'), JSON.stringify(result, null, 2) + '\n');

const f = (x) => `${(100 * x).toFixed(1)} %`;
const table = (r) =>
  ['| bucket | strings | right | wrong | unsure | precision of answers |', '|---|---|---|---|---|---|']
    .concat(Object.entries(r).map(([k, b]) => `| ${k} words | ${b.n} | ${f(b.right)} | ${f(b.wrong)} | ${f(b.unsure)} | ${f(b.precision)} |`))
    .join('\n');
const md = `# bench:detect (${result.when})

Labelled strings from Debian's catalogues (\`test/fixtures/detect-strings.json\`, ${items.length} strings,
200 per language and bucket). "Unsure" means the detector declined to answer (callers then fall
back to the declared or model source language); it counts as not right.

## Nine languages (${DETECTABLE_LANGUAGES.join(', ')}), no prior

${table(nine)}

eld's bare best guess (never unsure): ${Object.entries(bareNine).map(([k, v]) => `${k}: ${f(v)}`).join(' · ')}

## en/es strings, prior of an en→es install (expected: en, es)

${table(enEs)}

## 2–12 words, six languages (en, es, fr, de, it, pt), no prior

${issue.n} strings: right ${f(issue.right)}, wrong ${f(issue.wrong)}, unsure ${f(issue.unsure)}; eld's bare best guess ${f(issueBare)}.

## On real translations (${pairs.length} held-out en→es pairs, bundled model, greedy)

- outputs flagged \`wrong_language\`: ${flaggedOutputs.length}; references flagged: ${refsFlagged.length}
- English sources taken for Spanish (would pass through as \`same_language\`): ${sourcesAsEs.length}

## Cost

Load (eld's large table, once per process): ${loadMs.toFixed(0)} ms. Per text: p50 ${(pct(0.5) * 1000).toFixed(0)} µs, p99 ${(pct(0.99) * 1000).toFixed(0)} µs.
`;
writeFileSync(join(root, 'bench/results/detect.md'), md);
console.log(md);
