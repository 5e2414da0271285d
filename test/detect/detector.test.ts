// The real detector (eld's large table) on the Debian catalogue fixture and on hand-picked cases.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LanguageDetector } from '../../src/core/detect/detector.js';
import { wrongLanguage } from '../../src/core/detect/flags.js';

interface Item {
  lang: string;
  bucket: '1-2' | '3-5' | '6+';
  text: string;
}
const { items } = JSON.parse(readFileSync(new URL('../fixtures/detect-strings.json', import.meta.url), 'utf8')) as { items: Item[] };

let detector: LanguageDetector;
beforeAll(async () => {
  detector = await LanguageDetector.load();
}, 60_000);

function rates(rows: Item[], expected?: string[]): { right: number; wrong: number } {
  let right = 0;
  let wrong = 0;
  for (const it of rows) {
    const { language } = detector.detect(it.text, expected ? { expected } : {});
    if (language === it.lang) right++;
    else if (language) wrong++;
  }
  return { right: right / rows.length, wrong: wrong / rows.length };
}

describe('language detection', () => {
  it('is right on sentences and rarely wrong on short strings, across nine languages', () => {
    const long = rates(items.filter((i) => i.bucket === '6+'));
    expect(long.right).toBeGreaterThan(0.93);
    expect(long.wrong).toBeLessThan(0.01);
    // Short strings: it would rather say unsure than guess.
    expect(rates(items.filter((i) => i.bucket === '1-2')).wrong).toBeLessThan(0.08);
  });

  it('with an en→es install as prior, gets 1–2 word en/es strings right ≥ 90 % of the time', () => {
    const short = rates(
      items.filter((i) => i.bucket === '1-2' && (i.lang === 'en' || i.lang === 'es')),
      ['en', 'es'],
    );
    expect(short.right).toBeGreaterThanOrEqual(0.9);
    expect(short.wrong).toBeLessThan(0.04);
  });

  it('says unsure rather than guessing on text without language', () => {
    expect(detector.detect('42').language).toBeUndefined();
    expect(detector.detect('').language).toBeUndefined();
    expect(detector.detect('Hola, ¿cómo estás? Quiero cambiar mi contraseña.')).toMatchObject({ language: 'es' });
    expect(detector.detect('Bonjour, je voudrais changer mon mot de passe.').language).toBe('fr');
  });

  it('flags wrong_language only when the output is surely another language', () => {
    expect(wrongLanguage(detector, 'The file could not be opened because it is locked.', 'es')).toBe(true);
    expect(wrongLanguage(detector, 'No se pudo abrir el archivo porque está bloqueado.', 'es')).toBe(false);
    expect(wrongLanguage(detector, 'Trim', 'es')).toBe(false); // too short to be sure
    expect(wrongLanguage(detector, 'The file could not be opened.', 'ja')).toBe(false); // not a language it tells
  });
});
