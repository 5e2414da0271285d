// gettext PO/POT catalogs. The file is kept as its lines; parsing notes, per entry, where its
// flags and msgstr lines are, so a translated copy rewrites only the msgstr lines (and the flags
// line, and the header) of the entries that get a translation. Every other byte (comments,
// references, wrapping, obsolete `#~` entries, order, line endings) stays as it was.
import { ParlaError } from '../../shared/errors.js';
import { builtinPluralForms, gettextLanguage, nplurals, sameLanguage } from './po-plurals.js';
import type { FileUnit, RenderOptions, TextFormat, UnitCounts, UnitLookup } from './text-format.js';

interface PoEntry {
  /** Index among the catalog's entries (unit ids derive from it). */
  index: number;
  /** 1-based line of the entry's first keyword, for messages. */
  line: number;
  obsolete: boolean;
  flags: string[];
  /** Line index of the `#,` line, when there is one. */
  flagsLine?: number;
  /** Line index a new `#,` line goes before: the first `#|` line or keyword. */
  flagsAt: number;
  msgctxt?: string;
  msgid: string;
  msgidPlural?: string;
  /** One string, or one per plural form. */
  msgstr: string[];
  /** Line range [start, end) of every msgstr line. */
  msgstrStart: number;
  msgstrEnd: number;
}

export interface PoDoc {
  lines: string[];
  eol: string;
  entries: PoEntry[];
  /** The entry with msgid "" and no context: the catalog's header. */
  header?: PoEntry;
}

type Keyword = 'msgctxt' | 'msgid' | 'msgid_plural' | 'msgstr';
const KEYWORD_ORDER: readonly Keyword[] = ['msgctxt', 'msgid', 'msgid_plural', 'msgstr'];

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '"': '"', '\\': '\\', "'": "'", '?': '?' };
const WRITTEN_ESCAPES: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v', '"': '\\"', '\\': '\\\\' };

function bad(file: string, line: number, why: string): ParlaError {
  return new ParlaError('BAD_FILE', `${file}:${line}: ${why}; not a valid PO file`);
}

/** A quoted PO string (`"a\"b"`) as its text. */
function unquote(raw: string, file: string, line: number): string {
  const s = raw.trim();
  if (s.length < 2 || s[0] !== '"' || s[s.length - 1] !== '"') throw bad(file, line, 'expected a string in double quotes');
  let out = '';
  for (let i = 1; i < s.length - 1; i++) {
    const ch = s[i]!;
    if (ch === '"') throw bad(file, line, 'unescaped " inside a string');
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = s[++i];
    if (next === undefined || i >= s.length - 1) throw bad(file, line, 'string ends with a backslash');
    if (next in ESCAPES) out += ESCAPES[next];
    else if (/[0-7]/u.test(next)) {
      const oct = /^[0-7]{1,3}/u.exec(s.slice(i, s.length - 1))![0];
      out += String.fromCharCode(parseInt(oct, 8));
      i += oct.length - 1;
    } else if (next === 'x' && /[0-9a-fA-F]/u.test(s[i + 1] ?? '')) {
      const hex = /^[0-9a-fA-F]+/u.exec(s.slice(i + 1, s.length - 1))![0];
      out += String.fromCharCode(parseInt(hex, 16));
      i += hex.length;
    } else throw bad(file, line, `unknown escape \\${next}`);
  }
  return out;
}

function quote(text: string): string {
  return `"${text.replace(/[\\"\n\t\r\x07\b\f\v]/gu, (c) => WRITTEN_ESCAPES[c]!)}"`;
}

/** `keyword "text"`, or gettext's multi-line shape when the text holds line breaks before its end. */
function field(keyword: string, text: string, eol: string, multiline = false): string {
  const pieces = text.split(/(?<=\n)/u).filter((p) => p !== '');
  if (pieces.length <= 1 && !multiline) return `${keyword} ${quote(text)}${eol}`;
  return `${keyword} ""${eol}${pieces.map((p) => `${quote(p)}${eol}`).join('')}`;
}

/** Splits the file into lines, each with its own line break (a last line may have none). */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/gu) ?? [];
}

interface OpenEntry {
  keywordAt: number;
  obsolete: boolean;
  flags: string[];
  flagsLine?: number;
  flagsAt: number;
  strings: Map<string, { start: number; end: number; value: string }>;
  last?: string;
}

interface OpenComments {
  flags: string[];
  flagsLine?: number;
  previousAt?: number;
  obsolete: boolean;
}

function closeEntry(e: OpenEntry, index: number, file: string, atLine: number): PoEntry {
  const lineNo = e.keywordAt + 1;
  const value = (k: string) => e.strings.get(k)?.value;
  const msgid = value('msgid');
  if (msgid === undefined) throw bad(file, lineNo, 'an entry without msgid');
  const msgidPlural = value('msgid_plural');
  const forms = [...e.strings.keys()].filter((k) => k.startsWith('msgstr'));
  if (forms.length === 0) throw bad(file, atLine, `msgid on line ${lineNo} has no msgstr`);
  const lineOf = (k: string) => e.strings.get(k)!.start + 1;
  if (msgidPlural !== undefined) {
    if (forms.includes('msgstr')) throw bad(file, lineOf('msgstr'), 'a plural entry needs msgstr[0], msgstr[1], … not msgstr');
    forms.forEach((k, i) => {
      if (k !== `msgstr[${i}]`) throw bad(file, lineOf(k), `expected msgstr[${i}], found ${k}`);
    });
  } else if (forms.length !== 1 || forms[0] !== 'msgstr') throw bad(file, lineOf(forms[0]!), `${forms[0]} without msgid_plural`);
  const msgctxt = value('msgctxt');
  return {
    index,
    line: lineNo,
    obsolete: e.obsolete,
    flags: e.flags,
    ...(e.flagsLine !== undefined ? { flagsLine: e.flagsLine } : {}),
    flagsAt: e.flagsAt,
    ...(msgctxt !== undefined ? { msgctxt } : {}),
    msgid,
    ...(msgidPlural !== undefined ? { msgidPlural } : {}),
    msgstr: forms.map((k) => value(k)!),
    msgstrStart: e.strings.get(forms[0]!)!.start,
    msgstrEnd: e.strings.get(forms.at(-1)!)!.end,
  };
}

export function parsePo(text: string, file: string): PoDoc {
  const lines = splitLines(text);
  const eol = lines[0]?.endsWith('\r\n') ? '\r\n' : '\n';
  const entries: PoEntry[] = [];
  const seen = new Set<string>();
  let comments: OpenComments | undefined;
  let current: OpenEntry | undefined;

  const finish = (atLine: number) => {
    if (current) {
      const entry = closeEntry(current, entries.length, file, atLine);
      if (!entry.obsolete) {
        const key = `${entry.msgctxt ?? '\u0004'}\u0000${entry.msgid}`;
        if (seen.has(key)) throw bad(file, entry.line, `a second entry for msgid "${entry.msgid.slice(0, 40)}"${entry.msgctxt !== undefined ? ` in context "${entry.msgctxt}"` : ''}`);
        seen.add(key);
      }
      entries.push(entry);
    }
    current = undefined;
    comments = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    let body = lines[i]!.trim();
    if (body === '') {
      finish(i + 1);
      continue;
    }
    // An obsolete entry (`#~ msgid …`) is read like a live one and never translated.
    const obsolete = body.startsWith('#~');
    if (obsolete) {
      body = body.slice(2).trim();
      if (body.startsWith('|')) body = `#${body}`; // `#~| msgid`: a previous msgid
    }
    if (body.startsWith('#')) {
      if (current?.last?.startsWith('msgstr')) finish(i + 1);
      if (current) throw bad(file, i + 1, 'a comment inside an entry, before its msgstr');
      comments ??= { flags: [], obsolete };
      if (body.startsWith('#,')) {
        comments.flagsLine ??= i;
        comments.flags.push(...body.slice(2).split(',').map((f) => f.trim()).filter(Boolean));
      } else if (body.startsWith('#|')) comments.previousAt ??= i;
      continue;
    }
    const m = /^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?:\s+|(?="))(.*)$/u.exec(body);
    if (m) {
      const name = m[1]!;
      const kw = name.replace(/\[\d+\]$/u, '') as Keyword;
      if ((kw === 'msgctxt' || kw === 'msgid') && current?.last?.startsWith('msgstr')) finish(i + 1);
      current ??= {
        keywordAt: i,
        obsolete: obsolete || (comments?.obsolete ?? false),
        flags: comments?.flags ?? [],
        ...(comments?.flagsLine !== undefined ? { flagsLine: comments.flagsLine } : {}),
        flagsAt: comments?.previousAt ?? i,
        strings: new Map(),
      };
      const lastKw = current.last?.replace(/\[\d+\]$/u, '') as Keyword | undefined;
      if (current.strings.has(name)) throw bad(file, i + 1, `a second ${name} in one entry`);
      if (lastKw && KEYWORD_ORDER.indexOf(kw) < KEYWORD_ORDER.indexOf(lastKw)) throw bad(file, i + 1, `${name} after ${current.last}`);
      if ((kw === 'msgstr' || kw === 'msgid_plural') && !current.strings.has('msgid')) throw bad(file, i + 1, `${name} without msgid`);
      current.strings.set(name, { start: i, end: i + 1, value: unquote(m[2]!, file, i + 1) });
      current.last = name;
    } else if (body.startsWith('"')) {
      if (!current?.last) throw bad(file, i + 1, 'a string outside any msgid or msgstr');
      const s = current.strings.get(current.last)!;
      s.value += unquote(body, file, i + 1);
      s.end = i + 1;
    } else {
      throw bad(file, i + 1, `unexpected "${body.slice(0, 30)}"`);
    }
  }
  finish(lines.length);
  const header = entries.find((e) => !e.obsolete && e.msgid === '' && e.msgctxt === undefined);
  return { lines, eol, entries, ...(header ? { header } : {}) };
}

/** The entries a job may translate: live ones with a msgid (not the header, not `#~`). */
function liveEntries(doc: PoDoc): PoEntry[] {
  return doc.entries.filter((e) => !e.obsolete && e !== doc.header && e.msgid !== '');
}

/** Translated in gettext's sense: every msgstr form holds text. */
const isTranslated = (e: PoEntry) => e.msgstr.every((s) => s !== '');

function entryUnits(e: PoEntry): FileUnit[] {
  const context = e.msgctxt !== undefined ? { context: e.msgctxt } : {};
  const translated = isTranslated(e);
  const one: FileUnit = { id: `${e.index}`, source: e.msgid, ...context, ...(translated ? { existing: e.msgstr[0]! } : {}) };
  if (e.msgidPlural === undefined) return [one];
  const many: FileUnit = { id: `${e.index}.plural`, source: e.msgidPlural, ...context, ...(translated ? { existing: e.msgstr[1] ?? e.msgstr[0]! } : {}) };
  return [one, many];
}

/** The header's fields in order (`Language: es` → ['Language', 'es']). */
function headerFields(header: PoEntry | undefined): [string, string][] {
  if (!header) return [];
  return header.msgstr[0]!
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const colon = l.indexOf(':');
      return colon < 0 ? [l, ''] : [l.slice(0, colon).trim(), l.slice(colon + 1).trim()];
    });
}

/**
 * The target's Plural-Forms: the header's when the catalog is already for that language (or
 * names no language), else gettext's rule for the language. BAD_INPUT when neither knows.
 */
function targetPluralForms(doc: PoDoc, lang: string): string {
  const fields = new Map(headerFields(doc.header).map(([k, v]) => [k.toLowerCase(), v]));
  const own = fields.get('plural-forms');
  const language = fields.get('language') ?? '';
  if (nplurals(own) !== undefined && (language === '' || sameLanguage(language, lang))) return own!;
  const builtin = builtinPluralForms(lang);
  if (!builtin) throw new ParlaError('BAD_INPUT', `no plural rule known for "${lang}": add its Plural-Forms header to the catalog`);
  return builtin;
}

/** The header text with Language, Plural-Forms and charset UTF-8 set for the target. */
function updatedHeader(doc: PoDoc, lang: string, pluralForms: string | undefined): string {
  const fields = headerFields(doc.header);
  const set = (name: string, value: string, after?: string) => {
    const at = fields.findIndex(([k]) => k.toLowerCase() === name.toLowerCase());
    if (at >= 0) fields[at] = [fields[at]![0], value];
    else {
      const anchor = after ? fields.findIndex(([k]) => k.toLowerCase() === after.toLowerCase()) : -1;
      fields.splice(anchor >= 0 ? anchor + 1 : fields.length, 0, [name, value]);
    }
  };
  set('Language', gettextLanguage(lang), 'Language-Team');
  if (!fields.some(([k]) => k.toLowerCase() === 'mime-version')) set('MIME-Version', '1.0');
  const type = fields.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? 'text/plain; charset=UTF-8';
  set('Content-Type', /charset=/iu.test(type) ? type.replace(/charset=[^;\s]*/iu, 'charset=UTF-8') : `${type}; charset=UTF-8`);
  if (!fields.some(([k]) => k.toLowerCase() === 'content-transfer-encoding')) set('Content-Transfer-Encoding', '8bit', 'Content-Type');
  if (pluralForms) set('Plural-Forms', pluralForms);
  return fields.map(([k, v]) => `${k}: ${v}\n`).join('');
}

/** Keeps gettext's rule that msgid and msgstr begin and end alike with a line break. */
function sameEnds(source: string, text: string): string {
  let t = text.replace(/^\n+/u, '').replace(/\n+$/u, '');
  if (source.startsWith('\n')) t = `\n${t}`;
  if (source.endsWith('\n')) t = `${t}\n`;
  return t;
}

export function renderPo(doc: PoDoc, lookup: UnitLookup, options: RenderOptions): { text: string; counts: UnitCounts } {
  const { eol } = doc;
  const live = liveEntries(doc);
  // Resolved whether or not anything is translated, so a job that cannot write fails when planned.
  const pluralForms = live.some((e) => e.msgidPlural !== undefined) ? targetPluralForms(doc, options.lang) : undefined;
  const forms = nplurals(pluralForms) ?? 2;
  const counts: UnitCounts = { translated: 0, kept: 0, skipped: 0 };
  /** Line index → what replaces lines [index, end) (end = index inserts); edits never overlap. */
  const edits = new Map<number, { end: number; text: string }>();

  for (const e of live) {
    if (isTranslated(e) && !options.overwrite) {
      counts.kept += 1;
      continue;
    }
    const [one, many] = entryUnits(e).map((u) => lookup(u)?.text);
    if (!one || (e.msgidPlural !== undefined && !many)) {
      counts.skipped += 1;
      continue;
    }
    let body: string;
    if (e.msgidPlural === undefined) body = field('msgstr', sameEnds(e.msgid, one), eol);
    else {
      // msgstr[0] from the singular; the other forms (and a lone form, as in ja or zh, which
      // covers every count) from the plural's wording and its placeholders.
      const texts = Array.from({ length: forms }, (_, i) => (i === 0 && forms > 1 ? sameEnds(e.msgid, one) : sameEnds(e.msgidPlural!, many!)));
      body = texts.map((t, i) => field(`msgstr[${i}]`, t, eol)).join('');
    }
    edits.set(e.msgstrStart, { end: e.msgstrEnd, text: body });
    if (options.fuzzy && !e.flags.includes('fuzzy')) {
      const flags = `#, ${['fuzzy', ...e.flags].join(', ')}${eol}`;
      if (e.flagsLine !== undefined) edits.set(e.flagsLine, { end: e.flagsLine + 1, text: flags });
      else edits.set(e.flagsAt, { end: e.flagsAt, text: flags });
    }
    counts.translated += 1;
  }

  // A catalog that got translations is now the target language's: its header says so (one is
  // added when missing: msgfmt needs Plural-Forms for plural entries).
  let prefix = '';
  if (counts.translated > 0) {
    const text = updatedHeader(doc, options.lang, pluralForms);
    const header = doc.header;
    if (!header) prefix = `msgid ""${eol}${field('msgstr', text, eol, true)}${eol}`;
    else if (text !== header.msgstr[0]) edits.set(header.msgstrStart, { end: header.msgstrEnd, text: field('msgstr', text, eol, true) });
  }

  let out = prefix;
  for (let i = 0; i < doc.lines.length; ) {
    const edit = edits.get(i);
    if (edit) {
      out += edit.text;
      if (edit.end > i) {
        i = edit.end;
        continue;
      }
    }
    out += doc.lines[i]!;
    i += 1;
  }
  return { text: out, counts };
}

/** `messages.po` → `messages.es.po`; a template (`messages.pot`) gives a catalog: `messages.es.po`. */
function poOutputName(file: string, lang: string): string {
  const m = /^(.*?)(\.pot?)$/iu.exec(file);
  return m ? `${m[1]}.${lang}.po` : `${file}.${lang}.po`;
}

const SNIFF_CHARS = 65_536;

export const poFormat: TextFormat<PoDoc> = {
  id: 'po',
  extensions: ['.po', '.pot'],
  sniff: (text) => {
    const head = text.slice(0, SNIFF_CHARS);
    return /^[ \t]*(?:msgctxt[ \t]|msgid[ \t]+")/mu.test(head) && /^[ \t]*msgstr(?:\[0\])?[ \t]+"/mu.test(head);
  },
  parse: parsePo,
  units: (doc) => liveEntries(doc).flatMap(entryUnits),
  render: renderPo,
  outputName: poOutputName,
};
