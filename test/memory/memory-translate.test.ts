// How the memory answers inside the one translation path (CachedTranslator, as every door uses
// it): placeholders renamed to the request's, protected spans and glossary terms still required,
// outer whitespace kept, suggestions only when asked and only for texts without an answer.
import { describe, expect, it } from 'vitest';
import { ProtectingTranslator } from '../../src/core/protect/protecting-translator.js';
import { openLocalState, type LocalState } from '../../src/core/state.js';
import { FakeTranslator } from '../state/helpers/fake-translator.js';
import { useTmpDirs } from '../state/helpers/tmp.js';

const tmp = useTmpDirs('parla-memory-');

function state(): LocalState & { model: FakeTranslator } {
  const model = new FakeTranslator();
  const s = openLocalState({ dataDir: tmp(), openEngine: async ({ glossary }) => new ProtectingTranslator(model, { glossary }) });
  return Object.assign(s, { model });
}

describe('memory answers in the translation path', () => {
  it("renames the entry's placeholders to the request's and keeps the request's outer whitespace", async () => {
    const s = state();
    try {
      await s.memory.add([{ from: 'en', to: 'es', source: 'Hello {name}, you have %(count)s files', target: 'Hola {name}, tienes %(count)s archivos' }]);
      const [t] = await s.translator.translate({ texts: [' Hello {user}, you have %(n)s files\n'], from: 'en', to: 'es' });
      expect(t).toMatchObject({ text: ' Hola {user}, tienes %(n)s archivos\n', origin: 'memory', model: 'memory' });
      expect(s.model.calls).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('an entry that loses a protected span does not answer (unless protection is off)', async () => {
    const s = state();
    try {
      await s.memory.add([{ from: 'en', to: 'es', source: 'Delete {file}', target: 'Borrar el archivo' }]);
      const [guarded] = await s.translator.translate({ texts: ['Delete {file}'], from: 'en', to: 'es' });
      expect(guarded!.origin).toBe('model');
      const [off] = await s.translator.translate({ texts: ['Delete {file}'], from: 'en', to: 'es', protect: 'none' });
      expect(off).toMatchObject({ text: 'Borrar el archivo', origin: 'memory' });
    } finally {
      await s.close();
    }
  });

  it("an entry must hold the glossary's terms: one that does not (a term added since) is left to the model", async () => {
    const s = state();
    try {
      await s.memory.add([
        { from: 'en', to: 'es', source: 'Open the file', target: 'Abre el archivo' },
        { from: 'en', to: 'es', source: 'Save the file', target: 'Guarda el fichero' },
      ]);
      expect((await s.translator.translate({ texts: ['Open the file'], from: 'en', to: 'es' }))[0]!.origin).toBe('memory');
      await s.glossary.add([{ from: 'en', to: 'es', source: 'file', target: 'fichero' }]);
      const out = await s.translator.translate({ texts: ['Open the file', 'Save the file'], from: 'en', to: 'es' });
      expect(out.map((t) => [t.text, t.origin])).toEqual([
        ['es:OPEN THE fichero', 'model'],
        ['Guarda el fichero', 'memory'],
      ]);
    } finally {
      await s.close();
    }
  });

  it('suggestions come only when asked, and only for texts the memory does not answer', async () => {
    const s = state();
    try {
      await s.memory.add([{ from: 'en', to: 'es', source: 'Your password has expired', target: 'Tu contraseña ha caducado' }]);
      const plain = await s.translator.translate({ texts: ['Your password has expired today'], from: 'en', to: 'es' });
      expect(plain[0]!.suggestions).toBeUndefined();
      const asked = await s.translator.translate({ texts: ['Your password has expired today', 'Your password has expired'], from: 'en', to: 'es', suggest: true });
      expect(asked[0]!.suggestions).toEqual([{ id: expect.any(String), source: 'Your password has expired', target: 'Tu contraseña ha caducado', score: 1 - 1 / 5 }]);
      expect(asked[1]).toMatchObject({ origin: 'memory' });
      expect(asked[1]!.suggestions).toBeUndefined();
    } finally {
      await s.close();
    }
  });
});
