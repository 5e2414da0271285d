// What to tell a user whose texts were left untranslated for lack of a model (`no_model`).
import type { Translation } from '../../shared/translation.js';
import { flaggedSources } from '../review/flagged-rows.js';
import { detector } from './detector.js';

/** "no model for fr→es, de→es; run: parla models download Xenova/opus-mt-fr-es (and …)" */
export function noModelHint(pairs: Iterable<readonly [from: string, to: string]>): string {
  const unique = [...new Map([...pairs].map(([from, to]) => [`${from}→${to}`, [from, to] as const])).values()];
  if (!unique.length) return '';
  const downloads = unique.map(([from, to]) => `Xenova/opus-mt-${from}-${to}`);
  return `no model for ${unique.map(([from, to]) => `${from}→${to}`).join(', ')}; run: parla models download ${downloads.join(' (and ')}${')'.repeat(downloads.length - 1)}`;
}

/**
 * "3 left untranslated: no model for fr→es; run: …" for a batch result file with no_model cells,
 * or ''. The job keeps flags, not languages: each such cell's source is detected again (the same
 * answer).
 */
export async function batchNoModelNote(file: string): Promise<string> {
  const cells = await flaggedSources(file, 'no_model');
  if (!cells.length) return '';
  const d = await detector();
  const pairs = cells.flatMap(({ source, to }): [string, string][] => {
    const from = d.detect(source).likeliest;
    return from ? [[from, to]] : [];
  });
  return `${cells.length} left untranslated: ${noModelHint(pairs)}`;
}

/** The pairs of a request's no_model translations. */
export function noModelPairs(results: readonly Translation[], to: string): [string, string][] {
  return results.filter((r) => r.flags?.includes('no_model') && r.from).map((r) => [r.from!, to]);
}
