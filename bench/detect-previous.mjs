// The detector before word order and the extra catalogues (Parla until 2026-12-04), kept for
// bench:detect's side-by-side column: eld's small table (weight 3) + word, trigram and name counts
// of the 65 installed train catalogues (bench/data/detect-words-previous.json, the
// resources/detect/words.json of then), with that detector's prior and threshold.
import { readFileSync } from 'node:fs';
import { DETECTABLE_LANGUAGES, EXPECTED_PRIOR, SHORT_PRIOR, SURE_CONFIDENCE } from '../dist/core/detect/detector.js';
import { languageText, namesOf, wordsOf } from '../dist/core/detect/words.js';

const ELD_WEIGHT = 3;
const ELD_FLOOR = 0.3;
const WORD = { alpha: 0.2, vocabulary: 50_000 };
const TRIGRAM = { alpha: 0.5, vocabulary: 20_000, weight: 0.5 };
const NAME = { alpha: 0.2, vocabulary: 10_000 };

/** (text, {expected, candidates}) → {language?, likeliest?, confidence}, as detector.ts's detect() was. */
export async function previousDetector(file) {
  const { eld } = await import('eld/small');
  const instance = eld.newInstance();
  instance.setLanguageSubset([...DETECTABLE_LANGUAGES]);
  const { languages } = JSON.parse(readFileSync(file, 'utf8'));
  const tables = new Map(
    Object.entries(languages).map(([l, c]) => [l, { ...c, words: new Map(Object.entries(c.words)), trigrams: new Map(Object.entries(c.trigrams)), names: new Map(Object.entries(c.names)) }]),
  );
  const knownNames = new Set([...tables.values()].flatMap((t) => [...t.names.keys()]));
  const logLikelihood = (words, l, names) => {
    const t = tables.get(l);
    let sum = 0;
    for (const name of names) {
      if (knownNames.has(name)) sum += Math.log(((t.names.get(name) ?? 0) + NAME.alpha) / (t.nameTotal + NAME.alpha * NAME.vocabulary));
    }
    for (const w of words) {
      sum += Math.log(((t.words.get(w) ?? 0) + WORD.alpha) / (t.wordTotal + WORD.alpha * WORD.vocabulary));
      const edged = ` ${w} `;
      for (let i = 0; i + 3 <= edged.length; i++) {
        const n = t.trigrams.get(edged.slice(i, i + 3)) ?? 0;
        sum += TRIGRAM.weight * Math.log((n + TRIGRAM.alpha) / (t.trigramTotal + TRIGRAM.alpha * TRIGRAM.vocabulary));
      }
    }
    return sum;
  };
  return (text, options = {}) => {
    if ((text.match(/\p{L}/gu) ?? []).length < 2) return { confidence: 0 };
    const read = languageText(text);
    const words = wordsOf(read);
    const names = namesOf(text);
    const expected = new Set(options.expected ?? []);
    const candidates = options.candidates ?? DETECTABLE_LANGUAGES;
    const eldScores = instance.detect(read).getScores();
    const top = Math.max(0, ...Object.values(eldScores));
    const scores = candidates.map((l) => {
      let s = top > 0 ? ELD_WEIGHT * Math.log(Math.max(ELD_FLOOR, (eldScores[l] ?? 0) / top)) : 0;
      s += logLikelihood(words, l, names);
      if (expected.has(l)) s += Math.log(words.length <= 2 ? SHORT_PRIOR : EXPECTED_PRIOR);
      return s;
    });
    const best = scores.indexOf(Math.max(...scores));
    const confidence = 1 / scores.reduce((sum, s) => sum + Math.exp(s - scores[best]), 0);
    const likeliest = candidates[best];
    return confidence >= SURE_CONFIDENCE ? { language: likeliest, likeliest, confidence } : { likeliest, confidence };
  };
}
