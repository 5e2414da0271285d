// The engine stand-in for glossary tests: the real ProtectingTranslator (which enforces the
// glossary state hands it) around the deterministic FakeTranslator ("the {0}" → "es:THE {0}").
import type { EngineContext, EngineTranslator } from '../../src/core/state.js';
import { ProtectingTranslator } from '../../src/core/protect/protecting-translator.js';
import { FakeTranslator } from '../state/helpers/fake-translator.js';

export function protectedFake(model = new FakeTranslator(), from = 'en') {
  const openEngine = async (context: EngineContext): Promise<EngineTranslator> => {
    const p = new ProtectingTranslator(model, { glossary: context.glossary });
    return {
      translate: (request, signal) => p.translate(request, signal),
      // The routed model's source language: requests naming none use this pair's glossary.
      resolveModel: async (request) => ({ id: `fake/${request.from ?? from}-${request.to}`, revision: '1', from }),
    };
  };
  return { model, openEngine };
}
