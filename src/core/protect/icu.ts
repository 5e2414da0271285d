// ICU MessageFormat plural/select blocks: the structure (argument, type, offset, keys, `#`) stays
// as written, the text of each branch is translated. Parsed with @formatjs's parser, so what we
// call valid is what formatjs, react-intl and most i18n runtimes accept.
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';

export interface IcuBranch {
  /** Offsets of the branch's inner text (between its braces) within the block. */
  start: number;
  end: number;
  text: string;
}

export interface IcuBlock {
  branches: IcuBranch[];
  /** Argument names, types, offsets and keys of the whole block, nested blocks included. */
  shape: string;
}

function parseElements(text: string): MessageFormatElement[] | undefined {
  try {
    return parse(text, { captureLocation: true, ignoreTag: true });
  } catch {
    return undefined;
  }
}

function shapeOf(elements: readonly MessageFormatElement[]): string[] {
  const out: string[] = [];
  for (const el of elements) {
    if (el.type === TYPE.plural || el.type === TYPE.select) {
      const offset = el.type === TYPE.plural ? `${el.pluralType}:${el.offset}` : 'select';
      out.push(`${el.value}/${offset}{`);
      for (const [key, option] of Object.entries(el.options)) out.push(key, ...shapeOf(option.value));
      out.push('}');
    } else if (el.type === TYPE.argument || el.type === TYPE.number || el.type === TYPE.date || el.type === TYPE.time) {
      out.push(`{${el.value}:${el.type}}`);
    } else if (el.type === TYPE.pound) {
      out.push('#');
    }
  }
  return out;
}

/** The branches of a plural/select block (one `{name, plural|select|selectordinal, …}`), or undefined if it does not parse. */
export function parseIcuBlock(text: string): IcuBlock | undefined {
  const elements = parseElements(text);
  const block = elements?.length === 1 ? elements[0] : undefined;
  if (!block || (block.type !== TYPE.plural && block.type !== TYPE.select)) return undefined;
  const branches: IcuBranch[] = [];
  for (const option of Object.values(block.options)) {
    if (!option.location) return undefined;
    const start = option.location.start.offset + 1;
    const end = option.location.end.offset - 1;
    branches.push({ start, end, text: text.slice(start, end) });
  }
  return { branches, shape: shapeOf(elements!).join(' ') };
}

/** The block with each branch's text replaced (same order as `parseIcuBlock` gave them). */
export function rebuildIcuBlock(text: string, block: IcuBlock, translated: readonly string[]): string {
  let out = '';
  let at = 0;
  block.branches.forEach((branch, i) => {
    out += text.slice(at, branch.start) + translated[i];
    at = branch.end;
  });
  return out + text.slice(at);
}

/** True when `output` parses as a block with the same arguments, keys and nesting as `block`. */
export function sameIcuShape(block: IcuBlock, output: string): boolean {
  const elements = parseElements(output);
  return elements !== undefined && shapeOf(elements).join(' ') === block.shape;
}
