// Language names for the pickers, from the installed models' pairs.
import type { ModelInfo } from '../../shared/translation.js';

const names = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'language' }) : undefined;

export function languageName(code: string): string {
  try {
    return names?.of(code) ?? code;
  } catch {
    return code;
  }
}

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
