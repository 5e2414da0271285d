// Slow: the cases of deepl-node's own test suite (github.com/DeepLcom/deepl-node, tests/) that
// check shapes, errors, usage, languages, glossaries and the document flow rather than DeepL's
// exact translations, written anew and run with the installed deepl-node client against a real
// `parla serve` (real server, real engine, bundled en→es model). Each case names the upstream
// file and test it mirrors; docs/compat.md lists the upstream cases run and skipped, and why.
// Where upstream compares with DeepL's translation, these compare with Parla's own translation
// of the same text (translateText), which is what a document must hold.
import * as deepl from 'deepl-node';
import ExcelJS from 'exceljs';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../src/core/api/local-api.js';
import { HAVE_MODEL } from '../engine/model-fixture.js';
import { serveWithModel, type ServedApi } from '../helpers/api-server.js';

const TOKEN = 'compat-deepl-node-token-0123456789';
/** Upstream's ids for an id of the wrong shape and a well-formed one no glossary has. */
const INVALID_GLOSSARY_ID = 'invalid_glossary_id';
const NON_EXISTENT_GLOSSARY_ID = '96ab91fd-e715-41a1-adeb-5d701f84a483';
const TEXT = 'Open the file';
let dataDir: string;
let api: LocalApi;
let url: string;
let files = 0;

/** deepl-node without retries, so a refusal shows at once (upstream's tests use maxRetries too). */
const translator = (key = TOKEN) => new deepl.Translator(key, { serverUrl: url, maxRetries: 0, minTimeout: 60_000 });
/** A fresh path in the data dir; with `text`, a file holding it. */
async function tempFile(name: string, text?: string): Promise<string> {
  const path = join(dataDir, `${++files}-${name}`);
  if (text !== undefined) await writeFile(path, text);
  return path;
}
/** What Parla makes of a text: a document of it must hold the same. */
const parlaTranslation = async (text: string) => (await translator().translateText(text, 'en', 'es')).text;

describe.runIf(HAVE_MODEL)("deepl-node's own test cases against parla serve", () => {
  let served: ServedApi | undefined;
  beforeAll(async () => {
    served = await serveWithModel(TOKEN, 'parla-deepl-node-');
    ({ api, url, dataDir } = served);
  }, 60_000);
  afterAll(() => served?.close());

  describe('tests/general.test.ts', () => {
    it('rejects invalid authKey / throws AuthorizationError with an invalid auth key', async () => {
      await expect(translator('invalid').getUsage()).rejects.toThrowError(deepl.AuthorizationError);
    });

    it('outputs usage', async () => {
      expect((await translator().getUsage()).toString()).toContain('Usage this billing period');
    });

    it('lists source and target languages', async () => {
      const sources = await translator().getSourceLanguages();
      const targets = await translator().getTargetLanguages();
      expect(sources.filter((l) => l.code === 'en')).toEqual([{ code: 'en', name: 'English' }]);
      for (const language of sources) expect(language).not.toHaveProperty('supportsFormality');
      // Upstream checks German; Parla's installed target is Spanish, without formality.
      expect(targets.filter((l) => l.code === 'es')).toEqual([{ code: 'es', name: 'Spanish', supportsFormality: false }]);
      for (const language of targets) expect(language.supportsFormality).toBeDefined();
    });

    it('lists glossary language pairs', async () => {
      const pairs = await translator().getGlossaryLanguagePairs();
      expect(pairs.length).toBeGreaterThan(0);
      for (const pair of pairs) {
        expect(pair.sourceLang.length).toBeGreaterThan(0);
        expect(pair.targetLang.length).toBeGreaterThan(0);
      }
    });

    // Upstream runs this on its mock server; here a client key with a 20-character limit.
    it('should give QuotaExceededError when usage limits are reached', async () => {
      const { key } = await api.compat.keys.create({ name: 'quota-20', charLimit: 20 });
      const limited = translator(key);
      let usage = await limited.getUsage();
      expect(usage.character?.limit).toBe(20);
      expect(usage.character?.limitReached()).toBe(false);
      // Parla has no document limit of its own: documents count as characters.
      expect(usage.document).toBeUndefined();
      expect(usage.teamDocument).toBeUndefined();

      const input = await tempFile('twenty.txt', 'Open the file please');
      await limited.translateDocument(input, await tempFile('twenty.es.txt'), null, 'es');
      usage = await limited.getUsage();
      expect(usage.character?.count).toBe(20);
      expect(usage.character?.limitReached()).toBe(true);

      await expect(limited.translateDocument(input, await tempFile('again.es.txt'), null, 'es')).rejects.toThrowError(
        'while translating document: Quota for this billing period has been exceeded',
      );
      await expect(limited.translateText('Test', null, 'es')).rejects.toThrowError(deepl.QuotaExceededError);
    }, 120_000);

    // Upstream: "should throw TooManyRequestsError with 429 responses" (mock server); here a key's rate.
    it('should throw TooManyRequestsError with 429 responses', async () => {
      const { key } = await api.compat.keys.create({ name: 'rate-1', ratePerMinute: 1 });
      await translator(key).getUsage();
      await expect(translator(key).translateText(TEXT, null, 'es')).rejects.toThrowError(deepl.TooManyRequestsError);
    });
  });

  describe('tests/translateText.test.ts', () => {
    it('should translate a single text (shape: detected source, billed characters)', async () => {
      const result = await translator().translateText(TEXT, null, 'es');
      expect(result.text.length).toBeGreaterThan(0);
      expect(result.detectedSourceLang).toBe('en');
      expect(result.billedCharacters).toBe(TEXT.length);
    }, 60_000);

    it('should translate an array of texts', async () => {
      const texts = [TEXT, 'Save changes?'];
      const results = await translator().translateText(texts, null, 'es');
      expect(results.map((r) => [r.detectedSourceLang, r.billedCharacters])).toEqual(texts.map((t) => ['en', t.length]));
    }, 60_000);

    it('should accept language codes in any case', async () => {
      const lower = await translator().translateText(TEXT, 'en', 'es');
      const upper = await translator().translateText(TEXT, 'EN' as deepl.SourceLanguageCode, 'ES' as deepl.TargetLanguageCode);
      expect([upper.text, upper.detectedSourceLang]).toEqual([lower.text, 'en']);
    }, 60_000);

    it('should reject invalid language codes', async () => {
      await expect(translator().translateText(TEXT, 'xx' as deepl.SourceLanguageCode, 'es')).rejects.toThrow('source_lang');
      await expect(translator().translateText(TEXT, null, 'xx' as deepl.TargetLanguageCode)).rejects.toThrow('target_lang');
    });

    it('should reject empty texts (the client refuses them)', async () => {
      await expect(translator().translateText('', null, 'es')).rejects.toThrow('texts parameter');
      await expect(translator().translateText([''], null, 'es')).rejects.toThrow('texts parameter');
    });

    it('should reject invalid formality', async () => {
      await expect(translator().translateText(TEXT, null, 'es', { formality: 'formality' as deepl.Formality })).rejects.toThrow('formality');
    });

    it('should translate with split sentences', async () => {
      const input = 'The firm said it had been\nconducting an internal investigation.';
      for (const splitSentences of ['off', 'on', 'nonewlines', 'default'] as const) {
        expect((await translator().translateText(input, null, 'es', { splitSentences })).detectedSourceLang).toBe('en');
      }
      await expect(translator().translateText(input, null, 'es', { splitSentences: 'invalid' as deepl.SentenceSplittingMode })).rejects.toThrow('split_sentences');
    }, 120_000);

    it('should translate with preserve formatting', async () => {
      await translator().translateText(TEXT, null, 'es', { preserveFormatting: false });
      await translator().translateText(TEXT, null, 'es', { preserveFormatting: true });
    }, 60_000);

    it('should translate with tag_handling option', async () => {
      const html = '<!DOCTYPE html>\n<html>\n  <body>\n    <p>This is an example sentence.</p>\n  </body>\n</html>';
      for (const tagHandling of ['xml', 'html'] as const) {
        const result = await translator().translateText(html, null, 'es', { tagHandling });
        // Tags are protected spans: they come back as written.
        expect(result.text).toContain('<p>');
        expect(result.text).toContain('</html>');
      }
    }, 60_000);

    it('should translate with tag_handling_version option', async () => {
      for (const tagHandlingVersion of ['v1', 'v2'] as const) {
        const result = await translator().translateText('<p>Hello world</p>', null, 'es', { tagHandling: 'html', tagHandlingVersion });
        expect(result.text).toBeTruthy();
        expect(result.detectedSourceLang).toBe('en');
      }
    }, 60_000);

    it('should translate with context option', async () => {
      const without = await translator().translateText(TEXT, null, 'es');
      const withContext = await translator().translateText(TEXT, null, 'es', { context: 'A menu item of a text editor' });
      // Parla translates each text alone: the context is accepted and changes nothing.
      expect(withContext.text).toBe(without.text);
      expect(withContext.billedCharacters).toBe(TEXT.length);
    }, 60_000);
  });

  describe('tests/glossary.test.ts', () => {
    const entries = () => new deepl.GlossaryEntries({ entries: { Hello: 'Hola' } });

    it('should create glossaries', async () => {
      const glossary = await translator().createGlossary('deepl-node create', 'en', 'es', new deepl.GlossaryEntries({ entries: { Hello: 'Hola', Bye: 'Adiós' } }));
      try {
        expect([glossary.name, glossary.sourceLang, glossary.targetLang, glossary.entryCount]).toEqual(['deepl-node create', 'en', 'es', 2]);
        const got = await translator().getGlossary(glossary.glossaryId);
        expect([got.glossaryId, got.name, got.sourceLang, got.targetLang, got.creationTime.getTime(), got.entryCount]).toEqual([
          glossary.glossaryId, glossary.name, glossary.sourceLang, glossary.targetLang, glossary.creationTime.getTime(), glossary.entryCount,
        ]);
      } finally {
        await translator().deleteGlossary(glossary);
      }
    });

    it('should create glossaries from CSV', async () => {
      const csv = Buffer.from('sourceEntry1,targetEntry1,en,es\n"source""Entry","target,Entry",en,es');
      const glossary = await translator().createGlossaryWithCsv('deepl-node csv', 'en', 'es', csv);
      try {
        expect((await translator().getGlossaryEntries(glossary)).entries()).toStrictEqual({ sourceEntry1: 'targetEntry1', 'source"Entry': 'target,Entry' });
      } finally {
        await translator().deleteGlossary(glossary);
      }
    });

    it('should reject creating invalid glossaries', async () => {
      await expect(translator().createGlossary('', 'en', 'es', entries())).rejects.toThrowError(deepl.DeepLError);
      await expect(translator().createGlossary('deepl-node invalid', 'en', 'xx' as deepl.TargetLanguageCode, entries())).rejects.toThrowError(deepl.DeepLError);
      // Nothing was created by either.
      expect((await translator().listGlossaries()).filter((g) => g.name === 'deepl-node invalid')).toEqual([]);
    });

    it('should get glossaries', async () => {
      const created = await translator().createGlossary('deepl-node get', 'en', 'es', entries());
      try {
        expect(await translator().getGlossary(created.glossaryId)).toMatchObject({ glossaryId: created.glossaryId, name: created.name, sourceLang: 'en', targetLang: 'es', entryCount: 1 });
      } finally {
        await translator().deleteGlossary(created);
      }
      await expect(translator().getGlossary(INVALID_GLOSSARY_ID)).rejects.toThrowError(deepl.DeepLError);
      await expect(translator().getGlossary(NON_EXISTENT_GLOSSARY_ID)).rejects.toThrowError(deepl.GlossaryNotFoundError);
    });

    it('should get glossary entries', async () => {
      const fruit = new deepl.GlossaryEntries({ entries: { Apple: 'Manzana', Banana: 'Plátano' } });
      const created = await translator().createGlossary('deepl-node entries', 'en', 'es', fruit);
      try {
        expect((await translator().getGlossaryEntries(created)).entries()).toStrictEqual(fruit.entries());
        expect(await translator().getGlossaryEntries(created.glossaryId)).toStrictEqual(fruit);
      } finally {
        await translator().deleteGlossary(created);
      }
      await expect(translator().getGlossaryEntries(INVALID_GLOSSARY_ID)).rejects.toThrowError(deepl.DeepLError);
      await expect(translator().getGlossaryEntries(NON_EXISTENT_GLOSSARY_ID)).rejects.toThrowError(deepl.GlossaryNotFoundError);
    });

    it('should list glossaries', async () => {
      const created = await translator().createGlossary('deepl-node list', 'en', 'es', entries());
      try {
        expect(await translator().listGlossaries()).toContainEqual(created);
      } finally {
        await translator().deleteGlossary(created);
      }
    });

    it('should delete glossaries', async () => {
      const created = await translator().createGlossary('deepl-node delete', 'en', 'es', entries());
      await translator().deleteGlossary(created);
      await expect(translator().getGlossary(created.glossaryId)).rejects.toThrowError(deepl.GlossaryNotFoundError);
      await expect(translator().deleteGlossary(INVALID_GLOSSARY_ID)).rejects.toThrowError(deepl.DeepLError);
      await expect(translator().deleteGlossary(NON_EXISTENT_GLOSSARY_ID)).rejects.toThrowError(deepl.GlossaryNotFoundError);
    });

    it('should translate documents using glossaries', async () => {
      const glossary = await translator().createGlossary('deepl-node document', 'en', 'es', new deepl.GlossaryEntries({ entries: { artist: 'pintor', prize: 'galardón' } }));
      try {
        const output = await tempFile('terms.es.txt');
        await translator().translateDocument(await tempFile('terms.txt', 'artist\nprize'), output, 'en', 'es', { glossary });
        // The glossary's terms are enforced: each line is its term's target.
        expect(await readFile(output, 'utf8')).toBe('pintor\ngalardón');
      } finally {
        await translator().deleteGlossary(glossary);
      }
    }, 120_000);

    it('should reject translating invalid text with glossaries', async () => {
      const glossary = await translator().createGlossary('deepl-node wrong pair', 'en', 'es', entries());
      try {
        await expect(translator().translateText('Test', null, 'es', { glossary })).rejects.toThrowError('sourceLang is required');
        // Upstream's wording is DeepL's ("No dictionary found for language pair"); Parla names the mismatch.
        await expect(translator().translateText('Test', 'es', 'en-US', { glossary })).rejects.toThrowError(/language pair/);
      } finally {
        await translator().deleteGlossary(glossary);
      }
    });
  });

  describe('tests/translateDocument.test.ts', () => {
    it('should translate using file paths', async () => {
      const output = await tempFile('doc.es.txt');
      await translator().translateDocument(await tempFile('doc.txt', TEXT), output, null, 'es');
      expect(await readFile(output, 'utf8')).toBe(await parlaTranslation(TEXT));
    }, 120_000);

    it('should translate using file streams', async () => {
      const input = await tempFile('stream.txt', TEXT);
      await expect(translator().uploadDocument(createReadStream(input), null, 'es')).rejects.toThrow('options.filename');
      const handle = await translator().uploadDocument(createReadStream(input), null, 'es', { filename: 'test.txt' });
      const { status } = await translator().isDocumentTranslationComplete(handle);
      expect(status.ok() && status.done()).toBe(true);
      const output = await tempFile('stream.es.txt');
      await translator().downloadDocument(handle, createWriteStream(output, { flags: 'wx' }));
      expect(await readFile(output, 'utf8')).toBe(await parlaTranslation(TEXT));
    }, 120_000);

    it('should translate using buffer input', async () => {
      const output = await tempFile('buffer.es.txt');
      await translator().translateDocument(Buffer.from(TEXT), output, null, 'es', { filename: 'example_document.txt' });
      expect(await readFile(output, 'utf8')).toBe(await parlaTranslation(TEXT));
    }, 120_000);

    it('should translate using file handles', async () => {
      const output = await tempFile('handle.es.txt');
      const input = await open(await tempFile('handle.txt', TEXT), 'r');
      const out = await open(output, 'w');
      try {
        await translator().translateDocument(input, out, null, 'es', { filename: 'example_document.txt' });
      } finally {
        await input.close();
        await out.close();
      }
      expect(await readFile(output, 'utf8')).toBe(await parlaTranslation(TEXT));
    }, 120_000);

    it('should reject invalid formality', async () => {
      const input = await tempFile('formality.txt', TEXT);
      await expect(translator().translateDocument(input, await tempFile('f1.es.txt'), null, 'es', { formality: 'formality' as deepl.Formality })).rejects.toThrow('formality');
      // Upstream's "should translate using formality" needs a language with formality; Parla's have none.
      await expect(translator().translateDocument(input, await tempFile('f2.es.txt'), null, 'es', { formality: 'more' })).rejects.toThrow('formality');
    });

    it('should reject invalid document', async () => {
      const invalid = await tempFile('document.invalid', 'Test');
      await expect(translator().translateDocument(invalid, await tempFile('invalid.out'), null, 'es')).rejects.toThrow(/(nvalid file)|(file extension)/);
    });

    // Upstream runs this on its mock server with a queue time; Parla's real queue is used here.
    it('should support low level use', async () => {
      let handle = await translator().uploadDocument(await tempFile('low.txt', TEXT), null, 'es');
      let status = await translator().getDocumentStatus(handle);
      expect(status.ok()).toBe(true);
      // A handle recreated as a plain object works the same.
      handle = { documentId: handle.documentId, documentKey: handle.documentKey };
      status = await translator().getDocumentStatus(handle);
      expect(status.ok()).toBe(true);
      ({ status } = await translator().isDocumentTranslationComplete(handle));
      expect(status.ok() && status.done()).toBe(true);
      const output = await tempFile('low.es.txt');
      await translator().downloadDocument(handle, output);
      expect(await readFile(output, 'utf8')).toBe(await parlaTranslation(TEXT));
    }, 120_000);

    it('should provide billed characters in document status', async () => {
      const input = `${TEXT}\n\nSave changes?\n`;
      const handle = await translator().uploadDocument(await tempFile('billed.txt', input), null, 'es');
      const { handle: same, status } = await translator().isDocumentTranslationComplete(handle);
      expect([same.documentId, same.documentKey]).toEqual([handle.documentId, handle.documentKey]);
      expect(status.ok() && status.done()).toBe(true);
      // Its texts' characters: the non-empty lines (upstream's one-line document: its length).
      expect(status.billedCharacters).toBe(TEXT.length + 'Save changes?'.length);
      const output = await tempFile('billed.es.txt');
      await translator().downloadDocument(handle, output);
      // Line structure kept byte for byte around the texts.
      expect(await readFile(output, 'utf8')).toBe(`${await parlaTranslation(TEXT)}\n\n${await parlaTranslation('Save changes?')}\n`);
    }, 120_000);

    it('should reject not found document handles', async () => {
      const handle = { documentId: '1234'.repeat(8), documentKey: '5678'.repeat(16) };
      await expect(translator().getDocumentStatus(handle)).rejects.toThrow('Not found');
    });

    it('rejects a real document with another document key (Parla: the key is checked like a password)', async () => {
      const handle = await translator().uploadDocument(await tempFile('keyed.txt', TEXT), null, 'es');
      await expect(translator().getDocumentStatus({ documentId: handle.documentId, documentKey: '0'.repeat(64) })).rejects.toThrow('Not found');
      await expect(translator().downloadDocument({ documentId: handle.documentId, documentKey: '0'.repeat(64) }, await tempFile('keyed.es.txt'))).rejects.toThrow('Not found');
    }, 60_000);
  });

  // Parla's own: a spreadsheet document is billed by the cells its job translates.
  it('bills an .xlsx document by the characters of the cells its job translates', async () => {
    const { key } = await api.compat.keys.create({ name: 'sheets', charLimit: 1000 });
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Catalog').addRows([['name', 'price'], [TEXT, 3], ['Save changes?', 4], [TEXT, 5]]);
    const input = await tempFile('catalog.xlsx');
    await workbook.xlsx.writeFile(input);
    const output = await tempFile('catalog.es.xlsx');
    await translator(key).translateDocument(input, output, 'en', 'es');
    // Each occurrence counts, numbers and the header do not.
    expect((await translator(key).getUsage()).character?.count).toBe(TEXT.length * 2 + 'Save changes?'.length);
  }, 120_000);
});
