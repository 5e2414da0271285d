// The Translate page's pure parts: lines kept as typed, long texts cut into parts within the
// server's limits and joined in order, the draft's storage, and the keys a browser keeps.
import { describe, expect, it } from 'vitest';
import { acceleratorLabel, BROWSER_KEYS, browserAccelerator, browserCommandForKey, COMMANDS } from '../../src/shared/commands.js';
import { LIMITS } from '../../src/shared/limits.js';
import type { TranslateRequest, Translation } from '../../src/shared/translation.js';
import { loadDraft, saveDraft } from '../../src/renderer/lib/draft.js';
import { editedTexts, joinLines, splitLines } from '../../src/shared/text-lines.js';
import { PART_TEXTS, partsOf, translateInParts } from '../../src/renderer/lib/translate-parts.js';

const key = (k: string, mods: { ctrl?: boolean; shift?: boolean; meta?: boolean } = {}) => ({ key: k, ctrlKey: !!mods.ctrl, metaKey: !!mods.meta, shiftKey: !!mods.shift, altKey: false });

describe('lines as typed', () => {
  it('translates non-blank lines and keeps blank lines and indentation exactly', () => {
    const lines = splitLines('A.\n\nB.\n\n\n  C. \n');
    expect(lines.texts).toEqual(['A.', 'B.', 'C.']);
    expect(joinLines(lines, ['a.', 'b.', 'c.'])).toBe('a.\n\nb.\n\n\n  c. \n');
    expect(joinLines(splitLines('A.\n \t\nB.'), ['a.', 'b.'])).toBe('a.\n \t\nb.');
    expect(splitLines('').texts).toEqual([]);
  });

  it('shows a text still coming in parts up to its last translated line', () => {
    const lines = splitLines('A.\n\nB.\n\n\nC.');
    expect(joinLines(lines, ['a.'])).toBe('a.\n');
    expect(joinLines(lines, ['a.', 'b.'])).toBe('a.\n\nb.\n\n');
    expect(joinLines(lines, [])).toBe('');
  });

  it('reads an edited output back line by line, and refuses one whose lines moved', () => {
    const lines = splitLines('A.\n\nB.');
    expect(editedTexts(lines, ' x. \n\ny.')).toEqual(['x.', 'y.']);
    expect(editedTexts(lines, 'x.\ny.')).toBeUndefined();
  });
});

describe('long texts in parts', () => {
  it('cuts by count and by characters, never loses or reorders a text', () => {
    const texts = Array.from({ length: 1200 }, (_, i) => `line ${i}`);
    const parts = partsOf(texts, 100, 1_000_000);
    expect(parts).toHaveLength(12);
    expect(parts.flat()).toEqual(texts);
    expect(partsOf(['aaaa', 'bbbb', 'cccc'], 10, 8)).toEqual([['aaaa', 'bbbb'], ['cccc']]);
    expect(partsOf(['a'.repeat(20), 'b'], 10, 8)).toEqual([['a'.repeat(20)], ['b']]);
    expect(partsOf([], 10, 8)).toEqual([]);
  });

  it('sends 1,200 lines as requests under the server limit and joins the answers in order', async () => {
    const calls: number[] = [];
    const api = {
      // The network edge: answers as the server would, and refuses what the server refuses.
      translate: async (r: TranslateRequest): Promise<Translation[]> => {
        if (r.texts.length > LIMITS.translateTexts) throw new Error('limit');
        calls.push(r.texts.length);
        return r.texts.map((source) => ({ source, text: source.toUpperCase(), model: 'm', cached: false, ms: 1 }));
      },
    };
    const texts = Array.from({ length: 1200 }, (_, i) => `line ${i}`);
    const progress: number[] = [];
    const out = await translateInParts(api, { texts, to: 'es' }, (p) => progress.push(p.done), () => false);
    expect(out!.map((t) => t.text)).toEqual(texts.map((t) => t.toUpperCase()));
    expect(out!.map((t) => t.source)).toEqual(texts);
    expect(calls.every((n) => n <= PART_TEXTS)).toBe(true);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(1200);
    expect(progress.at(-1)).toBe(1200);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('stops sending parts once a newer request replaced it', async () => {
    let sent = 0;
    const api = { translate: async (r: TranslateRequest) => (sent++, r.texts.map((source) => ({ source, text: source, model: 'm', cached: false, ms: 1 }))) };
    const texts = Array.from({ length: 500 }, (_, i) => `t${i}`);
    expect(await translateInParts(api, { texts, to: 'es' }, () => {}, () => sent >= 2)).toBeUndefined();
    expect(sent).toBe(2);
  });
});

describe('the draft', () => {
  const storage = () => {
    const map = new Map<string, string>();
    return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), map };
  };

  it('comes back as saved', () => {
    const s = storage();
    saveDraft({ text: 'A.\n\nB.', from: '', to: 'fr', beam: 4 }, s);
    expect(loadDraft(s)).toEqual({ text: 'A.\n\nB.', from: '', to: 'fr', beam: 4 });
  });

  it('ignores what is missing or malformed, and a full storage does not throw', () => {
    const s = storage();
    expect(loadDraft(s)).toEqual({});
    s.map.set('parla.translate.draft', '{not json');
    expect(loadDraft(s)).toEqual({});
    s.map.set('parla.translate.draft', JSON.stringify({ text: 3, from: 'en', to: '', beam: 'x' }));
    expect(loadDraft(s)).toEqual({ from: 'en' });
    const full = { setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(() => saveDraft({ text: 'x', from: 'en', to: 'es', beam: 1 }, full)).not.toThrow();
  });
});

describe('shortcuts in a browser tab', () => {
  it("leaves the browser's own keys to the browser: Ctrl+F finds in the page", () => {
    expect(browserCommandForKey(key('f', { ctrl: true }), false)).toBeUndefined();
    expect(browserCommandForKey(key('f', { meta: true }), true)).toBeUndefined();
    expect(browserCommandForKey(key('1', { ctrl: true }), false)).toBeUndefined();
    expect(browserCommandForKey(key('C', { ctrl: true, shift: true }), false)).toBeUndefined();
    expect(browserCommandForKey(key('L', { ctrl: true, shift: true }), false)).toBe('view.theme');
  });

  it('keeps every other command, and labels only those', () => {
    for (const c of COMMANDS) expect(browserAccelerator(c.id)).toBe(BROWSER_KEYS.includes(c.accelerator) ? undefined : c.accelerator);
    expect(acceleratorLabel('CmdOrCtrl+Shift+L', false)).toBe('Ctrl+Shift+L');
    expect(acceleratorLabel('CmdOrCtrl+Shift+L', true)).toBe('⌘+Shift+L');
  });
});
