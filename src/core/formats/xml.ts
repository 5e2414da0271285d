// A small XML reader that keeps source offsets, for formats rendered by splicing into the
// original text (XLIFF): every element knows where its start tag, content and end tag lie, so a
// writer changes a target and nothing else, byte for byte. It checks well-formedness (names,
// nesting, quoting, entity references, one root) and reports the first fault with its line.
// Entities other than the five predefined ones and character references are refused: XLIFF
// files do not declare any.
import { ParlaError } from '../../shared/errors.js';
import { excerpt, lineAt } from './source-text.js';

export interface XmlAttr {
  name: string;
  value: string;
  /** Offsets of `name="value"` in the file. */
  start: number;
  end: number;
}

export interface XmlElement {
  kind: 'element';
  name: string;
  /** The name without its namespace prefix. */
  local: string;
  attrs: XmlAttr[];
  /** `<` of the start tag; just after its `>`. */
  start: number;
  openEnd: number;
  /** `<` of the end tag (= openEnd when self-closing); just after its `>`. */
  closeStart: number;
  end: number;
  selfClosing: boolean;
  children: XmlNode[];
}

export interface XmlText {
  kind: 'text';
  start: number;
  end: number;
  /** Entities decoded, CDATA unwrapped. */
  value: string;
}

export type XmlNode = XmlElement | XmlText;

const NAME = /[\p{L}_:][\p{L}\p{N}_.:\u00B7-]*/uy;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const REFERENCE = /&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|([\p{L}_:][\p{L}\p{N}_.:-]*));/uy;

export function attr(el: XmlElement, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value;
}

export function childElements(el: XmlElement, local?: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => c.kind === 'element' && (local === undefined || c.local === local));
}

/** The text of an element and its descendants. */
export function textOf(el: XmlElement): string {
  return el.children.map((c) => (c.kind === 'text' ? c.value : textOf(c))).join('');
}

/** `&`, `<` and `>` escaped for element content. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escaped for a double-quoted attribute value. */
export function escapeAttr(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

/** The root element of a well-formed document; throws BAD_FILE naming the line otherwise. */
export function parseXml(text: string, file: string): XmlElement {
  const fail = (at: number, message: string): never => {
    throw new ParlaError('BAD_FILE', `${file} line ${lineAt(text, at)}: ${message}`);
  };
  const decode = (raw: string, at: number): string =>
    !raw.includes('&')
      ? raw
      : raw.replace(/&[^&]*/g, (m, offset: number) => {
      REFERENCE.lastIndex = 0;
      const ref = REFERENCE.exec(m);
      if (!ref) return fail(at + offset, `"&" must start an entity such as &amp; (found "${excerpt(m, 0)}")`);
      let decoded: string | undefined;
      if (ref[3] !== undefined) decoded = PREDEFINED[ref[3]];
      else {
        const code = ref[1] !== undefined ? parseInt(ref[1], 16) : Number(ref[2]);
        decoded = code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
      }
      if (decoded === undefined) return fail(at + offset, `unknown entity ${ref[0]}`);
      return decoded + m.slice(ref[0].length);
    });
  const name = (at: number): string => {
    NAME.lastIndex = at;
    const m = NAME.exec(text);
    return m ? m[0] : fail(at, `expected a name at "${excerpt(text, at)}"`);
  };
  const skipSpace = (at: number): number => {
    while (at < text.length && ' \t\r\n'.includes(text[at]!)) at++;
    return at;
  };

  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const addChild = (node: XmlNode) => stack[stack.length - 1]!.children.push(node);

  while (pos < text.length) {
    if (text[pos] !== '<') {
      const next = text.indexOf('<', pos);
      const end = next < 0 ? text.length : next;
      const raw = text.slice(pos, end);
      if (stack.length === 0) {
        if (raw.trim()) fail(pos + raw.search(/\S/), 'text outside the root element');
      } else addChild({ kind: 'text', start: pos, end, value: decode(raw, pos) });
      pos = end;
    } else if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos + 4);
      if (end < 0) fail(pos, 'comment never closed (-->)');
      pos = end + 3;
    } else if (text.startsWith('<![CDATA[', pos)) {
      if (stack.length === 0) fail(pos, 'CDATA outside the root element');
      const end = text.indexOf(']]>', pos + 9);
      if (end < 0) fail(pos, 'CDATA section never closed (]]>)');
      addChild({ kind: 'text', start: pos, end: end + 3, value: text.slice(pos + 9, end) });
      pos = end + 3;
    } else if (text.startsWith('<?', pos)) {
      const end = text.indexOf('?>', pos + 2);
      if (end < 0) fail(pos, 'processing instruction never closed (?>)');
      pos = end + 2;
    } else if (text.startsWith('<!DOCTYPE', pos)) {
      if (root || stack.length) fail(pos, 'DOCTYPE after the root element');
      const subset = text.indexOf('[', pos);
      const close = text.indexOf('>', pos);
      if (close < 0) fail(pos, 'DOCTYPE never closed');
      if (subset >= 0 && subset < close) fail(pos, 'a DOCTYPE with an internal subset (entity declarations) is not supported');
      pos = close + 1;
    } else if (text.startsWith('</', pos)) {
      const tagName = name(pos + 2);
      const gt = skipSpace(pos + 2 + tagName.length);
      if (text[gt] !== '>') fail(gt, `end tag </${tagName}> is not closed with ">"`);
      const open = stack.pop();
      if (!open) return fail(pos, `end tag </${tagName}> with no start tag`);
      if (open.name !== tagName) fail(pos, `</${tagName}> closes <${open.name}> (opened on line ${lineAt(text, open.start)})`);
      open.closeStart = pos;
      open.end = gt + 1;
      pos = gt + 1;
    } else {
      const start = pos;
      const tagName = name(pos + 1);
      if (root && stack.length === 0) fail(pos, `second root element <${tagName}>`);
      pos += 1 + tagName.length;
      const attrs: XmlAttr[] = [];
      for (;;) {
        const before = pos;
        pos = skipSpace(pos);
        if (text.startsWith('/>', pos) || text[pos] === '>') break;
        if (pos >= text.length) fail(start, `start tag <${tagName}> never closed`);
        if (pos === before) fail(pos, `expected a space before an attribute in <${tagName}>`);
        const attrStart = pos;
        const attrName = name(pos);
        pos = skipSpace(pos + attrName.length);
        if (text[pos] !== '=') fail(pos, `attribute ${attrName} of <${tagName}> has no value`);
        pos = skipSpace(pos + 1);
        const quote = text[pos];
        if (quote !== '"' && quote !== "'") return fail(pos, `attribute ${attrName} of <${tagName}> is not quoted`);
        const close = text.indexOf(quote, pos + 1);
        if (close < 0) fail(pos, `attribute ${attrName} of <${tagName}> is never closed`);
        const raw = text.slice(pos + 1, close);
        if (raw.includes('<')) fail(pos, `"<" inside attribute ${attrName} of <${tagName}>`);
        if (attrs.some((a) => a.name === attrName)) fail(attrStart, `attribute ${attrName} repeated in <${tagName}>`);
        attrs.push({ name: attrName, value: decode(raw, pos + 1), start: attrStart, end: close + 1 });
        pos = close + 1;
      }
      const selfClosing = text[pos] === '/';
      pos += selfClosing ? 2 : 1;
      const el: XmlElement = {
        kind: 'element',
        name: tagName,
        local: tagName.slice(tagName.indexOf(':') + 1),
        attrs,
        start,
        openEnd: pos,
        closeStart: pos,
        end: pos,
        selfClosing,
        children: [],
      };
      if (stack.length) addChild(el);
      else root = el;
      if (!selfClosing) stack.push(el);
    }
  }
  const open = stack.pop();
  if (open) fail(open.start, `<${open.name}> is never closed`);
  if (!root) return fail(0, 'no root element');
  return root;
}
