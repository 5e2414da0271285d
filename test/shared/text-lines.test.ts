// Text as lines, shared by the Translate page and the document routes: every kind of line ending,
// blank line and indentation comes back as written.
import { describe, expect, it } from 'vitest';
import { editedTexts, joinLines, splitLines } from '../../src/shared/text-lines.js';

describe('text as lines', () => {
  it('keeps \\r\\n, \\r and \\n endings and each line\'s outer whitespace', () => {
    const input = 'Title\r\n\r\n  Indented line \rLast\n';
    const lines = splitLines(input);
    expect(lines.texts).toEqual(['Title', 'Indented line', 'Last']);
    expect(joinLines(lines, ['Título', 'Línea sangrada', 'Última'])).toBe('Título\r\n\r\n  Línea sangrada \rÚltima\n');
    expect(joinLines(lines, lines.texts)).toBe(input);
  });

  it('stops after the last line translated so far, endings included', () => {
    const lines = splitLines('A\r\n\r\nB\r\nC');
    expect(joinLines(lines, ['a'])).toBe('a\r\n');
    expect(joinLines(lines, ['a', 'b'])).toBe('a\r\n\r\nb');
  });

  it('reads an edited output back by line position, whatever its endings', () => {
    const lines = splitLines('A\n\nB');
    expect(editedTexts(lines, 'x\r\n\r\n y ')).toEqual(['x', 'y']);
    expect(editedTexts(lines, 'x\ny')).toBeUndefined();
  });
});
