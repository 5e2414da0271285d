// Review flags and confidence: on real outputs of the bundled model (in process) and on the
// string checks themselves.
import { beforeAll, describe, expect, it } from 'vitest';
import { reviewFlags } from '../../src/core/review/flags.js';
import { ReviewingTranslator } from '../../src/core/review/reviewing-translator.js';
import type { Translator } from '../../src/shared/translation.js';
import { MarianModel } from '../../src/workers/marian/marian-model.js';
import { HAVE_MODEL, MODEL_DIR } from '../engine/model-fixture.js';

describe.runIf(HAVE_MODEL)('confidence and flags on the bundled model', () => {
  let model: MarianModel;
  const limits = { maxBatchTokens: 4096, maxBatchSentences: 64 };
  beforeAll(async () => {
    model = await MarianModel.load(MODEL_DIR, { intraOpNumThreads: 1 });
  }, 60_000);

  const translator = (): Translator => ({
    async translate(request) {
      const out = await model.translate(request.texts, request.to, request.options ?? {}, limits);
      return out.map((t, i) => ({
        source: request.texts[i]!,
        text: t.text,
        model: 'tiny',
        cached: false,
        ms: 0,
        ...(t.score !== undefined ? { confidence: Math.exp(t.score) } : {}),
        ...(t.truncated ? { flags: ['truncated' as const] } : {}),
      }));
    },
  });

  it('ranks a catalogue string above everyday slang, and flags the slang low_confidence', async () => {
    const [good, bad] = await new ReviewingTranslator(translator()).translate({ texts: ['Open the file', "Yo dawg, that's lit fam, no cap"], to: 'es' });
    expect(good!.confidence).toBeGreaterThan(0.5);
    expect(bad!.confidence).toBeLessThan(good!.confidence!);
    expect(good!.flags).toBeUndefined();
    expect(bad!.flags).toContain('low_confidence');
  });

  it('flags the loops the model really makes as repetition', async () => {
    // Outputs of the bundled model: "…por ejemplo, por ejemplo, por ejemplo, por un carácter…", "lmk si u u u uanna cuelga…".
    const texts = [
      'Odd character “%s”, expected a “>” or “/” character to end the start tag of element “%s”, or optionally an attribute; perhaps you used an invalid character in an attribute name',
      'lmk if u wanna hang tmrw, im down af',
    ];
    const out = await new ReviewingTranslator(translator()).translate({ texts, to: 'es' });
    for (const t of out) expect(t.flags, t.text).toContain('repetition');
  });

  it('flags an output cut at the length cap as truncated, with the same score for beam and greedy shapes', async () => {
    const [cut] = await translator().translate({ texts: ['Select the files that you want to copy to the new folder'], to: 'es', options: { maxLength: 4 } });
    expect(cut!.flags).toEqual(['truncated']);
    const [beam] = await translator().translate({ texts: ['Open the file'], to: 'es', options: { beam: 4 } });
    expect(beam!.confidence).toBeGreaterThan(0.5);
  });
});

describe('review flag checks', () => {
  it('untranslated: two or more words of three letters back as they were, spans aside; one word or a name is fine', () => {
    expect(reviewFlags('Delete the selected files', 'Delete the selected files', 0.9)).toEqual(['untranslated']);
    expect(reviewFlags('Copy %s into {dest}', 'Copy %s into {dest}', 0.9)).toEqual(['untranslated']);
    // One word of three letters or more is not enough (test/fixtures/review-precision.json).
    expect(reviewFlags('Copy %s to {dest}', 'Copy %s to {dest}', 0.9)).toEqual([]);
    expect(reviewFlags('Debian', 'Debian', 0.9)).toEqual([]);
    expect(reviewFlags('Delete the selected files', 'Borrar los archivos seleccionados', 0.9)).toEqual([]);
  });

  it('repetition: loops in the output that the source does not have', () => {
    expect(reviewFlags('The file', 'El archivo archivo archivo', 0.9)).toEqual(['repetition']);
    expect(reviewFlags('Bye bye bye', 'Adiós adiós adiós', 0.9)).toEqual([]);
    expect(reviewFlags('Error while talking', 'Error al arrrrrrrado', 0.9)).toEqual(['repetition']);
  });

  it('length: far shorter or longer than a translation of such a source is', () => {
    expect(reviewFlags('Select the files that you want to copy', 'Sí', 0.9)).toEqual(['length']);
    expect(reviewFlags('Select the files that you want to copy', 'Seleccione los archivos que quiere copiar', 0.9)).toEqual([]);
  });
});
