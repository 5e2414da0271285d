// Placeholder tags for markup the protected-span code would not keep by itself (XLIFF inline
// elements, subtitle override codes and timestamps): each becomes `<xN/>` (or a `<gN>…</gN>`
// pair around translatable content), which findSpans protects as a tag, and goes back to the
// original markup on render.

export interface Placeholder {
  /** What the model sees: `<x3/>`, `<g1>`, `</g1>` (lower case). */
  token: string;
  /** What the file holds. */
  original: string;
}

/**
 * Builds a unit's placeholders with `build(base)`, numbering from `base + 1`; the numbering moves
 * on (by 100) while a placeholder would collide with literal text of the unit (`<x1/>` typed as text).
 */
export function withoutCollisions<T extends { placeholders: Placeholder[] }>(literal: string, build: (base: number) => T): T {
  for (let base = 0; ; base += 100) {
    const built = build(base);
    const lower = literal.toLowerCase();
    if (!built.placeholders.some((p) => lower.includes(p.token))) return built;
  }
}

/**
 * The translation with each placeholder turned back into its original and the text between them
 * passed through `escape`; `intact` is false when a placeholder was lost, repeated or misnested.
 * Placeholders are found in any case (`<G1>` from a model or a test double that changed case).
 * Then the words are kept without placeholders and every original follows them in source order:
 * nothing is lost, the markup stays well-formed, and the caller marks the unit for review.
 */
export function restorePlaceholders(
  translation: string,
  placeholders: readonly Placeholder[],
  escape: (text: string) => string,
): { text: string; intact: boolean } {
  if (placeholders.length === 0) return { text: escape(translation), intact: true };
  const byToken = new Map(placeholders.map((p) => [p.token, p.original]));
  const pattern = new RegExp(placeholders.map((p) => p.token.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'gi');
  let text = '';
  let at = 0;
  const seen = new Set<string>();
  const open: string[] = [];
  let intact = true;
  for (const m of translation.matchAll(pattern)) {
    const token = m[0].toLowerCase();
    text += escape(translation.slice(at, m.index)) + byToken.get(token)!;
    at = m.index + m[0].length;
    if (seen.has(token)) intact = false;
    seen.add(token);
    if (token.startsWith('</')) {
      if (open.pop() !== token.replace('</', '<')) intact = false;
    } else if (!token.endsWith('/>')) open.push(token);
  }
  text += escape(translation.slice(at));
  if (intact && seen.size === placeholders.length && open.length === 0) return { text, intact: true };
  return { text: escape(translation.replace(pattern, '')) + placeholders.map((p) => p.original).join(''), intact: false };
}
