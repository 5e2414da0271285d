// TMX 1.4 (the translation memory exchange format of CAT tools): read as a stream with saxes,
// written whole. A unit (<tu>) holds one <tuv> per language; each language other than the
// unit's source becomes one memory entry. Parla's own fields that TMX has no attribute for
// (origin, history) travel as x-parla props, so a round trip through Parla loses nothing.
import { createReadStream, statSync } from 'node:fs';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { ParlaError } from '../../shared/errors.js';
import { MEMORY_ORIGINS, type MemoryEntry, type MemoryOrigin, type MemoryRevision, type NewMemoryEntry } from '../../shared/memory.js';

export interface TmxProgress {
  bytes: number;
  totalBytes: number;
}

interface Unit {
  line: number;
  srclang?: string;
  who?: string;
  when?: number;
  origin?: MemoryOrigin;
  history?: MemoryRevision[];
  notes: string[];
  tuvs: { lang: string; seg: string | undefined }[];
}

/** A TMX parser fed piece by piece; `end()` returns the entries, or throws one line naming the line. */
export class TmxReader {
  private readonly parser = new SaxesParser({ xmlns: false, position: true });
  private readonly entries: NewMemoryEntry[] = [];
  private readonly open: string[] = [];
  private headerSrclang: string | undefined;
  private sawRoot = false;
  private unit: Unit | undefined;
  private tuv: { lang: string; seg: string | undefined } | undefined;
  /** Text being collected: a seg (with its inline codes' text), a note or a prop. */
  private text: { into: 'seg' | 'note' | 'prop'; value: string; type?: string } | undefined;
  /** Inside one of Parla's character placeholders: its hex code so far. */
  private charCode: string | undefined;
  private failure: ParlaError | undefined;

  constructor(private readonly name: string) {
    const p = this.parser;
    p.on('error', (error) => {
      throw this.fail(error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, ''));
    });
    p.on('opentag', (tag) => this.openTag(tag));
    p.on('closetag', (tag) => this.closeTag(tag.name));
    p.on('text', (t) => {
      if (this.charCode !== undefined) this.charCode += t;
      else if (this.text) this.text.value += t;
    });
    p.on('cdata', (t) => {
      if (this.text) this.text.value += t;
    });
  }

  write(chunk: string): void {
    if (this.failure) throw this.failure;
    this.parser.write(chunk);
  }

  end(): NewMemoryEntry[] {
    if (this.failure) throw this.failure;
    this.parser.close();
    if (!this.sawRoot) throw this.fail('not a TMX file (no <tmx> element)');
    return this.entries;
  }

  private fail(message: string, line = this.parser.line): ParlaError {
    this.failure ??= new ParlaError('BAD_INPUT', `${this.name}: malformed TMX at line ${line}: ${message}`);
    return this.failure;
  }

  private openTag(tag: SaxesTagPlain): void {
    const name = tag.name.toLowerCase();
    const a = (key: string) => {
      const v = tag.attributes[key];
      return typeof v === 'string' && v.trim() ? v.trim() : undefined;
    };
    this.open.push(name);
    if (this.open.length === 1) {
      if (name !== 'tmx') throw this.fail(`the root element is <${tag.name}>, not <tmx>`);
      this.sawRoot = true;
      return;
    }
    if (this.text?.into === 'seg') {
      // Inline codes (<bpt>, <ph>, <hi>…): their text is the seg's; Parla's character placeholder its character.
      if (name === 'ph' && a('type') === CHAR_PH) this.charCode = '';
      return;
    }
    switch (name) {
      case 'header':
        this.headerSrclang = a('srclang');
        return;
      case 'tu': {
        const when = parseTmxDate(a('changedate') ?? a('creationdate'));
        const who = a('changeid') ?? a('creationid');
        const srclang = a('srclang');
        this.unit = { line: this.parser.line, notes: [], tuvs: [], ...(srclang ? { srclang } : {}), ...(who ? { who } : {}), ...(when ? { when } : {}) };
        return;
      }
      case 'tuv': {
        if (!this.unit) throw this.fail('<tuv> outside a <tu>');
        const lang = a('xml:lang') ?? a('lang');
        if (!lang) throw this.fail('a <tuv> without xml:lang');
        this.tuv = { lang, seg: undefined };
        return;
      }
      case 'seg':
        if (!this.tuv) throw this.fail('<seg> outside a <tuv>');
        this.text = { into: 'seg', value: '' };
        return;
      case 'note':
        // Notes of a unit (not of one of its languages) travel with its entries.
        if (this.unit && !this.tuv) this.text = { into: 'note', value: '' };
        return;
      case 'prop':
        if (this.unit && !this.tuv) this.text = { into: 'prop', value: '', ...(a('type') ? { type: a('type')! } : {}) };
        return;
    }
  }

  private closeTag(raw: string): void {
    const name = raw.toLowerCase();
    this.open.pop();
    const text = this.text;
    if (text?.into === 'seg' && name !== 'seg') {
      if (name === 'ph' && this.charCode !== undefined) {
        const code = Number.parseInt(this.charCode, 16);
        if (!Number.isInteger(code)) throw this.fail(`a character placeholder with no hex code ("${this.charCode}")`);
        text.value += String.fromCharCode(code);
        this.charCode = undefined;
      }
      return;
    }
    switch (name) {
      case 'seg':
        this.tuv!.seg = text!.value;
        this.text = undefined;
        return;
      case 'note':
        if (text?.into === 'note') this.unit!.notes.push(text.value.trim());
        this.text = undefined;
        return;
      case 'prop':
        if (text?.into === 'prop') this.readProp(text.type, text.value);
        this.text = undefined;
        return;
      case 'tuv':
        this.unit!.tuvs.push(this.tuv!);
        this.tuv = undefined;
        return;
      case 'tu':
        this.endUnit(this.unit!);
        this.unit = undefined;
        return;
    }
  }

  private readProp(type: string | undefined, value: string): void {
    const unit = this.unit!;
    if (type === 'x-parla-origin' && (MEMORY_ORIGINS as readonly string[]).includes(value.trim())) unit.origin = value.trim() as MemoryOrigin;
    if (type === 'x-parla-history') {
      try {
        const history = JSON.parse(value) as unknown;
        if (Array.isArray(history)) unit.history = history.filter(isRevision);
      } catch {
        throw this.fail('an x-parla-history prop that is not JSON');
      }
    }
  }

  private endUnit(unit: Unit): void {
    const declared = unit.srclang ?? this.headerSrclang;
    const source = declared && declared !== '*all*' ? unit.tuvs.find((t) => sameLang(t.lang, declared)) : unit.tuvs[0];
    if (!source) throw this.fail(`the unit has no <tuv> in its source language ${declared}`, unit.line);
    if (source.seg === undefined) throw this.fail('a <tuv> without <seg>', unit.line);
    const note = unit.notes.filter(Boolean).join('\n');
    for (const tuv of unit.tuvs) {
      if (tuv === source || tuv.seg === undefined || !tuv.seg.trim() || !source.seg.trim()) continue;
      this.entries.push({
        from: source.lang,
        to: tuv.lang,
        source: source.seg,
        target: tuv.seg,
        origin: unit.origin ?? 'imported',
        ...(unit.who ? { who: unit.who } : {}),
        ...(unit.when ? { when: unit.when } : {}),
        ...(note ? { note } : {}),
        ...(unit.history?.length ? { history: unit.history } : {}),
      });
    }
  }
}

function isRevision(r: unknown): r is MemoryRevision {
  const x = r as MemoryRevision;
  return typeof x === 'object' && x !== null && typeof x.target === 'string' && typeof x.who === 'string' && typeof x.when === 'number' && MEMORY_ORIGINS.includes(x.origin);
}

function sameLang(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Reads a TMX file as a stream (a 100,000-unit file never sits in memory as text). */
export async function readTmxFile(file: string, onProgress?: (p: TmxProgress) => void): Promise<NewMemoryEntry[]> {
  let totalBytes: number;
  try {
    totalBytes = statSync(file).size;
  } catch {
    throw new ParlaError('NOT_FOUND', `${file}: no such file`);
  }
  const reader = new TmxReader(file);
  let bytes = 0;
  const stream = createReadStream(file);
  stream.setEncoding('utf8');
  for await (const chunk of stream as AsyncIterable<string>) {
    reader.write(bytes === 0 ? chunk.replace(/^\uFEFF/, '') : chunk);
    bytes = stream.bytesRead;
    onProgress?.({ bytes, totalBytes });
  }
  return reader.end();
}

export function parseTmx(text: string, name: string): NewMemoryEntry[] {
  const reader = new TmxReader(name);
  reader.write(text.replace(/^\uFEFF/, ''));
  return reader.end();
}

/** TMX's date: YYYYMMDDThhmmssZ (UTC). */
function parseTmxDate(value: string | undefined): number | undefined {
  const m = value && /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
}

function tmxDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// Characters XML 1.0 cannot hold at all (not even as &#…;): in a segment, a placeholder of
// Parla's own that its reader turns back into the character.
const NOT_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;
const CHAR_PH = 'x-parla-char';

function segment(text: string): string {
  return esc(text).replace(NOT_XML, (c) => `<ph type="${CHAR_PH}">${c.charCodeAt(0).toString(16)}</ph>`);
}

/** Entries as a TMX 1.4 document: one unit per entry, its source language first. */
export function formatTmx(entries: readonly MemoryEntry[], tool: { version: string }): string {
  const sources = new Set(entries.map((e) => e.from));
  const srclang = sources.size === 1 ? [...sources][0]! : '*all*';
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<tmx version="1.4">',
    `  <header creationtool="Parla" creationtoolversion="${esc(tool.version)}" segtype="sentence" o-tmf="parla" adminlang="en" srclang="${esc(srclang)}" datatype="plaintext"/>`,
    '  <body>',
  ];
  for (const e of entries) {
    out.push(`    <tu tuid="${e.id}" srclang="${esc(e.from)}" creationid="${esc(e.who)}" changeid="${esc(e.who)}" changedate="${tmxDate(e.when)}">`);
    out.push(`      <prop type="x-parla-origin">${e.origin}</prop>`);
    if (e.history.length) out.push(`      <prop type="x-parla-history">${esc(JSON.stringify(e.history))}</prop>`);
    if (e.note) out.push(`      <note>${esc(e.note.replace(NOT_XML, ' '))}</note>`);
    out.push(`      <tuv xml:lang="${esc(e.from)}"><seg>${segment(e.source)}</seg></tuv>`);
    out.push(`      <tuv xml:lang="${esc(e.to)}"><seg>${segment(e.target)}</seg></tuv>`);
    out.push('    </tu>');
  }
  out.push('  </body>', '</tmx>', '');
  return out.join('\n');
}
