// What a spreadsheet column holds, judged from a sample of its cells, and whether a job
// translates it by default. One module for every door: the sheet planner (CLI, API, app) and
// the Batch page's preview pre-tick the same columns for the same reasons. No Node, no DOM.

/** What one cell holds. `prose` and `label` are words for the model; the rest are kept as they are. */
export type CellKind = 'prose' | 'label' | 'code' | 'url' | 'email' | 'number' | 'date' | 'boolean' | 'formula';

export type ColumnClass = CellKind | 'empty';

/** Classes a job translates when no columns are named. */
export const TRANSLATED_CLASSES: readonly ColumnClass[] = ['prose', 'label'];

/** Share of sampled non-empty cells that must be words for a column to be translated by default. */
export const MOSTLY_TEXT = 0.5;

/** Cells a column's verdict is judged on (the planner and the preview read this many rows). */
export const SAMPLE_CELLS = 200;

export interface ColumnVerdict {
  class: ColumnClass;
  /** Translated when no columns are named. */
  translate: boolean;
  /** Short, for people: "codes: 98 % of cells look like SKU-1003". */
  why: string;
}

const NUMBER = /^[-+(]?[$€£¥]?\s*\d[\d\s.,']*(?:[eE][-+]?\d+)?\s*[%$€£¥)]?$/u;
const DATE = /^(?:\d{4}-\d{1,2}-\d{1,2}(?:[T ][\d:.]+Z?)?|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?: [\d:]+)?|\d{1,2}:\d{2}(?::\d{2})?)$/u;
const BOOLEAN = /^(?:true|false|TRUE|FALSE|True|False)$/u;
const HAS_LETTER = /\p{L}/u;
const URL = /^(?:[a-z][a-z0-9+.-]*:\/\/|www\.)\S+$/iu;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/u;
/** One token, no spaces: letters with digits (SKU-1003, A12, 3f2a9c), or separated capitals (EN-US, HR_DEPT). */
const CODE = [
  /^(?=\S*\p{L})(?=\S*\d)[\p{L}\d][\p{L}\d._:/#-]*$/u,
  /^[A-Z][A-Z\d]*(?:[-_./:][A-Z\d]+)+$/u,
  /^[A-Z]{2,}$/u,
  /^[a-z]+(?:_[a-z\d]+)+$/u,
  /^[a-z]+(?:[A-Z][a-z\d]*)+$/u,
];
/** Words the model reads once markup is set aside. */
const WORD = /\p{L}[\p{L}\p{M}'’-]*/gu;
/** From this many words (or a sentence's end and three words) a cell reads as prose, not a label. */
const PROSE_WORDS = 7;

export function cellKind(value: string): CellKind | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  if (v.startsWith('=')) return 'formula';
  if (NUMBER.test(v)) return 'number';
  if (DATE.test(v)) return 'date';
  if (BOOLEAN.test(v)) return 'boolean';
  if (URL.test(v)) return 'url';
  if (EMAIL.test(v)) return 'email';
  if (!HAS_LETTER.test(v)) return 'code';
  if (CODE.some((re) => re.test(v))) return 'code';
  const words = v.replace(/<[^>]*>/gu, ' ').match(WORD)?.length ?? 0;
  if (words >= PROSE_WORDS || (words >= 3 && /[.!?。！？]/u.test(v))) return 'prose';
  return 'label';
}

/** True for a cell that holds words (not a number, date, boolean or formula). */
export function isTranslatableText(value: string): boolean {
  const v = value.trim();
  if (v === '' || v.startsWith('=')) return false;
  if (NUMBER.test(v) || DATE.test(v) || BOOLEAN.test(v)) return false;
  return HAS_LETTER.test(v);
}

const NAME: Record<ColumnClass, string> = {
  prose: 'prose',
  label: 'labels',
  code: 'codes',
  url: 'URLs',
  email: 'e-mails',
  number: 'numbers',
  date: 'dates',
  boolean: 'true/false',
  formula: 'formulas',
  empty: 'empty',
};

export function classLabel(c: ColumnClass): string {
  return NAME[c];
}

const percent = (n: number, of: number) => `${Math.round((n / of) * 100)} %`;
const example = (v: string) => (v.length > 24 ? `${v.slice(0, 23)}…` : v);

/** The verdict on a column from its sampled cells (the header row left out). */
export function classifyColumn(cells: readonly string[]): ColumnVerdict {
  const counts = new Map<CellKind, number>();
  const first = new Map<CellKind, string>();
  let nonEmpty = 0;
  for (const cell of cells.slice(0, SAMPLE_CELLS)) {
    const kind = cellKind(cell);
    if (!kind) continue;
    nonEmpty += 1;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    if (!first.has(kind)) first.set(kind, cell.trim());
  }
  if (nonEmpty === 0) return { class: 'empty', translate: false, why: 'empty: no values in the sampled rows' };
  const prose = counts.get('prose') ?? 0;
  const label = counts.get('label') ?? 0;
  if ((prose + label) / nonEmpty > MOSTLY_TEXT) {
    const cls = prose >= label ? 'prose' : 'label';
    const shape = cls === 'prose' ? 'sentences' : 'short text';
    return { class: cls, translate: true, why: `${NAME[cls]}: ${percent(prose + label, nonEmpty)} of cells are words, mostly ${shape}` };
  }
  let top: CellKind = 'code';
  let topCount = -1;
  for (const [kind, n] of counts) {
    if (kind !== 'prose' && kind !== 'label' && n > topCount) [top, topCount] = [kind, n];
  }
  return { class: top, translate: false, why: `${NAME[top]}: ${percent(topCount, nonEmpty)} of cells look like ${example(first.get(top) ?? '')}` };
}
