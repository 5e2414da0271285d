// i18n JSON (flat or nested, arrays; i18next, react-intl/ICU, vue-i18n files). Every non-empty
// string value is a unit, named by its key path (`menu.file.open`, `items[2]`); keys, numbers,
// booleans and nulls are never touched. The file is read by a small tokenizer that records where
// each string literal lies, and rendered by splicing new literals at those offsets, so keys,
// order, indentation, line endings, escapes of untouched strings and the final newline stay byte
// for byte. Placeholders (`{{x}}`, `$t(key)`, ICU blocks) are left in the text for the protected
// spans to keep. A JSON source file holds the source language: there are no existing
// translations, the output is a new file for the target language.
import { ParlaError } from '../../shared/errors.js';
import { applyEdits, excerpt, lineAt, type Edit } from './source-text.js';
import type { FileUnit, RenderOptions, TextFormat, UnitCounts, UnitLookup } from './text-format.js';

interface JsonString {
  unit: FileUnit;
  /** Offsets of the literal, quotes included. */
  start: number;
  end: number;
}

export interface JsonDoc {
  text: string;
  strings: JsonString[];
  /** Write non-ASCII as `\uXXXX`: the file does so and holds no raw non-ASCII character. */
  asciiOnly: boolean;
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** A key as a path segment: identifiers join with dots; other keys too, as i18next's flat files write them. */
function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

function parseJson(text: string, file: string): JsonDoc {
  const fail = (at: number, message: string): never => {
    throw new ParlaError('BAD_FILE', `${file} line ${lineAt(text, at)}: ${message}`);
  };
  const strings: JsonString[] = [];
  const ids = new Set<string>();
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const skipSpace = () => {
    while (pos < text.length && ' \t\r\n'.includes(text[pos]!)) pos++;
  };
  const found = () => (pos >= text.length ? 'the end of the file' : `"${excerpt(text, pos)}"`);
  const readString = (): string => {
    const start = pos;
    let out = '';
    pos++;
    for (;;) {
      const c = text[pos];
      if (c === undefined || c === '\n' || c === '\r') return fail(start, 'string never closed');
      if (c === '"') break;
      if (c === '\\') {
        const e = text[pos + 1]!;
        if (e === 'u') {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(pos, `bad escape "${excerpt(text, pos, 6)}" in a string`);
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 6;
        } else if (e in ESCAPES) {
          out += ESCAPES[e];
          pos += 2;
        } else fail(pos, `bad escape "${excerpt(text, pos, 2)}" in a string`);
      } else {
        if (c < ' ') fail(pos, 'control character inside a string (write it as an escape)');
        out += c;
        pos++;
      }
    }
    pos++;
    return out;
  };
  const readValue = (path: string, depth: number): void => {
    if (depth > 200) fail(pos, 'nested more than 200 levels deep');
    skipSpace();
    const c = text[pos];
    const start = pos;
    if (c === '{') {
      pos++;
      const keys = new Set<string>();
      skipSpace();
      if (text[pos] === '}') {
        pos++;
        return;
      }
      for (;;) {
        skipSpace();
        if (text[pos] !== '"') fail(pos, `expected a key in double quotes, found ${found()}`);
        const keyAt = pos;
        const key = readString();
        if (keys.has(key)) fail(keyAt, `key "${childPath(path, key)}" appears twice`);
        keys.add(key);
        skipSpace();
        if (text[pos] !== ':') fail(pos, `expected ":" after key "${key}", found ${found()}`);
        pos++;
        readValue(childPath(path, key), depth + 1);
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] === '}') {
          pos++;
          return;
        } else fail(pos, `expected "," or "}" in the object opened on line ${lineAt(text, start)}, found ${found()}`);
      }
    } else if (c === '[') {
      pos++;
      skipSpace();
      if (text[pos] === ']') {
        pos++;
        return;
      }
      for (let i = 0; ; i++) {
        readValue(childPath(path, i), depth + 1);
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] === ']') {
          pos++;
          return;
        } else fail(pos, `expected "," or "]" in the array opened on line ${lineAt(text, start)}, found ${found()}`);
      }
    } else if (c === '"') {
      const value = readString();
      if (!value.trim()) return;
      // Ids are unique even where a flat key ("a.b") and a nested one (a → b) name the same path.
      let id = path;
      for (let n = 2; ids.has(id); n++) id = `${path}#${n}`;
      ids.add(id);
      strings.push({ unit: { id, source: value, context: path }, start, end: pos });
    } else {
      for (const word of ['true', 'false', 'null']) {
        if (text.startsWith(word, pos)) {
          pos += word.length;
          return;
        }
      }
      NUMBER.lastIndex = pos;
      const number = NUMBER.exec(text);
      if (!number) fail(pos, `expected a value, found ${found()}`);
      pos += number![0].length;
    }
  };

  skipSpace();
  if (text[pos] !== '{' && text[pos] !== '[') fail(pos, `an i18n JSON file holds an object or an array, found ${found()}`);
  readValue('', 0);
  skipSpace();
  if (pos < text.length) fail(pos, `unexpected ${found()} after the end of the JSON value`);
  const asciiOnly = /\\u[0-9a-fA-F]{4}/.test(text) && !/[^\x00-\x7f]/.test(text.replace(/^\uFEFF/, ''));
  return { text, strings, asciiOnly };
}

/** A JSON string literal for `value`, in the file's own style for non-ASCII characters. */
function literal(value: string, asciiOnly: boolean): string {
  const json = JSON.stringify(value);
  return asciiOnly ? json.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

function render(doc: JsonDoc, lookup: UnitLookup, _options: RenderOptions): { text: string; counts: UnitCounts } {
  const counts: UnitCounts = { translated: 0, kept: 0, skipped: 0 };
  const edits: Edit[] = [];
  for (const s of doc.strings) {
    const translation = lookup(s.unit);
    if (!translation?.text) {
      counts.skipped++;
      continue;
    }
    counts.translated++;
    edits.push({ start: s.start, end: s.end, insert: literal(translation.text, doc.asciiOnly) });
  }
  return { text: applyEdits(doc.text, edits), counts };
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (c === '*') source += '[^.\\[]*';
    else if (c === '?') source += '[^.\\[]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A glob that names a key selects everything beneath it too: `menu` and `menu.*` take `menu.file.open`.
  return new RegExp(`^(?:${source})(?:$|[.[])`);
}

/**
 * The units whose key path matches the globs (`--keys`): `*` stays within one key, `**` crosses
 * levels, `?` is one character, a glob selects the keys beneath the ones it matches, and a glob
 * starting with `!` leaves keys out. No positive glob selects every key.
 */
export function selectKeys(units: readonly FileUnit[], globs: readonly string[]): FileUnit[] {
  const include = globs.filter((g) => !g.startsWith('!')).map(globToRegExp);
  const exclude = globs.filter((g) => g.startsWith('!')).map((g) => globToRegExp(g.slice(1)));
  const key = (u: FileUnit) => u.context ?? u.id;
  return units.filter((u) => (include.length === 0 || include.some((r) => r.test(key(u)))) && !exclude.some((r) => r.test(key(u))));
}

const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/** True for a two-letter language code with optional subtags (`en`, `pt-BR`, `zh_Hant`). */
function isLanguageTag(name: string): boolean {
  if (!/^[a-z]{2}(?:[-_][A-Za-z0-9]{2,8})*$/.test(name)) return false;
  try {
    return LANGUAGE_NAMES.of(name.replace(/_/g, '-')) !== undefined;
  } catch {
    return false;
  }
}

/**
 * The target file's name: `en.json` → `es.json`, `app.en.json` → `app.es.json`,
 * `locales/en/common.json` → `locales/es/common.json` (the last folder named like a language),
 * otherwise `strings.json` → `strings.es.json`.
 */
export function jsonOutputName(file: string, lang: string): string {
  const parts = file.split(/([/\\])/);
  const base = parts[parts.length - 1]!;
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const ext = dot > 0 ? base.slice(dot) : '';
  const last = stem.lastIndexOf('.');
  if (isLanguageTag(stem.slice(last + 1))) {
    parts[parts.length - 1] = `${stem.slice(0, last + 1)}${lang}${ext}`;
    return parts.join('');
  }
  for (let i = parts.length - 3; i >= 0; i -= 2) {
    if (isLanguageTag(parts[i]!)) {
      parts[i] = lang;
      return parts.join('');
    }
  }
  parts[parts.length - 1] = `${stem}.${lang}${ext}`;
  return parts.join('');
}

export const jsonFormat: TextFormat<JsonDoc> = {
  id: 'json',
  extensions: ['.json'],
  sniff(text) {
    const start = text.replace(/^\uFEFF/, '').trimStart();
    if (!start.startsWith('{') && !start.startsWith('[')) return false;
    try {
      JSON.parse(start);
      return true;
    } catch {
      return false;
    }
  },
  parse: parseJson,
  units: (doc) => doc.strings.map((s) => s.unit),
  render,
  outputName: jsonOutputName,
};
