// Which cell values are worth a model call. Numbers, dates, booleans, formulas and empty cells
// are never sent: the model would only garble them.
const NUMBER = /^[-+(]?[$€£¥]?\s*\d[\d\s.,']*(?:[eE][-+]?\d+)?\s*[%$€£¥)]?$/u;
const DATE = /^(?:\d{4}-\d{1,2}-\d{1,2}(?:[T ][\d:.]+Z?)?|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?: [\d:]+)?|\d{1,2}:\d{2}(?::\d{2})?)$/u;
const BOOLEAN = /^(?:true|false|TRUE|FALSE|True|False)$/u;
const HAS_LETTER = /\p{L}/u;

/** True for a CSV/text cell that holds words (not a number, date, boolean or formula). */
export function isTranslatableText(value: string): boolean {
  const v = value.trim();
  if (v === '' || v.startsWith('=')) return false;
  if (NUMBER.test(v) || DATE.test(v) || BOOLEAN.test(v)) return false;
  return HAS_LETTER.test(v);
}

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
