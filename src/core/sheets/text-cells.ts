// Which cell values are worth a model call (numbers, dates, booleans, formulas and empty cells
// are never sent: the model would only garble them), and column letters.
export { isTranslatableText } from '../../shared/column-class.js';

/** "A" → 0, "AA" → 26; undefined when not a column letter. */
export function letterToIndex(letter: string): number | undefined {
  if (!/^[A-Za-z]{1,3}$/u.test(letter)) return undefined;
  let n = 0;
  for (const ch of letter.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function indexToLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}
