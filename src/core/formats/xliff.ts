// XLIFF 1.2 and 2.0 (the exchange files of CAT tools: SDL Trados, memoQ, Okapi, Crowdin…).
// Each 1.2 <trans-unit> / 2.0 <segment> is one unit; a non-empty <target> is its existing
// translation. Inline elements become placeholder tags the protected-span code already keeps
// (`<g1>…</g1>` for paired elements whose content is text, `<x2/>` for the rest) and are put back
// as the original XML on render. Rendering splices each new <target> and its state into the
// original text, so the rest of the file stays byte for byte. docs/formats-text.md has the choices.
import { ParlaError } from '../../shared/errors.js';
import type { ItemTranslation } from '../../shared/jobs.js';
import { restorePlaceholders, withoutCollisions, type Placeholder } from './placeholders.js';
import { applyEdits, insertLanguage, lineBreakOf, type Edit } from './source-text.js';
import type { FileUnit, RenderOptions, TextFormat, UnitCounts, UnitLookup } from './text-format.js';
import { attr, childElements, escapeAttr, escapeText, parseXml, textOf, type XmlElement, type XmlNode } from './xml.js';

type XliffVersion = '1.2' | '2.0';

/** Inline elements whose content is translatable text: they become a pair of tags around it. */
const PAIRED: Record<XliffVersion, ReadonlySet<string>> = {
  '1.2': new Set(['g', 'mrk']),
  '2.0': new Set(['pc', 'mrk']),
};

/** 2.0 has no needs-review state: a translated segment that needs a look gets this subState. */
export const XLIFF2_REVIEW_SUBSTATE = 'parla:needs-review';

interface XliffSegment {
  unit: FileUnit;
  /** trans-unit (1.2) or segment (2.0): where the target goes and (2.0) the state lives. */
  container: XmlElement;
  source: XmlElement;
  target?: XmlElement;
  placeholders: Placeholder[];
  /** Whitespace around the source text, written around the translation too. */
  lead: string;
  trail: string;
}

export interface XliffDoc {
  text: string;
  version: XliffVersion;
  root: XmlElement;
  files: XmlElement[];
  segments: XliffSegment[];
}

/** The root's start tag, after what may precede it (declaration, comments, processing instructions, DOCTYPE). */
const ROOT = /^\uFEFF?\s*(?:(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)\s*)*(<(?:[\w.-]+:)?xliff\b[^>]*>)/;

function versionOf(rootTag: string): XliffVersion | undefined {
  // Not `its:version="2.0"`, which Okapi writes on 1.2 files.
  const version = /\sversion\s*=\s*["']([^"']+)["']/.exec(rootTag)?.[1];
  if (version && /^1\.[012]$/.test(version)) return '1.2';
  if (version && /^2\.\d$/.test(version)) return '2.0';
  if (rootTag.includes('urn:oasis:names:tc:xliff:document:1.')) return '1.2';
  if (rootTag.includes('urn:oasis:names:tc:xliff:document:2.')) return '2.0';
  return undefined;
}

/** An annotation whose content stays as written: 1.2 `<mrk mtype="protected">`, 2.0 `<mrk translate="no">`. */
function doNotTranslate(el: XmlElement): boolean {
  return attr(el, 'mtype') === 'protected' || attr(el, 'translate') === 'no';
}

/** The content of an element as the model sees it: text decoded, inline elements as placeholder tags. */
function tokenize(el: XmlElement, text: string, version: XliffVersion): { source: string; placeholders: Placeholder[] } {
  return withoutCollisions(textOf(el), (base) => {
    const placeholders: Placeholder[] = [];
    const walk = (nodes: readonly XmlNode[]): string =>
      nodes
        .map((node) => {
          if (node.kind === 'text') return node.value;
          const n = base + placeholders.length + 1;
          if (PAIRED[version].has(node.local) && !node.selfClosing && !doNotTranslate(node)) {
            const open = { token: `<g${n}>`, original: text.slice(node.start, node.openEnd) };
            placeholders.push(open);
            const inner = walk(node.children);
            const close = { token: `</g${n}>`, original: text.slice(node.closeStart, node.end) };
            placeholders.push(close);
            return open.token + inner + close.token;
          }
          const self = { token: `<x${n}/>`, original: text.slice(node.start, node.end) };
          placeholders.push(self);
          return self.token;
        })
        .join('');
    return { source: walk(el.children), placeholders };
  });
}

function notesOf(el: XmlElement | undefined): string[] {
  if (!el) return [];
  return [...childElements(el, 'note'), ...childElements(el, 'notes').flatMap((n) => childElements(n, 'note'))]
    .map((n) => textOf(n).trim())
    .filter(Boolean);
}

/** The `local` elements under `el`, leaving out those in a `translate="no"` group and their own `translate="no"`. */
function descendants(el: XmlElement, local: string): XmlElement[] {
  return childElements(el)
    .filter((c) => attr(c, 'translate') !== 'no')
    .flatMap((c) => (c.local === local ? [c] : descendants(c, local)));
}

/**
 * A target that its state says is not a translation yet: tools such as Okapi copy the source into
 * the target with 1.2 `state="new"`/`"needs-translation"`; in 2.0 an explicit `state="initial"`.
 */
function untranslated(version: XliffVersion, container: XmlElement, target: XmlElement): boolean {
  if (version === '1.2') return ['new', 'needs-translation'].includes(attr(target, 'state') ?? '');
  return attr(container, 'state') === 'initial';
}

function segmentOf(
  text: string,
  version: XliffVersion,
  id: string,
  container: XmlElement,
  context: string[],
): XliffSegment | undefined {
  const source = childElements(container, 'source')[0];
  if (!source) return undefined;
  const target = childElements(container, 'target')[0];
  const { source: raw, placeholders } = tokenize(source, text, version);
  const preserve = attr(source, 'xml:space') === 'preserve' || attr(container, 'xml:space') === 'preserve';
  // A source wrapped over several lines reads as one line to the model, unless spaces matter.
  const trimmed = preserve ? raw.trim() : raw.trim().replace(/[ \t]*(?:\r\n|\n|\r)\s*/g, ' ');
  if (!trimmed) return undefined;
  const lead = raw.slice(0, raw.length - raw.trimStart().length);
  const trail = raw.slice(raw.trimEnd().length);
  const unit: FileUnit = { id, source: trimmed };
  const existing = target && !untranslated(version, container, target) ? tokenize(target, text, version).source.trim() : '';
  if (existing) unit.existing = existing;
  if (context.length) unit.context = context.join(' | ');
  return { unit, container, source, target, placeholders, lead, trail };
}

function parseXliff(text: string, file: string): XliffDoc {
  const root = parseXml(text, file);
  if (root.local !== 'xliff') throw new ParlaError('BAD_FILE', `${file}: the root element is <${root.name}>, not <xliff>`);
  const version = versionOf(text.slice(root.start, root.openEnd));
  if (!version) {
    throw new ParlaError('BAD_FILE', `${file}: XLIFF version ${attr(root, 'version') ?? '(none)'} is not supported (1.2 or 2.0)`);
  }
  const files = childElements(root, 'file');
  const segments: XliffSegment[] = [];
  const ids = new Set<string>();
  const uniqueId = (id: string, fileIndex: number): string => {
    // Ids are unique within a <file>; a second <file> repeating one gets its file's number in front.
    const unique = ids.has(id) ? `${fileIndex + 1}/${id}` : id;
    ids.add(unique);
    return unique;
  };
  files.forEach((fileEl, fileIndex) => {
    if (version === '1.2') {
      descendants(fileEl, 'trans-unit').forEach((tu, i) => {
        const context = [attr(tu, 'resname'), ...notesOf(tu)].filter((c): c is string => !!c);
        const segment = segmentOf(text, version, uniqueId(attr(tu, 'id') ?? String(i + 1), fileIndex), tu, context);
        if (segment) segments.push(segment);
      });
    } else {
      descendants(fileEl, 'unit').forEach((unitEl, i) => {
        const unitId = attr(unitEl, 'id') ?? String(i + 1);
        const parts = childElements(unitEl, 'segment');
        const context = [attr(unitEl, 'name'), ...notesOf(unitEl)].filter((c): c is string => !!c);
        parts.forEach((seg, j) => {
          const id = parts.length === 1 ? unitId : `${unitId}/${attr(seg, 'id') ?? j + 1}`;
          const segment = segmentOf(text, version, uniqueId(id, fileIndex), seg, context);
          if (segment) segments.push(segment);
        });
      });
    }
  });
  return { text, version, root, files, segments };
}

/** An edit that sets attribute `name` of `el` (replacing its value, or adding it after the last attribute). */
function setAttr(el: XmlElement, name: string, value: string): Edit {
  const existing = el.attrs.find((a) => a.name === name);
  const written = `${name}="${escapeAttr(value)}"`;
  if (existing) return { start: existing.start, end: existing.end, insert: written };
  const at = el.attrs.at(-1)?.end ?? el.start + 1 + el.name.length;
  return { start: at, end: at, insert: ` ${written}` };
}

/** The whitespace that starts the line of `offset`, when only whitespace precedes it on that line. */
function indentBefore(text: string, offset: number): string | undefined {
  let lineStart = offset;
  while (lineStart > 0 && (text[lineStart - 1] === ' ' || text[lineStart - 1] === '\t')) lineStart--;
  const atLineStart = lineStart > 0 && (text[lineStart - 1] === '\n' || text[lineStart - 1] === '\r');
  return atLineStart ? text.slice(lineStart, offset) : undefined;
}

function writeTarget(doc: XliffDoc, segment: XliffSegment, translation: ItemTranslation): Edit[] {
  const { text, version } = doc;
  const { text: xml, intact } = restorePlaceholders(translation.text, segment.placeholders, escapeText);
  const content = escapeText(segment.lead) + xml + escapeText(segment.trail);
  const review = !intact || translation.flags.length > 0;
  const edits: Edit[] = [];
  // 1.2 keeps the state on <target>; 2.0 on <segment>.
  const state = version === '1.2' ? (review ? 'needs-review-translation' : 'translated') : 'translated';
  const { target, source, container } = segment;
  if (target) {
    if (version === '1.2') edits.push(setAttr(target, 'state', state));
    if (target.selfClosing) edits.push({ start: target.openEnd - 2, end: target.openEnd, insert: `>${content}</${target.name}>` });
    else edits.push({ start: target.openEnd, end: target.closeStart, insert: content });
  } else {
    const name = source.name.replace(/source$/, 'target');
    const stateAttr = version === '1.2' ? ` state="${state}"` : '';
    // 1.2 orders source, seg-source, target: the target follows whichever comes last.
    const anchor = childElements(container, 'seg-source')[0] ?? source;
    const indent = indentBefore(text, anchor.start);
    const before = indent === undefined ? '' : lineBreakOf(text) + indent;
    edits.push({ start: anchor.end, end: anchor.end, insert: `${before}<${name}${stateAttr}>${content}</${name}>` });
  }
  if (version === '2.0') {
    edits.push(setAttr(container, 'state', state));
    const subState = container.attrs.find((a) => a.name === 'subState');
    if (review) edits.push(setAttr(container, 'subState', XLIFF2_REVIEW_SUBSTATE));
    else if (subState?.value.startsWith('parla:')) {
      // Our own review mark from an earlier run goes once the segment is translated cleanly.
      const start = text.slice(0, subState.start).trimEnd().length;
      edits.push({ start, end: subState.end, insert: '' });
    }
  }
  return edits;
}

function render(doc: XliffDoc, lookup: UnitLookup, options: RenderOptions): { text: string; counts: UnitCounts } {
  const counts: UnitCounts = { translated: 0, kept: 0, skipped: 0 };
  const edits: Edit[] = [];
  for (const segment of doc.segments) {
    if (segment.unit.existing !== undefined && !options.overwrite) {
      counts.kept++;
      continue;
    }
    const translation = lookup(segment.unit);
    if (!translation?.text) {
      counts.skipped++;
      continue;
    }
    counts.translated++;
    edits.push(...writeTarget(doc, segment, translation));
  }
  if (counts.translated > 0) {
    if (doc.version === '1.2') {
      for (const fileEl of doc.files) if (!attr(fileEl, 'target-language')) edits.push(setAttr(fileEl, 'target-language', options.lang));
    } else if (!attr(doc.root, 'trgLang')) edits.push(setAttr(doc.root, 'trgLang', options.lang));
  }
  return { text: applyEdits(doc.text, edits), counts };
}

export const xliffFormat: TextFormat<XliffDoc> = {
  id: 'xliff',
  extensions: ['.xlf', '.xliff'],
  sniff(text) {
    const head = text.slice(0, 4096);
    const rootTag = ROOT.exec(head)?.[1];
    return rootTag !== undefined && versionOf(rootTag) !== undefined;
  },
  parse: parseXliff,
  units: (doc) => doc.segments.map((s) => s.unit),
  render,
  outputName: insertLanguage,
};
