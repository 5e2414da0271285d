// DetectingTranslator with the real detector; the engine behind it records what it is asked
// (the network edge of this unit: which model a text goes to).
import { describe, expect, it } from 'vitest';
import { DetectingTranslator } from '../../src/core/detect/detecting-translator.js';
import type { TranslateRequest, Translation, Translator } from '../../src/shared/translation.js';

class Recorder implements Translator {
  calls: TranslateRequest[] = [];
  async translate(request: TranslateRequest): Promise<Translation[]> {
    this.calls.push(request);
    return request.texts.map((source) => ({ source, text: `${request.from ?? '?'}>${request.to}:${source}`, model: `m-${request.from ?? 'default'}`, cached: false, ms: 1 }));
  }
}

const EN = 'The file could not be opened because it is locked by another program.';
const ES = 'No se pudo abrir el archivo porque otro programa lo tiene bloqueado.';
const FR = "Impossible d'ouvrir le fichier car il est verrouillé par un autre programme.";

describe('DetectingTranslator', () => {
  it('routes each text by its language, passes the target language through and leaves unserved ones', async () => {
    const inner = new Recorder();
    const t = new DetectingTranslator(inner, async () => ['en']);
    const out = await t.translate({ texts: [EN, ES, FR, '12345'], to: 'es', from: 'auto' });
    expect(out.map((r) => [r.from, r.detected?.language, r.model, r.flags ?? []])).toEqual([
      ['en', 'en', 'm-en', []],
      ['es', 'es', '', ['same_language']],
      ['fr', 'fr', '', ['no_model']],
      ['en', undefined, 'm-en', []], // no language in it: the fallback source, and it says so
    ]);
    expect(out[1]!.text).toBe(ES);
    expect(out[2]!.text).toBe('');
    // One model call, for the English text and the unsure one; nothing else asked the model.
    expect(inner.calls.map((c) => [c.from, c.texts])).toEqual([['en', [EN, '12345']]]);
  });

  it('groups texts per detected source, one call per model', async () => {
    const inner = new Recorder();
    const t = new DetectingTranslator(inner, async () => ['en', 'fr']);
    const out = await t.translate({ texts: [FR, EN, FR + ' Merci.'], to: 'es', from: 'auto' });
    expect(out.map((r) => r.model)).toEqual(['m-fr', 'm-en', 'm-fr']);
    expect(inner.calls.map((c) => c.from).sort()).toEqual(['en', 'fr']);
  });

  it('detects without --from only where several sources serve the target', async () => {
    const one = new Recorder();
    await new DetectingTranslator(one, async () => ['en']).translate({ texts: [ES], to: 'es' });
    expect(one.calls).toEqual([{ texts: [ES], to: 'es' }]); // as before: the model's own source
    const two = new Recorder();
    const out = await new DetectingTranslator(two, async () => ['en', 'fr']).translate({ texts: [ES], to: 'es' });
    expect(out[0]!.flags).toEqual(['same_language']);
    expect(two.calls).toEqual([]);
    // A named source or model is taken as given.
    const given = new Recorder();
    await new DetectingTranslator(given, async () => ['en', 'fr']).translate({ texts: [ES], to: 'es', from: 'en' });
    expect(given.calls[0]!.from).toBe('en');
  });

  it('refuses auto when no installed model translates into the target', async () => {
    const t = new DetectingTranslator(new Recorder(), async () => []);
    await expect(t.translate({ texts: [EN], to: 'xx', from: 'auto' })).rejects.toMatchObject({ code: 'UNKNOWN_PAIR', message: expect.stringContaining('parla models download') });
  });

  it('with an engine that cannot list its models, counts every language as served', async () => {
    const inner = new Recorder();
    const out = await new DetectingTranslator(inner, async () => undefined).translate({ texts: [FR], to: 'es', from: 'auto' });
    expect(out[0]).toMatchObject({ from: 'fr', model: 'm-fr' });
  });
});
