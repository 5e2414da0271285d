// Slow: the DeepL- and LibreTranslate-compatible APIs of `parla serve`, driven by DeepL's
// official Node client and by LibreTranslate's documented requests, over a real server with the
// real engine (bundled en→es model, real model host).
import * as deepl from 'deepl-node';
import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../src/core/api/local-api.js';
import { HAVE_MODEL } from '../engine/model-fixture.js';
import { serveWithModel, type ServedApi } from '../helpers/api-server.js';

const TOKEN = 'compat-test-token-0123456789';
let dataDir: string;
let api: LocalApi;
let url: string;

async function libre(path: string, body?: Record<string, unknown>, form = false): Promise<{ status: number; json: unknown }> {
  const init: RequestInit = body === undefined ? {} : form
    ? { method: 'POST', body: new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)])) }
    : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
  const res = await fetch(`${url}${path}`, init);
  return { status: res.status, json: await res.json() };
}

describe.runIf(HAVE_MODEL)('compatible APIs', () => {
  let served: ServedApi | undefined;
  beforeAll(async () => {
    served = await serveWithModel(TOKEN, 'parla-compat-');
    ({ api, url, dataDir } = served);
  }, 60_000);
  afterAll(() => served?.close());

  describe("DeepL's official Node client (deepl-node, serverUrl → parla serve)", () => {
    const client = () => new deepl.Translator(TOKEN, { serverUrl: url, maxRetries: 0, minTimeout: 60_000 });

    it('lists source and target languages from the installed models', async () => {
      const sources = await client().getSourceLanguages();
      expect(sources.map((l) => [l.code, l.name])).toContainEqual(['en', 'English']);
      const targets = await client().getTargetLanguages();
      expect(targets.map((l) => l.code)).toContain('es');
    });

    it('translates one text and many, with and without a source language; usage counts the characters', async () => {
      const before = (await client().getUsage()).character?.count ?? 0;
      const one = await client().translateText('Open the file', null, 'es');
      expect(one.text).toBe('Abrir el archivo');
      expect(one.detectedSourceLang).toBe('en');
      const many = await client().translateText(['Open the file', 'Save changes?'], 'en', 'es');
      expect(many.map((r) => r.text)).toEqual(['Abrir el archivo', expect.any(String)]);
      const usage = await client().getUsage();
      expect(usage.character?.count).toBe(before + 'Open the file'.length * 2 + 'Save changes?'.length);
      expect(usage.anyLimitReached()).toBe(false);
      // No source language: each text's is detected and reported, and a Spanish text into
      // Spanish comes back as it was.
      const mixed = await client().translateText(['Open the file', 'No se pudo abrir el archivo porque está bloqueado.'], null, 'es');
      expect(mixed.map((r) => [r.text, r.detectedSourceLang])).toEqual([
        ['Abrir el archivo', 'en'],
        ['No se pudo abrir el archivo porque está bloqueado.', 'es'],
      ]);
    }, 60_000);

    it('keeps HTML tags with tag_handling html', async () => {
      const r = await client().translateText('Click <a href="/settings">here</a> to open the file.', 'en', 'es', { tagHandling: 'html' });
      expect(r.text).toContain('<a href="/settings">');
      expect(r.text).toContain('</a>');
    }, 60_000);

    it('translates an .xlsx document end to end through translateDocument (the job queue behind it)', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Catalog');
      sheet.addRows([['name'], ['Open the file'], ['Save changes?']]);
      const input = join(dataDir, 'catalog.xlsx');
      const output = join(dataDir, 'catalog.es.xlsx');
      await workbook.xlsx.writeFile(input);
      const status = await client().translateDocument(input, output, 'en', 'es');
      expect(status.ok() && status.done()).toBe(true);
      const result = new ExcelJS.Workbook();
      await result.xlsx.readFile(output);
      const rows = result.getWorksheet('Catalog')!.getSheetValues().slice(1) as unknown[][];
      // Parla's batch output: the translation beside its column, and its review column after it.
      expect(rows.map((r) => r.slice(1, 3))).toEqual([['name', 'name (es)'], ['Open the file', 'Abrir el archivo'], ['Save changes?', expect.any(String)]]);
      expect(rows[0]![3]).toBe('name (es) review');
    }, 90_000);

    it('creates, lists, reads, uses and deletes a glossary through the Parla glossary of its pair', async () => {
      const pairs = await client().getGlossaryLanguagePairs();
      expect(pairs.map((p) => [p.sourceLang, p.targetLang])).toContainEqual(['en', 'es']);
      expect(await client().translateText('Open the file', 'en', 'es').then((r) => r.text)).toBe('Abrir el archivo');

      const created = await client().createGlossary('Acme terms', 'en', 'es', new deepl.GlossaryEntries({ entries: { file: 'fichero', Acme: 'Acme' } }));
      expect(created).toMatchObject({ name: 'Acme terms', ready: true, sourceLang: 'en', targetLang: 'es', entryCount: 2 });
      expect(created.glossaryId).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number.isNaN(created.creationTime.getTime())).toBe(false);
      expect((await client().listGlossaries()).map((g) => g.glossaryId)).toContain(created.glossaryId);
      expect(await client().getGlossary(created.glossaryId)).toMatchObject({ name: 'Acme terms', entryCount: 2 });
      expect((await client().getGlossaryEntries(created)).entries()).toEqual({ Acme: 'Acme', file: 'fichero' });
      // The entries are the pair's Parla glossary: every door sees them.
      expect((await api.listGlossary({ from: 'en', to: 'es' })).entries.map((e) => [e.source, e.target])).toEqual([['Acme', 'Acme'], ['file', 'fichero']]);

      const withGlossary = await client().translateText('Open the file', 'en', 'es', { glossary: created });
      expect(withGlossary.text).toContain('fichero');

      // glossary_id must name a glossary of the request's pair, as DeepL checks it.
      const unknown = await client().translateText('Open the file', 'en', 'es', { glossary: '00000000-0000-4000-8000-000000000000' }).catch((e: unknown) => e);
      expect(unknown).toBeInstanceOf(deepl.DeepLError);
      expect(String(unknown)).toMatch(/Glossary not found/);

      await client().deleteGlossary(created);
      await expect(client().getGlossary(created.glossaryId)).rejects.toBeInstanceOf(deepl.GlossaryNotFoundError);
      expect((await api.listGlossary({ from: 'en', to: 'es' })).total).toBe(0);
      expect(await client().translateText('Open the file', 'en', 'es').then((r) => r.text)).toBe('Abrir el archivo');
    }, 120_000);

    it("a client key over its character limit gets deepl-node's QuotaExceededError; getUsage reports its own count and limit", async () => {
      const { key } = await api.compat.keys.create({ name: 'deepl-node', charLimit: 20 });
      const limited = new deepl.Translator(key, { serverUrl: url, maxRetries: 0, minTimeout: 60_000 });
      await limited.translateText('Open the file', 'en', 'es');
      await expect(limited.translateText('Save changes?', 'en', 'es')).rejects.toBeInstanceOf(deepl.QuotaExceededError);
      const usage = await limited.getUsage();
      expect([usage.character?.count, usage.character?.limit]).toEqual(['Open the file'.length, 20]);
      expect(usage.anyLimitReached()).toBe(false);
    }, 60_000);

    it('refuses a document status or result without its key', async () => {
      const res = await fetch(`${url}/v2/document/nope`, { method: 'POST', headers: { authorization: `DeepL-Auth-Key ${TOKEN}` }, body: new URLSearchParams({ document_key: '00' }) });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ message: 'Document not found.' });
    });

    it('refuses a wrong key with DeepL\'s 403 (AuthorizationError) and an unknown target with a 400', async () => {
      await expect(new deepl.Translator('wrong-key-0123456789', { serverUrl: url, maxRetries: 0, minTimeout: 60_000 }).translateText('Hello', null, 'es')).rejects.toBeInstanceOf(deepl.AuthorizationError);
      const res = await fetch(`${url}/v2/translate`, { method: 'POST', headers: { authorization: `DeepL-Auth-Key ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ text: ['Hello'], target_lang: 'XX' }) });
      expect(res.status).toBe(400);
      expect(Object.keys((await res.json()) as object)).toEqual(['message']);
    }, 60_000);
  });

  describe("Parla's own API with from: auto", () => {
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };

    it('POST /api/v1/translate answers each text with the detected from', async () => {
      const spanish = 'No se pudo abrir el archivo porque está bloqueado.';
      const { status, json } = await post('/api/v1/translate', { texts: ['Open the file', spanish], from: 'auto', to: 'es' });
      expect(status).toBe(200);
      expect(json.translations).toEqual([
        expect.objectContaining({ text: 'Abrir el archivo', from: 'en', detected: { language: 'en', confidence: expect.any(Number) } }),
        expect.objectContaining({ text: spanish, from: 'es', model: '', flags: ['same_language'] }),
      ]);
      expect((await post('/api/v1/translate', { texts: ['x'], from: 'automatic', to: 'es' })).status).toBe(400);
    }, 150_000);

    it('POST /api/v1/detect answers each text, unsure where it cannot tell', async () => {
      const { status, json } = await post('/api/v1/detect', { texts: ["Impossible d'ouvrir le fichier car il est verrouillé.", '42'] });
      expect(status).toBe(200);
      expect(json.detections).toEqual([{ language: 'fr', likeliest: 'fr', confidence: expect.any(Number) }, { confidence: 0 }]);
    });

    it('refuses a job into a language no installed model serves, even with from auto', async () => {
      const { status, json } = await post('/api/v1/jobs', { texts: ['Hello'], from: 'auto', to: 'de' });
      expect(status).toBe(422);
      expect(JSON.stringify(json)).toContain('parla models download');
    });
  });

  describe("LibreTranslate's documented requests", () => {
    it('POST /translate with a string, source auto: translatedText and detectedLanguage', async () => {
      const { status, json } = await libre('/translate', { q: 'Open the file', source: 'auto', target: 'es', format: 'text', api_key: TOKEN });
      expect(status).toBe(200);
      expect(json).toEqual({ translatedText: 'Abrir el archivo', detectedLanguage: { confidence: expect.any(Number), language: 'en' } });
      // The detector's own confidence, as LibreTranslate gives it: a percentage, sure at 50 or more.
      expect((json as { detectedLanguage: { confidence: number } }).detectedLanguage.confidence).toBeGreaterThanOrEqual(50);
      // A text already in the target language comes back as it was, detected as such.
      const spanish = 'No se pudo abrir el archivo porque otro programa lo tiene bloqueado.';
      const same = await libre('/translate', { q: [spanish], source: 'auto', target: 'es', api_key: TOKEN });
      expect(same.json).toEqual({ translatedText: [spanish], detectedLanguage: [{ confidence: expect.any(Number), language: 'es' }] });
    }, 60_000);

    it('POST /detect answers [{language, confidence}] from the real detector', async () => {
      const fr = await libre('/detect', { q: "Impossible d'ouvrir le fichier car il est verrouillé par un autre programme.", api_key: TOKEN });
      expect(fr.status).toBe(200);
      expect(fr.json).toEqual([{ language: 'fr', confidence: expect.any(Number) }]);
      expect((fr.json as { confidence: number }[])[0]!.confidence).toBeGreaterThanOrEqual(50);
      expect((await libre('/detect', { q: '1234', api_key: TOKEN })).json).toEqual([]);
      expect((await libre('/detect', { api_key: TOKEN })).status).toBe(400);
      expect((await libre('/detect', { q: 'Hola', api_key: 'wrong' })).status).toBe(403);
    });

    it('POST /translate with an array and a form body, source given', async () => {
      const res = await fetch(`${url}/translate`, {
        method: 'POST',
        body: new URLSearchParams([['q', 'Open the file'], ['source', 'en'], ['target', 'es'], ['api_key', TOKEN]]),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ translatedText: 'Abrir el archivo' });
      const { json } = await libre('/translate', { q: ['Open the file', 'Save changes?'], source: 'en', target: 'es', api_key: TOKEN });
      expect((json as { translatedText: string[] }).translatedText).toHaveLength(2);
      expect((json as { translatedText: string[] }).translatedText[0]).toBe('Abrir el archivo');
    }, 60_000);

    it('GET /languages and /frontend/settings answer the documented fields', async () => {
      const languages = await fetch(`${url}/languages?api_key=${TOKEN}`).then((r) => r.json());
      expect(languages).toContainEqual({ code: 'en', name: 'English', targets: ['es'] });
      const settings = (await fetch(`${url}/frontend/settings?api_key=${TOKEN}`).then((r) => r.json())) as Record<string, unknown>;
      expect(settings).toMatchObject({ keyRequired: true, language: { source: { code: 'en', name: 'English' }, target: { code: 'es', name: 'Spanish' } } });
    });

    it('refuses a wrong api_key with 403 {error}, a missing q with 400 {error}', async () => {
      const wrong = await libre('/translate', { q: 'Hello', source: 'en', target: 'es', api_key: 'nope' });
      expect(wrong.status).toBe(403);
      expect(Object.keys(wrong.json as object)).toEqual(['error']);
      const missing = await libre('/translate', { source: 'en', target: 'es', api_key: TOKEN });
      expect(missing.status).toBe(400);
      expect(missing.json).toEqual({ error: expect.stringContaining('q') });
    });
  });
});
