// Protected spans with the real bundled model: placeholders, tags, codes and ICU blocks come back
// verbatim in every output of the localization set, greedy and beam, and the words around them
// are still translated; texts without spans translate exactly as with protection off.
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { keepsSpans, ProtectingTranslator } from '../../src/core/protect/protecting-translator.js';
import { findSpans, tagShape } from '../../src/core/protect/spans.js';
import type { Translation, Translator } from '../../src/shared/translation.js';
import { HAVE_MODEL, MODEL_DIR } from '../engine/model-fixture.js';
import { HTML_STRINGS, ICU_STRINGS, localizationSet, PLAIN_STRINGS } from './fixtures.js';
import { modelTranslator } from './model-translator.js';

/** The source's words outside spans changed: the model translated the prose around the spans. */
function wordsTranslated(source: string, output: string): boolean {
  const words = (text: string) => {
    let out = text;
    for (const span of findSpans(text).reverse()) out = out.slice(0, span.start) + ' ' + out.slice(span.end);
    return out.toLowerCase().replace(/[^\p{L}]+/gu, ' ').trim();
  };
  return words(source) !== words(output);
}

/** A message's arguments (name and type), plural/select keys and `#` per branch, in a canonical order. */
function icuArguments(text: string): string {
  const walk = (elements: MessageFormatElement[]): string[] =>
    elements
      .flatMap((el): string[] => {
        if (el.type === TYPE.plural || el.type === TYPE.select) {
          return [`${el.value}:${el.type}`, ...Object.entries(el.options).map(([key, o]) => `${key}{${walk(o.value).join(',')}}`)];
        }
        if (el.type === TYPE.pound) return ['#'];
        return el.type === TYPE.literal ? [] : [`${el.value}:${el.type}`];
      })
      .sort();
  return walk(parse(text, { ignoreTag: true })).join(' ');
}

describe.runIf(HAVE_MODEL)('protected spans with the bundled model', () => {
  let model: Awaited<ReturnType<typeof modelTranslator>>;
  let protector: Translator;
  const set = localizationSet();
  const results: Record<string, Translation[]> = {};

  beforeAll(async () => {
    model = await modelTranslator(MODEL_DIR);
    protector = new ProtectingTranslator(model);
    results.greedy = await protector.translate({ texts: set, to: 'es', options: { beam: 1 } });
    results.beam = await protector.translate({ texts: set, to: 'es', options: { beam: 4 } });
  }, 300_000);

  it('holds at least 300 strings with spans', () => {
    expect(set.length).toBeGreaterThanOrEqual(300);
    expect(set.filter((s) => findSpans(s).length === 0)).toEqual([]);
  });

  for (const mode of ['greedy', 'beam'] as const) {
    it(`keeps every span in 100 % of outputs (${mode})`, () => {
      const broken = results[mode]!.filter((r) => !keepsSpans(r.source, r.text) || r.flags?.length);
      expect(broken.map((r) => `${r.source} → ${r.text}`)).toEqual([]);
    });

    it(`still translates the words around the spans in ≥ 90 % (${mode})`, () => {
      const withWords = results[mode]!.filter((r) => /\p{L}{3}/u.test(r.source.replace(/%\w|\{[^}]*\}|<[^>]*>/g, '')));
      const translated = withWords.filter((r) => wordsTranslated(r.source, r.text));
      expect(translated.length / withWords.length).toBeGreaterThanOrEqual(0.9);
    });
  }

  it('ICU outputs parse with the same arguments and keys', () => {
    for (const mode of ['greedy', 'beam'] as const) {
      for (const r of results[mode]!.filter((x) => ICU_STRINGS.includes(x.source))) {
        expect(icuArguments(r.text), `${r.source} → ${r.text}`).toBe(icuArguments(r.source));
      }
    }
  });

  it('HTML outputs have the same tag tree', () => {
    for (const r of results.greedy!.filter((x) => HTML_STRINGS.includes(x.source))) {
      expect(tagShape(findSpans(r.text)), r.text).toBe(tagShape(findSpans(r.source)));
    }
  });

  it('leaves texts without spans exactly as the model translates them', async () => {
    const plain = await model.translate({ texts: PLAIN_STRINGS, to: 'es' });
    const through = await protector.translate({ texts: PLAIN_STRINGS, to: 'es' });
    expect(through.map((t) => t.text)).toEqual(plain.map((t) => t.text));
    expect(through.every((t) => t.flags === undefined)).toBe(true);
  });

  it('is off with protect: none (the model sees the text as it is)', async () => {
    const texts = ['Your order #{orderId} has shipped.'];
    const off = await protector.translate({ texts, to: 'es', protect: 'none' });
    const bare = await model.translate({ texts, to: 'es' });
    expect(off[0]!.text).toBe(bare[0]!.text);
  });
});

describe('protected spans: detection and hostile input', () => {
  // A stand-in model that mangles every placeholder it sees: protection must still hold or flag.
  const mangler: Translator = {
    translate: async (request) =>
      request.texts.map((source) => ({ source, text: `ES ${source.replace(/\{(\d+)\}/g, '{9$1}').replace(/<[^>]+>/g, '')}`, model: 'm', cached: false, ms: 0 })),
  };
  const protector = new ProtectingTranslator(mangler);

  it('finds each kind of span', () => {
    const kinds = (text: string) => findSpans(text).map((s) => `${s.kind}:${s.text}`);
    expect(kinds('Copied %1$s to %2$s, %(name)s and %d%%')).toEqual(['printf:%1$s', 'printf:%2$s', 'printf:%(name)s', 'printf:%d', 'printf:%%']);
    expect(kinds('{name} {0} {{x}} ${x} #{x} %{count}')).toEqual(['brace:{name}', 'brace:{0}', 'brace:{{x}}', 'brace:${x}', 'brace:#{x}', 'brace:%{count}']);
    expect(kinds('<a href="/x">go</a><br>&amp;')).toEqual(['tag:<a href="/x">', 'tag:</a>', 'tag:<br>', 'entity:&amp;']);
    expect(kinds('See https://example.com/a. Or mail a.b@example.org')).toEqual(['url:https://example.com/a', 'email:a.b@example.org']);
    expect(kinds('SKU-1003, v2.3.1, ABC-12, max_size, userId, --no-cache')).toEqual(['code:SKU-1003', 'code:v2.3.1', 'code:ABC-12', 'code:max_size', 'code:userId', 'code:--no-cache']);
    expect(kinds('{n, plural, one {# a} other {# b}} left')).toEqual(['icu:{n, plural, one {# a} other {# b}}']);
    expect(kinds('50% off for everyone, a well-known offer')).toEqual([]);
  });

  it('keeps spans through a model that mangles placeholders and drops tags, by translating around them', async () => {
    const [out] = await protector.translate({ texts: ['Click <a href="/x">here</a> to delete {item} now'], to: 'es' });
    expect(out!.text).toBe('ES Click <a href="/x">ES here</a> ES to delete {item} ES now');
    expect(out!.flags).toBeUndefined();
  });

  it('handles a lone brace, unbalanced tags and an unparsable ICU block without throwing', async () => {
    const texts = ['Price {', 'Bold <b>text', 'Close </i> now', '{n, plural, one {# a} other {# b}', '}{'];
    const out = await protector.translate({ texts, to: 'es' });
    out.forEach((r, i) => expect(keepsSpans(texts[i]!, r.text), r.text).toBe(true));
  });

  it('translates a cell with 10,000 placeholders and keeps them all', async () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `word {p${i}}`).join(' ');
    const started = performance.now();
    const [out] = await protector.translate({ texts: [text], to: 'es' });
    expect(keepsSpans(text, out!.text)).toBe(true);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('keeps a piece as written when its translation invents a placeholder', async () => {
    const inventor: Translator = { translate: async (r) => r.texts.map((source) => ({ source, text: `${source} {extra}`, model: 'm', cached: false, ms: 0 })) };
    const [out] = await new ProtectingTranslator(inventor).translate({ texts: ['Delete {item} now'], to: 'es' });
    expect(out!.text).toBe('Delete {item} now');
    expect(out!.flags).toBeUndefined();
  });

  it('flags an output whose spans it could not keep instead of hiding it', async () => {
    // The piece's translation glues onto the code after it, so the code no longer reads as itself.
    const gluer: Translator = { translate: async (r) => r.texts.map((source) => ({ source, text: 'PedidoX', model: 'm', cached: false, ms: 0 })) };
    const [out] = await new ProtectingTranslator(gluer).translate({ texts: ['Order:SKU-1003'], to: 'es' });
    expect(out!.text).toBe('PedidoXSKU-1003');
    expect(out!.flags).toEqual(['spans']);
  });
});

describe('protected spans: n-best alternatives', () => {
  const beamish: Translator = {
    translate: async (r) =>
      r.texts.map((source) => ({
        source,
        text: `ES ${source}`,
        model: 'm',
        cached: false,
        ms: 0,
        alternatives: [
          { text: `ES ${source}`, score: -0.1 },
          { text: `Otro ${source}`, score: -0.2 },
        ],
      })),
  };

  it('keeps the alternatives of a text without spans and restores the spans of the others', async () => {
    const [plain, withSpan] = await new ProtectingTranslator(beamish).translate({ texts: ['Open the file', 'Delete {item} now'], to: 'es', options: { beam: 2, nBest: 2 } });
    expect(plain!.alternatives?.map((a) => a.text)).toEqual(['ES Open the file', 'Otro Open the file']);
    expect(withSpan!.alternatives?.map((a) => a.text)).toEqual(['ES Delete {item} now', 'Otro Delete {item} now']);
  });
});
