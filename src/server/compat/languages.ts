// Language codes as the compatible APIs speak them: DeepL's upper case with regional variants
// (`ES`, `EN-GB`, `PT-BR`), LibreTranslate's lower case; both mapped onto the base codes of the
// installed models. Names from the runtime's ICU data, no table to keep.
import type { ModelInfo } from '../../shared/translation.js';

export { languageName } from '../../shared/languages.js';

/** `EN-GB` → `en`, `es` → `es`; undefined for what is not a language code. */
export function baseCode(code: string | undefined): string | undefined {
  const m = /^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{2,8})*$/.exec(code?.trim() ?? '');
  return m ? m[1]!.toLowerCase() : undefined;
}

/** Source and target languages the installed, working models serve. */
export function installedPairs(models: readonly ModelInfo[]): { sources: string[]; targets: Map<string, string[]> } {
  const targets = new Map<string, string[]>();
  for (const m of models) {
    if (m.problem || !m.from) continue;
    const list = targets.get(m.from) ?? [];
    for (const to of m.to) if (!list.includes(to)) list.push(to);
    targets.set(m.from, list.sort());
  }
  return { sources: [...targets.keys()].sort(), targets };
}
