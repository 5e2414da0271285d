// Protected spans: the parts of a text that a program depends on (placeholders, markup, URLs,
// product codes, ICU plural/select blocks) and that must come back from translation unchanged.
// Detection is lexical and deliberately conservative about prose: a span must look like code.

export type SpanKind = 'icu' | 'tag' | 'comment' | 'url' | 'email' | 'brace' | 'printf' | 'entity' | 'pound' | 'code' | 'term';

export interface Span {
  kind: SpanKind;
  start: number;
  end: number;
  text: string;
  /** Tags only: the element name, and whether it opens, closes or stands alone. */
  tag?: { name: string; role: 'open' | 'close' | 'self' };
  /** Glossary terms only (found by TermMatcher, not findSpans): the entry and what the output must hold. */
  term?: { entryId: string; target: string };
}

export interface FindSpansOptions {
  /** Inside an ICU plural branch `#` is the count: a span there, plain text elsewhere. */
  pluralBranch?: boolean;
}

// Order matters where patterns overlap: the earliest alternative that matches at a position wins.
const PATTERNS: [SpanKind, string][] = [
  ['comment', String.raw`<!--[\s\S]*?-->`],
  ['tag', String.raw`<\/?[A-Za-z][\w:.-]*(?:\s+[^<>]*?)?\s*\/?>`],
  // An address in angle brackets (`<bug-wget@gnu.org>`, `<https://…>`) is one span, brackets included.
  ['email', String.raw`<[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+>|<(?:https?|ftp):\/\/[^\s<>]+>`],
  ['url', String.raw`\b(?:https?|ftp|file):\/\/[^\s<>"'\x60]+|\bwww\.[A-Za-z0-9-]+\.[^\s<>"'\x60]+`],
  ['email', String.raw`\b[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\b`],
  ['brace', String.raw`\{\{[^{}]*\}\}|[$#%]\{[^{}\s]*\}|\{[\w.:$@-]*\}|\$[A-Za-z_]\w*\b`],
  [
    'printf',
    String.raw`%(?:\d+\$)?[-+#0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t|I64|I32)?[diouxXeEfFgGcspnaA@]` +
      String.raw`|%\([^)\s]+\)[-+ #0]*\d*(?:\.\d+)?[diouxXeEfFgGcsr]|%%|%\d+\b|%[A-Za-z_]+%`,
  ],
  ['entity', String.raw`&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#\d{1,7}|#x[0-9a-fA-F]{1,6});`],
  // Codes and identifiers inside prose: SKU-1003, ABC-12, X11, v2.3.1, 1.2.3, snake_case,
  // SNAKE_case, camelCase, --long-option.
  [
    'code',
    String.raw`\b[A-Z][A-Z0-9]*(?:[-_][A-Z0-9]+)*[-_]?\d[A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*\b` +
      String.raw`|\bv\d+(?:\.\d+)+(?:[-+][\w.]+)?\b|\b\d+(?:\.\d+){2,}(?:[-+][\w.]+)?\b` +
      String.raw`|\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b|\b[a-z]+(?:[A-Z][a-z0-9]+)+\b|(?<![\w-])--[a-z][\w-]*`,
  ],
];
const SCANNER = new RegExp(PATTERNS.map(([kind, source], i) => `(?<${kind}${i}>${source})`).join('|'), 'g');
const ICU_START = /\{\s*[\p{L}\p{N}_]+\s*,\s*(?:plural|select|selectordinal)\s*,/uy;
const TRAILING_URL_PUNCTUATION = /[.,;:!?)\]}'"]+$/;

/** The end (exclusive) of the balanced `{…}` block starting at `start`, or -1 when unbalanced. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

function tagInfo(text: string): Span['tag'] {
  const name = /^<\/?([A-Za-z][\w:.-]*)/.exec(text)![1]!.toLowerCase();
  const role = text.startsWith('</') ? 'close' : text.endsWith('/>') || VOID_ELEMENTS.has(name) ? 'self' : 'open';
  return { name, role };
}
const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** Every protected span of `text`, in order, none overlapping. */
export function findSpans(text: string, options: FindSpansOptions = {}): Span[] {
  const spans: Span[] = [];
  const push = (kind: SpanKind, start: number, end: number) => {
    const span: Span = { kind, start, end, text: text.slice(start, end) };
    if (kind === 'tag') span.tag = tagInfo(span.text);
    spans.push(span);
  };
  let from = 0;
  // ICU blocks first: they contain braces and text that the scanner must not split.
  const plain: [number, number][] = [];
  for (let i = text.indexOf('{'); i >= 0 && i < text.length; i = text.indexOf('{', i + 1)) {
    ICU_START.lastIndex = i;
    if (!ICU_START.test(text)) continue;
    const end = balancedEnd(text, i);
    if (end < 0) break;
    plain.push([from, i]);
    push('icu', i, end);
    from = end;
    i = end - 1;
  }
  plain.push([from, text.length]);
  const icu = spans.splice(0);
  for (const [start, end] of plain) {
    const part = text.slice(start, end);
    for (const match of part.matchAll(SCANNER)) {
      const group = Object.keys(match.groups!).find((k) => match.groups![k] !== undefined)!;
      const kind = group.replace(/\d+$/, '') as SpanKind;
      let length = match[0].length;
      if (kind === 'url') length -= TRAILING_URL_PUNCTUATION.exec(match[0])?.[0].length ?? 0;
      push(kind, start + match.index, start + match.index + length);
    }
    if (options.pluralBranch) {
      for (let i = part.indexOf('#'); i >= 0; i = part.indexOf('#', i + 1)) {
        const at = start + i;
        if (!spans.some((s) => s.start <= at && at < s.end)) push('pound', at, at + 1);
      }
    }
  }
  return [...icu, ...spans].sort((a, b) => a.start - b.start);
}

/** True when a text's tags open and close in properly nested pairs. */
export function tagsBalanced(spans: readonly Span[]): boolean {
  const stack: string[] = [];
  for (const span of spans) {
    if (span.kind !== 'tag' || !span.tag) continue;
    if (span.tag.role === 'open') stack.push(span.tag.name);
    else if (span.tag.role === 'close' && stack.pop() !== span.tag.name) return false;
  }
  return stack.length === 0;
}

/** The order in which tags open and close, as a comparable string ("<a>,<b>,</b>,</a>"). */
export function tagShape(spans: readonly Span[]): string {
  return spans
    .filter((s) => s.kind === 'tag' && s.tag?.role !== 'self')
    .map((s) => (s.tag!.role === 'close' ? `</${s.tag!.name}>` : `<${s.tag!.name}>`))
    .join(',');
}
