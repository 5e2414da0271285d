// Detection benchmark (`npm run bench:detect`): Parla's language detector on labelled strings
// from Debian's catalogues, test split (test/fixtures/detect-strings.json: catalogues none of
// which, and none of whose strings, fed the word counts or chose a setting; tools/fixtures/
// detect_set.py), side by side in the same run with the detector before this one (`previous`,
// bench/detect-previous.mjs: eld weighted 3 + the word, trigram and name counts of the 65
// installed train catalogues, no word order) and the first one (`first`: eld's large table alone,
// nine languages, a ratio-of-scores confidence):
//   - the issue's bar: 2–12 word strings in en, es, fr, de, it, pt, by catalogue too, and the
//     same on the dev split (which chose the settings);
//   - 1–2 word en/es strings with the prior of an en→es install (the issue's ≥ 90 %);
//   - nine languages, no prior, by length bucket (1–2 words, 3–5, 6+);
//   - each of eld's tables under the new detector: accuracy and load time;
//   - wrong_language on the bundled model's real outputs for 421 held-out en→es pairs, and
//     same_language on their English sources;
//   - cost: load time once, then per text (p50, p99).
// "Unsure" (the detector declines; callers fall back) counts as not right everywhere.
import { readFileSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LanguageDetector, DETECTABLE_LANGUAGES, DEFAULT_ELD_TABLE } from '../dist/core/detect/detector.js';
import { wordsFile } from '../dist/core/detect/words.js';
import { previousDetector as loadPrevious } from './detect-previous.mjs';
import { wrongLanguage } from '../dist/core/detect/flags.js';
import { MarianModel } from '../dist/workers/marian/marian-model.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { items, domains } = JSON.parse(readFileSync(join(root, 'test/fixtures/detect-strings.json'), 'utf8'));
const dev = JSON.parse(readFileSync(join(root, 'test/fixtures/detect-strings.dev.json'), 'utf8')).items;
const words = (t) => (t.match(/\p{L}+/gu) ?? []).length;
const SIX = ['en', 'es', 'fr', 'de', 'it', 'pt'];
const NAMES_CATALOGUE = 'shared-mime-info';

/**
 * The first detector (src/core/detect/detector.ts before the word counts): eld's large table
 * over the nine languages, confidence 1 − (runner-up / best)^13.5, sure at 0.5; for one or two
 * words the expected languages' scores ×1.2; for longer text, when unsure, the best expected
 * language if it leads the other expected ones by the same margin.
 */
async function first() {
  const t0 = performance.now();
  const { eld } = await import('eld/large');
  const loadMs = performance.now() - t0;
  const instance = eld.newInstance();
  instance.setLanguageSubset([...DETECTABLE_LANGUAGES]);
  const sharpness = Math.log(0.5) / Math.log(0.95);
  const lead = (scores, languages) => {
    let best;
    let top = 0;
    let second = 0;
    for (const l of languages) {
      const s = scores[l] ?? 0;
      if (s > top) [second, top, best] = [top, s, l];
      else if (s > second) second = s;
    }
    return best ? { language: best, confidence: 1 - (second / top) ** sharpness } : { confidence: 0 };
  };
  const detect = (text, options = {}) => {
    if ((text.match(/\p{L}/gu) ?? []).length < 2) return {};
    const scores = instance.detect(text).getScores();
    const expected = (options.expected ?? []).filter((l) => l in scores);
    const candidates = options.candidates ?? DETECTABLE_LANGUAGES;
    if (words(text) <= 2) {
      for (const l of expected) scores[l] *= 1.2;
      const short = lead(scores, candidates);
      return short.confidence >= 0.5 ? short : {};
    }
    const all = lead(scores, candidates);
    if (all.confidence >= 0.5) return all;
    const prior = expected.length ? lead(scores, expected) : { confidence: 0 };
    return prior.confidence >= 0.5 ? prior : {};
  };
  const bare = (text, candidates = DETECTABLE_LANGUAGES) => lead(instance.detect(text).getScores(), candidates).language;
  return { loadMs, detect, bare };
}

function score(detect, rows, options = {}, key = (it) => it.bucket) {
  const out = {};
  for (const it of rows) {
    const d = detect(it.text, options);
    const b = (out[key(it)] ??= { n: 0, right: 0, wrong: 0, unsure: 0 });
    b.n++;
    if (!d.language) b.unsure++;
    else if (d.language === it.lang) b.right++;
    else b.wrong++;
  }
  return Object.fromEntries(
    Object.entries(out).map(([k, b]) => [k, { n: b.n, right: b.right / b.n, wrong: b.wrong / b.n, unsure: b.unsure / b.n, precision: b.right / Math.max(1, b.right + b.wrong) }]),
  );
}
const one = (detect, rows, options) => score(detect, rows, options, () => 'all').all;

const old = await first();
let t0 = performance.now();
const detector = await LanguageDetector.load();
const loadMs = performance.now() - t0;
const now = (text, options) => detector.detect(text, options);
t0 = performance.now();
const prev = await loadPrevious(join(root, 'bench/data/detect-words-previous.json'));
const previousLoadMs = performance.now() - t0;
const previousDetector = { detect: prev };
/** now, previous and first on the same strings. */
const three = (rows, options) => ({ now: one(now, rows, options), previous: one(prev, rows, options), first: one(old.detect, rows, options) });

const bar = (rows) => rows.filter((i) => SIX.includes(i.lang) && words(i.text) >= 2 && words(i.text) <= 12);
const issueRows = bar(items);
const withoutNames = issueRows.filter((i) => i.domain !== NAMES_CATALOGUE);
const shortEnEs = items.filter((i) => i.bucket === '1-2' && (i.lang === 'en' || i.lang === 'es'));
const shortOthers = items.filter((i) => i.bucket === '1-2' && i.lang !== 'en' && i.lang !== 'es');
const enEs = { expected: ['en', 'es'] };

const issue2to12 = {
  sixCandidates: three(issueRows, { candidates: SIX }),
  nineCandidates: three(issueRows),
  withoutNamesCatalogue: three(withoutNames, { candidates: SIX }),
  devSixCandidates: three(bar(dev), { candidates: SIX }),
  firstBareEldSix: issueRows.filter((i) => old.bare(i.text, SIX) === i.lang).length / issueRows.length,
  byCatalogue: score(now, issueRows, { candidates: SIX }, (it) => it.domain),
  byCataloguePrevious: score(prev, issueRows, { candidates: SIX }, (it) => it.domain),
};
const short = {
  enEsWithPrior: three(shortEnEs, enEs),
  otherLanguagesWithEnEsPrior: three(shortOthers, enEs),
  devEnEsWithPrior: three(
    dev.filter((i) => i.bucket === '1-2' && (i.lang === 'en' || i.lang === 'es')),
    enEs,
  ),
};
const nine = { now: score(now, items), previous: score(prev, items), first: score(old.detect, items) };

// eld's tables under the new detector: accuracy here, load time in a fresh process each.
const loadScript = (table) =>
  `const t = performance.now(); const { LanguageDetector } = await import(${JSON.stringify(join(root, 'dist/core/detect/detector.js'))}); await LanguageDetector.load({ table: '${table}' }); console.log(performance.now() - t);`;
const tables = {};
for (const table of ['large', 'medium', 'small', 'extrasmall']) {
  const d = table === DEFAULT_ELD_TABLE ? detector : await LanguageDetector.load({ table });
  const detect = (text, options) => d.detect(text, options);
  const fresh = spawnSync(process.execPath, ['--input-type=module', '-e', loadScript(table)], { encoding: 'utf8' });
  tables[table] = { loadMs: Number(fresh.stdout.trim()), issue: one(detect, issueRows, { candidates: SIX }).right, shortEnEs: one(detect, shortEnEs, enEs).right };
}

// Real model outputs: would a Spanish translation be flagged wrong_language? Would its English
// source be taken for Spanish (same_language, no model call)?
const pairs = JSON.parse(readFileSync(join(root, 'bench/data/heldout-pairs-es.json'), 'utf8')).pairs;
const model = await MarianModel.load(join(root, 'resources/models/parla-tiny-en-es'), { intraOpNumThreads: 2 });
const outputs = await model.translate(pairs.map((p) => p.en), 'es', {}, { maxBatchTokens: 4096, maxBatchSentences: 64 });
await model.dispose?.();
const flaggedOutputs = outputs.filter((o) => wrongLanguage(detector, o.text, 'es'));
const sourcesAsEs = pairs.filter((p) => detector.detect(p.en, enEs).language === 'es');
const refsFlagged = pairs.filter((p) => wrongLanguage(detector, p.es, 'es'));
const previousHeldOut = {
  outputsFlaggedWrongLanguage: outputs.filter((o) => wrongLanguage(previousDetector, o.text, 'es')).length,
  referencesFlaggedWrongLanguage: pairs.filter((p) => wrongLanguage(previousDetector, p.es, 'es')).length,
  englishSourcesTakenForSpanish: pairs.filter((p) => previousDetector.detect(p.en, enEs).language === 'es').length,
};

// Cost per text, every fixture string once, three rounds (the first warms the JIT).
function cost(detect) {
  const times = [];
  for (let round = 0; round < 3; round++) {
    for (const it of items) {
      const t = performance.now();
      detect(it.text, enEs);
      if (round > 0) times.push(performance.now() - t);
    }
  }
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { p50Ms: pct(0.5), p99Ms: pct(0.99) };
}

const result = {
  when: new Date().toISOString(),
  strings: items.length,
  catalogues: domains,
  languages: DETECTABLE_LANGUAGES,
  table: DEFAULT_ELD_TABLE,
  wordsFileBytes: statSync(wordsFile()).size,
  issue2to12,
  short,
  nine,
  tables,
  heldOutEnEs: {
    pairs: pairs.length,
    outputsFlaggedWrongLanguage: flaggedOutputs.length,
    referencesFlaggedWrongLanguage: refsFlagged.length,
    englishSourcesTakenForSpanish: sourcesAsEs.length,
    examples: flaggedOutputs.slice(0, 8).map((o) => o.text),
    previous: previousHeldOut,
  },
  cost: { now: { loadMs, ...cost(now) }, previous: { loadMs: previousLoadMs, ...cost(prev) }, first: { loadMs: old.loadMs, ...cost(old.detect) } },
};
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/detect.json'), JSON.stringify(result, null, 2) + '\n');

const f = (x) => `${(100 * x).toFixed(1)} %`;
const rwu = (b) => `${f(b.right)} · ${f(b.wrong)} · ${f(b.unsure)}`;
const pair = (label, p) => `| ${label} | ${p.now.n} | ${rwu(p.now)} | ${rwu(p.previous)} | ${rwu(p.first)} |`;
const head =
  '| strings | n | now: right · wrong · unsure | previous: right · wrong · unsure | first: right · wrong · unsure |\n|---|---|---|---|---|';
const us = (ms) => `${(ms * 1000).toFixed(0)} µs`;
const md = `# bench:detect (${result.when})

Labelled strings from the test split of Debian's catalogues (\`test/fixtures/detect-strings.json\`,
${items.length} strings from ${domains.length} catalogues, 200 per language and bucket; no catalogue
and no string of it fed the word counts or chose a setting). "Unsure" means the detector declined
to answer (callers then fall back to the declared or default source language); it counts as not
right. **Now**: eld's ${DEFAULT_ELD_TABLE} table + Debian word, trigram, name and word-order (bigram)
counts of ~1,200 train catalogues (\`resources/detect/words.bin\`, ${(result.wordsFileBytes / 1e6).toFixed(1)} MB), posterior ≥ 0.5.
**Previous**: the detector before (bench/detect-previous.mjs): eld + word, trigram and name counts
of the 65 installed train catalogues, no word order.
**First**: eld's large table alone, ratio confidence. All three run here in the same process.

## The issue's bar: 2–12 words, en, es, fr, de, it, pt

${head}
${pair('choosing among the six', issue2to12.sixCandidates)}
${pair('choosing among all nine', issue2to12.nineCandidates)}
${pair(`the six, without \`${NAMES_CATALOGUE}\``, issue2to12.withoutNamesCatalogue)}
${pair('dev split, choosing among the six', issue2to12.devSixCandidates)}

eld's bare best guess among the six (large table, never unsure): ${f(issue2to12.firstBareEldSix)}.

By catalogue (among the six; now, previous): ${Object.entries(issue2to12.byCatalogue)
  .sort((a, b) => b[1].n - a[1].n)
  .map(([k, b]) => `${k} ${f(b.right)}, ${f(issue2to12.byCataloguePrevious[k].right)} (${b.n})`)
  .join(' · ')}.
\`${NAMES_CATALOGUE}\` is file-type names ("Documento README", "Lua script", "archive ACE"): one
common word beside a name, often the same word in several of the languages.

## 1–2 words, prior of an en→es install (expected: en, es)

${head}
${pair('en/es strings', short.enEsWithPrior)}
${pair('strings in the seven other languages', short.otherLanguagesWithEnEsPrior)}
${pair('dev split, en/es strings', short.devEnEsWithPrior)}

## Nine languages (${DETECTABLE_LANGUAGES.join(', ')}), no prior

${head}
${Object.keys(nine.now)
  .map((k) => `| ${k} words | ${nine.now[k].n} | ${rwu(nine.now[k])} | ${rwu(nine.previous[k])} | ${rwu(nine.first[k])} |`)
  .join('\n')}

## eld's tables under the new detector

| table | load (fresh process) | 2–12 words, six: right | 1–2 words en/es, prior: right |
|---|---|---|---|
${Object.entries(tables)
  .map(([t, r]) => `| ${t}${t === DEFAULT_ELD_TABLE ? ' (default)' : ''} | ${(r.loadMs / 1000).toFixed(1)} s | ${f(r.issue)} | ${f(r.shortEnEs)} |`)
  .join('\n')}

Each load time is a fresh Node process importing the detector and loading that table and the word counts.

## On real translations (${pairs.length} held-out en→es pairs, bundled model, greedy)

- outputs flagged \`wrong_language\`: ${flaggedOutputs.length} (previous: ${previousHeldOut.outputsFlaggedWrongLanguage}); references flagged: ${refsFlagged.length} (previous: ${previousHeldOut.referencesFlaggedWrongLanguage})
- English sources taken for Spanish (would pass through as \`same_language\`): ${sourcesAsEs.length} (previous: ${previousHeldOut.englishSourcesTakenForSpanish})

## Cost

| | load | per text p50 | p99 |
|---|---|---|---|
| now | ${(loadMs / 1000).toFixed(1)} s | ${us(result.cost.now.p50Ms)} | ${us(result.cost.now.p99Ms)} |
| previous | ${(previousLoadMs / 1000).toFixed(1)} s (eld's small table, JSON counts) | ${us(result.cost.previous.p50Ms)} | ${us(result.cost.previous.p99Ms)} |
| first | ${(old.loadMs / 1000).toFixed(1)} s | ${us(result.cost.first.p50Ms)} | ${us(result.cost.first.p99Ms)} |
`;
writeFileSync(join(root, 'bench/results/detect.md'), md);
console.log(md);
