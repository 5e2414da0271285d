// A reference word-level similarity, written apart from src/core/memory/match.ts (full matrix,
// its own tokenizer and placeholder handling) so the tests check the real one against it.

/** Words and punctuation marks, placeholder names dropped, as the memory's matching defines. */
function referenceTokens(text: string): string[] {
  const withoutNames = text.trim().replace(/\{[\w.:$@-]*\}/g, '{}').replace(/%\([^)\s]+\)/g, '%()');
  return withoutNames.match(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu) ?? [];
}

export function referenceDistance(a: string[], b: string[]): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    d.push([]);
    for (let j = 0; j <= b.length; j++) {
      if (i === 0) d[i]![j] = j;
      else if (j === 0) d[i]![j] = i;
      else d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

export function referenceSimilarity(x: string, y: string): number {
  const a = referenceTokens(x);
  const b = referenceTokens(y);
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - referenceDistance(a, b) / longer;
}
