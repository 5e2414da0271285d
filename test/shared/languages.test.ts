import { describe, expect, it } from 'vitest';
import { languageName, normalizeLanguage } from '../../src/shared/languages.js';

describe('normalizeLanguage', () => {
  it.each([
    ['es', 'es'],
    ['ES', 'es'],
    ['es-ES', 'es'],
    ['es_es', 'es'],
    ['EN-GB', 'en'],
    ['Spanish', 'es'],
    ['spanish', 'es'],
    ['español', 'es'],
    ['Espanol', 'es'],
    ['German', 'de'],
    ['Deutsch', 'de'],
    ['français', 'fr'],
    ['日本語', 'ja'],
    ['pt_br', 'pt-BR'],
    ['PT-BR', 'pt-BR'],
    ['zh-hant', 'zh-Hant'],
    ['no', 'no'],
    ['fil', 'fil'],
    ['  it  ', 'it'],
  ])('%s → %s', (input, code) => {
    expect(normalizeLanguage(input)).toBe(code);
  });

  it.each(['klingon', 'x/../y', '', 'e', 'spanish!', 'a'.repeat(50)])('rejects %j', (input) => {
    expect(normalizeLanguage(input)).toBeUndefined();
  });

  it('names codes in English', () => {
    expect(languageName('es')).toBe('Spanish');
    expect(languageName('pt-BR')).toBe('Brazilian Portuguese');
  });
});
