// Precision of `repetition` and `untranslated` on the bundled model's real outputs over the test
// split, against hand verdicts kept in test/fixtures/review-precision.json: the flags are computed
// again here, so a rule change that flags what a person judged fine shows up as lost precision, and
// one that flags an output nobody judged fails until it is judged.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reviewFlags } from '../../src/core/review/flags.js';

type Judged = 'repetition' | 'untranslated';
interface Item {
  line: number;
  source: string;
  output: string;
  verdicts: Partial<Record<Judged, boolean>>;
}
const { items } = JSON.parse(readFileSync(new URL('../fixtures/review-precision.json', import.meta.url), 'utf8')) as { items: Item[] };

function precision(flag: Judged): { flagged: number; right: number; unjudged: number[] } {
  let flagged = 0;
  let right = 0;
  const unjudged: number[] = [];
  for (const it of items) {
    if (!reviewFlags(it.source, it.output, undefined).includes(flag)) continue;
    flagged++;
    const verdict = it.verdicts[flag];
    if (verdict === undefined) unjudged.push(it.line);
    else if (verdict) right++;
  }
  return { flagged, right, unjudged };
}

describe('review flag precision on hand-checked outputs (test split)', () => {
  it('repetition: ≥ 90 % of flagged outputs really loop', () => {
    const p = precision('repetition');
    expect(p.unjudged).toEqual([]);
    expect(p.flagged).toBeGreaterThanOrEqual(90);
    expect(p.right / p.flagged).toBeGreaterThanOrEqual(0.9);
  });

  it('untranslated: ≥ 90 % of flagged outputs really were left untranslated', () => {
    const p = precision('untranslated');
    expect(p.unjudged).toEqual([]);
    expect(p.flagged).toBeGreaterThanOrEqual(1);
    expect(p.right / p.flagged).toBeGreaterThanOrEqual(0.9);
  });

  it('untranslated needs two words of three letters: one alone may be a name or shared ("Zoom: 51 mm")', () => {
    expect(reviewFlags('Zoom: 51 mm', 'Zoom: 51 mm', undefined)).not.toContain('untranslated');
    expect(reviewFlags('Y Normal', 'Y normal', undefined)).not.toContain('untranslated');
    expect(reviewFlags('/Local/Rename...', '/Local/Rename...', undefined)).toContain('untranslated');
  });
});
