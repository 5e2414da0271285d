// The bundled model as a Translator in this process: the real Marian engine without a host, so
// the protection tests and bench:protect measure the real model's behaviour quickly.
import type { TranslateRequest, Translation, Translator } from '../../src/shared/translation.js';
import { MarianModel } from '../../src/workers/marian/marian-model.js';

export const LIMITS = { maxBatchTokens: 4096, maxBatchSentences: 64 };

export async function modelTranslator(dir: string): Promise<Translator & { calls: number; texts: number }> {
  const model = await MarianModel.load(dir, { intraOpNumThreads: 1 });
  const translator = {
    calls: 0,
    texts: 0,
    async translate(request: TranslateRequest): Promise<Translation[]> {
      translator.calls++;
      translator.texts += request.texts.length;
      const started = performance.now();
      const out = await model.translate(request.texts, request.to, request.options ?? {}, LIMITS, request.from);
      const ms = performance.now() - started;
      return out.map((t, i) => ({ source: request.texts[i]!, text: t.text, model: 'parla/tiny-en-es', cached: false, ms, ...(t.alternatives ? { alternatives: t.alternatives } : {}) }));
    },
  };
  return translator;
}
