// Inserting translation columns moves cells right; formulas that point at moved cells must move
// with them, as Excel does when a person inserts a column. String literals are left alone.
import { indexToLetter, letterToIndex } from './text-cells.js';

/** Maps a 1-based original column of a sheet to its column after insertion. */
export type ColumnMap = (col: number) => number;

const SHEET = String.raw`((?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?`;
// A cell or a cell range; a range's sheet prefix covers both ends (Data!B2:B4).
const CELL_REF = new RegExp(
  String.raw`(?<![\w.$!'])${SHEET}(\$?[A-Za-z]{1,3}\$?\d+)(?::(\$?[A-Za-z]{1,3}\$?\d+))?(?![\w(!])`,
  'gu',
);
const ONE_CELL = /^(\$?)([A-Za-z]{1,3})(\$?)(\d+)$/u;
const COL_RANGE = new RegExp(String.raw`(?<![\w.$!'])${SHEET}(\$?)([A-Za-z]{1,3}):(\$?)([A-Za-z]{1,3})(?![\w(!])`, 'gu');

function sheetOf(prefix: string | undefined, own: string): string {
  if (!prefix) return own;
  const name = prefix.slice(0, -1);
  return name.startsWith("'") ? name.slice(1, -1).replace(/''/gu, "'") : name;
}

function shiftLetters(letters: string, map: ColumnMap): string {
  const index = letterToIndex(letters);
  return index === undefined ? letters : indexToLetter(map(index + 1) - 1);
}

/** Rewrites the column parts of references into sheets that have a map; `own` is the formula's sheet. */
export function shiftFormula(formula: string, own: string, maps: ReadonlyMap<string, ColumnMap>): string {
  return formula
    .split(/("(?:[^"]|"")*")/u)
    .map((part, i) => {
      if (i % 2 === 1) return part;
      return part
        .replace(CELL_REF, (whole, prefix: string | undefined, start: string, end: string | undefined) => {
          const map = maps.get(sheetOf(prefix, own));
          if (!map) return whole;
          const shift = (ref: string) => ref.replace(ONE_CELL, (_m, d1: string, col: string, d2: string, row: string) => `${d1}${shiftLetters(col, map)}${d2}${row}`);
          return `${prefix ?? ''}${shift(start)}${end ? `:${shift(end)}` : ''}`;
        })
        .replace(COL_RANGE, (whole, prefix: string | undefined, d1: string, c1: string, d2: string, c2: string) => {
          const map = maps.get(sheetOf(prefix, own));
          return map ? `${prefix ?? ''}${d1}${shiftLetters(c1, map)}:${d2}${shiftLetters(c2, map)}` : whole;
        });
    })
    .join('');
}

/** Column map for insertions of `count` columns right of each listed 1-based column. */
export function insertionMap(insertions: readonly { after: number; count: number }[]): ColumnMap {
  return (col) => col + insertions.reduce((sum, ins) => (ins.after < col ? sum + ins.count : sum), 0);
}

/**
 * Moves a plain reference list ("C2", "C2:D3", "$A$1:$B$9 F2"), as merges, filters, data
 * validations and conditional formats name their cells. A range whose inside gains columns
 * widens, as in Excel.
 */
export function shiftRef(ref: string, map: ColumnMap): string {
  return ref
    .split(/\s+/u)
    .map((range) =>
      range
        .split(':')
        .map((cell) => cell.replace(ONE_CELL, (_m, d1: string, col: string, d2: string, row: string) => `${d1}${shiftLetters(col, map)}${d2}${row}`))
        .join(':'),
    )
    .join(' ');
}
