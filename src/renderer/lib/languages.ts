// Language names for the pickers, from the installed models' pairs.
import { languageName } from '../../shared/languages.js';
import type { ModelInfo } from '../../shared/translation.js';

export { languageName };

export function languagesOf(models: ModelInfo[]): { sources: string[]; targets: string[] } {
  const sources = new Set<string>();
  const targets = new Set<string>();
  for (const m of models) {
    sources.add(m.from);
    for (const t of m.to) targets.add(t);
  }
  const byName = (a: string, b: string) => languageName(a).localeCompare(languageName(b));
  return { sources: [...sources].sort(byName), targets: [...targets].sort(byName) };
}
