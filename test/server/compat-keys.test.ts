// The compatible APIs' client keys (limits, usage, revocation, never logged), formality and
// context, LibreTranslate's /translate_file, and cross-origin use for allowed origins only: the
// real server (createServer) and its real stores, the fake ParlaApi at the network edge.
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryCompatStores } from '../../src/core/compat/stores.js';
import { createServer, type ParlaServer } from '../../src/server/server.js';
import { createFakeApi, type FakeApi } from '../helpers/fake-api.js';

const TOKEN = 'compat-keys-token-0123456789';
const BEARER = { authorization: `Bearer ${TOKEN}` };
let fake: FakeApi;
let server: ParlaServer;
let log: string;
/** The `allowedOrigins` setting the server reads (LocalApi reads settings.json; see compat-settings.test.ts). */
let allowed: string[];

interface Answer {
  status: number;
  json: Record<string, unknown>;
  headers: Record<string, unknown>;
  body: string;
}

async function call(method: 'GET' | 'POST' | 'DELETE' | 'PATCH' | 'OPTIONS', url: string, options: { headers?: Record<string, string>; json?: unknown; form?: Record<string, string>; payload?: Buffer } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  let payload: string | Buffer | undefined = options.payload;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(options.json);
  } else if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    payload = new URLSearchParams(options.form).toString();
  }
  const res = await server.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
  let json: Record<string, unknown> = {};
  try {
    json = res.json();
  } catch {
    // not JSON: a file or an empty answer
  }
  return { status: res.statusCode, json, headers: res.headers, body: res.body };
}

const createKey = async (body: Record<string, unknown>) => {
  const res = await call('POST', '/api/v1/keys', { headers: BEARER, json: body });
  expect(res.status).toBe(201);
  return res.json as { key: string; name: string };
};
const deepl = (key: string, form: Record<string, string>) => call('POST', '/v2/translate', { headers: { authorization: `DeepL-Auth-Key ${key}` }, form });
const libre = (key: string, body: Record<string, unknown>) => call('POST', '/translate', { json: { source: 'en', target: 'es', ...body, api_key: key } });

/** A multipart body with the given fields and one file. */
function multipart(fields: Record<string, string>, file: { name: string; text: string }): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----parla-test-boundary';
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n${file.text}\r\n`);
  return { payload: Buffer.from(parts.join('') + `--${boundary}--\r\n`), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

beforeEach(() => {
  log = '';
  allowed = [];
  fake = createFakeApi({ tickMs: 5, textsPerTick: 500 });
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      log += chunk.toString();
      done();
    },
  });
  server = createServer({ api: fake, token: TOKEN, port: 0, logger: { stream }, compat: memoryCompatStores(() => allowed) });
});
afterEach(async () => {
  await server.close();
  fake.close();
});

describe('named API keys', () => {
  it('are created, listed with their usage and revoked with the server token; a key opens only the compatible APIs', async () => {
    const { key, name } = await createKey({ name: 'weblate', charLimit: 1000, ratePerMinute: 100 });
    expect(name).toBe('weblate');
    expect(key).toMatch(/^parla_[\w-]{40,}$/);
    expect((await deepl(key, { text: 'hello world', target_lang: 'ES' })).json).toMatchObject({ translations: [{ text: 'hola mundo' }] });
    expect((await libre(key, { q: 'the cat' })).json).toEqual({ translatedText: 'el gato' });

    const list = await call('GET', '/api/v1/keys', { headers: BEARER });
    expect(list.json.keys).toEqual([
      expect.objectContaining({ name: 'weblate', charLimit: 1000, ratePerMinute: 100, usage: { period: expect.stringMatching(/^\d{4}-\d{2}$/), characters: 'hello world'.length + 'the cat'.length, requests: 2 } }),
    ]);
    expect(JSON.stringify(list.json)).not.toContain(key);

    // Parla's own API and the key routes take only the server's token.
    expect((await call('POST', '/api/v1/translate', { headers: { authorization: `Bearer ${key}` }, json: { texts: ['hello'], to: 'es' } })).status).toBe(401);
    expect((await call('GET', '/api/v1/keys', { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    expect((await call('POST', '/api/v1/keys', { headers: { authorization: `Bearer ${key}` }, json: { name: 'mine' } })).status).toBe(401);
    // Nor do they take a key as DeepL's header.
    expect((await call('GET', '/api/v1/keys', { headers: { authorization: `DeepL-Auth-Key ${key}` } })).status).toBe(401);

    expect((await call('DELETE', '/api/v1/keys/weblate', { headers: BEARER })).status).toBe(204);
    expect((await deepl(key, { text: 'hello', target_lang: 'ES' })).status).toBe(403);
    expect((await libre(key, { q: 'hello' })).status).toBe(403);
    expect((await call('DELETE', '/api/v1/keys/weblate', { headers: BEARER })).status).toBe(404);
    // The server's token keeps working in both APIs.
    expect((await deepl(TOKEN, { text: 'hello', target_lang: 'ES' })).status).toBe(200);
    expect((await libre(TOKEN, { q: 'hello' })).status).toBe(200);
  });

  it('refuses a taken name and bad limits with one line', async () => {
    await createKey({ name: 'crow' });
    expect((await call('POST', '/api/v1/keys', { headers: BEARER, json: { name: 'crow' } })).status).toBe(409);
    expect((await call('POST', '/api/v1/keys', { headers: BEARER, json: { name: 'x', charLimit: 0 } })).status).toBe(400);
    expect((await call('POST', '/api/v1/keys', { headers: BEARER, json: { name: 'no spaces' } })).status).toBe(400);
  });

  it("over its character limit: DeepL's 456 {message}, LibreTranslate's 429 {error}; /v2/usage reports the key's own count and limit", async () => {
    const { key } = await createKey({ name: 'small', charLimit: 20 });
    expect((await deepl(key, { text: 'hello world the cat', target_lang: 'ES' })).status).toBe(200); // 19 characters
    const over = await deepl(key, { text: 'hello', target_lang: 'ES' });
    expect(over.status).toBe(456);
    expect(over.json).toEqual({ message: expect.stringMatching(/quota/i) });
    const libreOver = await libre(key, { q: 'hello' });
    expect(libreOver.status).toBe(429);
    expect(libreOver.json).toEqual({ error: expect.stringMatching(/quota/i) });
    // One character still fits; refused requests were not counted.
    expect((await libre(key, { q: 'a' })).status).toBe(200);
    const usage = await call('GET', '/v2/usage', { headers: { authorization: `DeepL-Auth-Key ${key}` } });
    expect(usage.json).toEqual({ character_count: 20, character_limit: 20 });
    // The server's token has no limit and its own count.
    const serverUsage = await call('GET', '/v2/usage', { headers: { authorization: `DeepL-Auth-Key ${TOKEN}` } });
    expect(serverUsage.json).toEqual({ character_count: 0, character_limit: Number.MAX_SAFE_INTEGER });
  });

  it("counts documents like text: DeepL's /v2/document and LibreTranslate's /translate_file bill their texts' characters, 456/429 over the limit", async () => {
    const { key } = await createKey({ name: 'docs', charLimit: 40 });
    const usage = async () => ((await call('GET', '/v2/usage', { headers: { authorization: `DeepL-Auth-Key ${key}` } })).json as { character_count: number }).character_count;
    const upload = (name: string, text: string) =>
      call('POST', '/v2/document', (({ payload, headers }) => ({ payload, headers: { ...headers, authorization: `DeepL-Auth-Key ${key}` } }))(multipart({ target_lang: 'ES' }, { name, text })));
    // A spreadsheet: the cells its job translates (the header is not translated).
    const sheet = await upload('pets.csv', 'name,notes\nthe cat,x\nthe house,y\n');
    expect(sheet.status).toBe(200);
    expect(await usage()).toBe('the cat'.length + 'the house'.length);
    // A text document: its non-empty lines.
    expect((await upload('notes.txt', 'hello world\n\nthe red book\n')).status).toBe(200);
    expect(await usage()).toBe(16 + 'hello world'.length + 'the red book'.length);
    // 39 of 40 used: a document of more is refused whole, in DeepL's shape, and not counted.
    const over = await upload('more.txt', 'hello\n');
    expect(over.status).toBe(456);
    expect(over.json).toEqual({ message: expect.stringMatching(/quota/i) });
    expect((await upload('more.csv', 'name\nthe cat\n')).status).toBe(456);
    expect(await usage()).toBe(39);
    // LibreTranslate's files: the same count, and its 429 over the limit.
    const file = (text: string) => call('POST', '/translate_file', multipart({ source: 'en', target: 'es', api_key: key }, { name: 'a.txt', text }));
    expect((await file('a\n')).status).toBe(200);
    expect(await usage()).toBe(40);
    const libreOver = await file('b\n');
    expect(libreOver.status).toBe(429);
    expect(libreOver.json).toEqual({ error: expect.stringMatching(/quota/i) });
    expect(await usage()).toBe(40);
  });

  it('gives a document\'s characters back when its job fails (or is canceled): the client got nothing', async () => {
    const { key } = await createKey({ name: 'refunds', charLimit: 100 });
    const auth = { authorization: `DeepL-Auth-Key ${key}` };
    const usage = async () => ((await call('GET', '/v2/usage', { headers: auth })).json as { character_count: number }).character_count;
    const upload = async (name: string, text: string) => {
      const { payload, headers } = multipart({ target_lang: 'ES' }, { name, text });
      const res = await call('POST', '/v2/document', { payload, headers: { ...headers, ...auth } });
      expect(res.status).toBe(200);
      return res.json as { document_id: string; document_key: string };
    };
    const status = async (doc: { document_id: string; document_key: string }) =>
      (await call('POST', `/v2/document/${doc.document_id}`, { headers: auth, form: { document_key: doc.document_key } })).json as { status: string };

    const failing = await upload('broken.txt', 'this line will FAIL\n');
    expect(await usage()).toBe('this line will FAIL'.length);
    await expect.poll(async () => (await status(failing)).status).toBe('error');
    await expect.poll(usage).toBe(0);
    // Asked again: given back once, not twice.
    expect((await status(failing)).status).toBe('error');
    expect(await usage()).toBe(0);

    // A document that is done stays billed.
    const fine = await upload('fine.txt', 'the red book\n');
    await expect.poll(async () => (await status(fine)).status).toBe('done');
    expect(await usage()).toBe('the red book'.length);
    const result = await call('POST', `/v2/document/${fine.document_id}/result`, { headers: auth, form: { document_key: fine.document_key } });
    expect(result.status).toBe(200);
    expect(result.body).toBe('el rojo libro\n');
  });

  it('over its rate: 429 in both APIs', async () => {
    const { key } = await createKey({ name: 'burst', ratePerMinute: 2 });
    expect((await deepl(key, { text: 'hello', target_lang: 'ES' })).status).toBe(200);
    expect((await libre(key, { q: 'hello' })).status).toBe(200);
    const deeplBusy = await deepl(key, { text: 'hello', target_lang: 'ES' });
    expect(deeplBusy.status).toBe(429);
    expect(Object.keys(deeplBusy.json)).toEqual(['message']);
    const libreBusy = await libre(key, { q: 'hello' });
    expect(libreBusy.status).toBe(429);
    expect(Object.keys(libreBusy.json)).toEqual(['error']);
    // Another key is not slowed by this one.
    const { key: other } = await createKey({ name: 'calm', ratePerMinute: 2 });
    expect((await libre(other, { q: 'hello' })).status).toBe(200);
  });

  it('never appear in the server log: header, body, query string, refusals', async () => {
    const { key } = await createKey({ name: 'logged' });
    await deepl(key, { text: 'hello', target_lang: 'ES' });
    await libre(key, { q: 'hello' });
    await call('GET', `/languages?api_key=${key}`);
    await call('GET', `/frontend/settings?api_key=${encodeURIComponent(key)}&x=1`);
    await call('POST', '/translate', { json: { q: 'hello', target: 'es', api_key: `${key}x` } });
    await call('GET', `/languages?api_key=${key}x`);
    await call('POST', '/v2/translate', { headers: { authorization: `DeepL-Auth-Key ${key}x` }, form: { text: 'FAIL', target_lang: 'ES' } });
    expect(log).toContain('/languages?api_key=***');
    expect(log).toContain('incoming request');
    expect(log).not.toContain(key);
    expect(log).not.toContain(key.slice(6, 30));
    expect(log).not.toContain(TOKEN);
  });
});

describe('DeepL formality and context', () => {
  it("accepts default and prefer_*, refuses more/less with DeepL's 400 (no installed language has formality), bills no context", async () => {
    const { key } = await createKey({ name: 'formal' });
    for (const formality of ['default', 'prefer_more', 'prefer_less']) {
      const res = await deepl(key, { text: 'hello', target_lang: 'ES', formality });
      expect(res.status, formality).toBe(200);
      expect(res.json).toMatchObject({ translations: [{ text: 'hola' }] });
    }
    for (const formality of ['more', 'less']) {
      const res = await deepl(key, { text: 'hello', target_lang: 'ES', formality });
      expect(res.status, formality).toBe(400);
      expect(res.json).toEqual({ message: "'formality' is not supported for given 'target_lang'." });
    }
    expect((await deepl(key, { text: 'hello', target_lang: 'ES', formality: 'casual' })).status).toBe(400);
    const withContext = await deepl(key, { text: 'the book', target_lang: 'ES', context: 'A long paragraph about libraries and reading.' });
    expect(withContext.json).toMatchObject({ translations: [{ text: 'el libro', billed_characters: 8 }] });
    const usage = await call('GET', '/v2/usage', { headers: { authorization: `DeepL-Auth-Key ${key}` } });
    expect(usage.json.character_count).toBe('hello'.length * 3 + 'the book'.length);
  });
});

describe("LibreTranslate's /translate_file", () => {
  it('translates a .txt file line by line and serves it at translatedFileUrl, to the same key only', async () => {
    const { key } = await createKey({ name: 'files' });
    const upload = multipart({ source: 'en', target: 'es', api_key: key }, { name: 'notes.txt', text: 'hello world\r\n\r\nthe red book\n' });
    const res = await call('POST', '/translate_file', upload);
    expect(res.status).toBe(200);
    expect(Object.keys(res.json)).toEqual(['translatedFileUrl']);
    const url = new URL(res.json.translatedFileUrl as string);
    expect(url.pathname).toMatch(/^\/download_file\/[\w-]+$/);
    const file = await call('GET', `${url.pathname}?api_key=${key}`);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toMatch(/^text\/plain/);
    expect(file.headers['content-disposition']).toBe('attachment; filename="notes.es.txt"');
    expect(file.body).toBe('hola mundo\r\n\r\nel rojo libro\n');
    // Without a key, or with another one, it is not there.
    expect((await call('GET', url.pathname)).status).toBe(403);
    const { key: other } = await createKey({ name: 'other' });
    expect((await call('GET', `${url.pathname}?api_key=${other}`)).status).toBe(404);
    const usage = (await call('GET', '/api/v1/keys', { headers: BEARER })).json.keys as { name: string; usage: { characters: number } }[];
    expect(usage.find((k) => k.name === 'files')!.usage.characters).toBe('hello world'.length + 'the red book'.length);
  });

  it('keeps the tags of a .html file', async () => {
    const upload = multipart({ source: 'en', target: 'es', api_key: TOKEN }, { name: 'page.html', text: '<p>hello <b>world</b></p>\n' });
    const res = await call('POST', '/translate_file', upload);
    const file = await call('GET', `${new URL(res.json.translatedFileUrl as string).pathname}?api_key=${TOKEN}`);
    expect(file.body).toBe('<p>hola <b>mundo</b></p>\n');
    expect(file.headers['content-type']).toMatch(/^text\/html/);
  });

  it("answers LibreTranslate's 403 for a wrong api_key, 400 {error} for another file type or no target; settings list the formats", async () => {
    const wrong = await call('POST', '/translate_file', multipart({ source: 'en', target: 'es', api_key: 'nope' }, { name: 'a.txt', text: 'hello' }));
    expect(wrong.status).toBe(403);
    expect(Object.keys(wrong.json)).toEqual(['error']);
    const pdf = await call('POST', '/translate_file', multipart({ source: 'en', target: 'es', api_key: TOKEN }, { name: 'a.pdf', text: '%PDF-1.4' }));
    expect(pdf.status).toBe(400);
    expect(pdf.json).toEqual({ error: expect.stringContaining('file format not supported') });
    const noTarget = await call('POST', '/translate_file', multipart({ source: 'en', api_key: TOKEN }, { name: 'a.txt', text: 'hello' }));
    expect(noTarget.status).toBe(400);
    expect(noTarget.json).toEqual({ error: expect.stringContaining('target') });
    const settings = await call('GET', `/frontend/settings?api_key=${TOKEN}`);
    expect(settings.json).toMatchObject({ filesTranslation: true, supportedFilesFormat: ['.txt', '.html'] });
  });
});

describe('cross-origin use (browser extensions)', () => {
  const EXTENSION = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';

  it('answers preflight and sets Access-Control-Allow-Origin for allowed origins only; others keep the 403', async () => {
    const { key } = await createKey({ name: 'extension' });
    // Before the origin is allowed: refused as any cross-site request.
    const before = await deepl(key, { text: 'hello', target_lang: 'ES' }).then(() => call('POST', '/v2/translate', { headers: { authorization: `DeepL-Auth-Key ${key}`, origin: EXTENSION }, form: { text: 'hello', target_lang: 'ES' } }));
    expect(before.status).toBe(403);
    expect(before.headers['access-control-allow-origin']).toBeUndefined();

    allowed = [EXTENSION];
    const preflight = await call('OPTIONS', '/v2/translate', { headers: { origin: EXTENSION, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(EXTENSION);
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/Authorization/);

    const fromExtension = await call('POST', '/v2/translate', { headers: { authorization: `DeepL-Auth-Key ${key}`, origin: EXTENSION, 'sec-fetch-site': 'cross-site' }, form: { text: 'hello', target_lang: 'ES' } });
    expect(fromExtension.status).toBe(200);
    expect(fromExtension.headers['access-control-allow-origin']).toBe(EXTENSION);
    const libreAllowed = await call('POST', '/translate', { headers: { origin: EXTENSION }, json: { q: 'hello', source: 'en', target: 'es', api_key: key } });
    expect(libreAllowed.status).toBe(200);
    expect(libreAllowed.headers['access-control-allow-origin']).toBe(EXTENSION);
    // An allowed origin still needs a key: the UI's cookie does not ride along.
    const cookieOnly = await call('POST', '/v2/translate', { headers: { cookie: `parla_token=${TOKEN}`, origin: EXTENSION }, form: { text: 'hello', target_lang: 'ES' } });
    expect(cookieOnly.status).toBe(403);

    // Any other origin: no preflight answer, and 403 with the key.
    const evil = 'http://evil.example';
    const evilPreflight = await call('OPTIONS', '/v2/translate', { headers: { origin: evil, 'access-control-request-method': 'POST' } });
    expect(evilPreflight.status).toBe(401);
    expect(evilPreflight.headers['access-control-allow-origin']).toBeUndefined();
    const evilCall = await call('POST', '/v2/translate', { headers: { authorization: `DeepL-Auth-Key ${key}`, origin: evil }, form: { text: 'hello', target_lang: 'ES' } });
    expect(evilCall.status).toBe(403);
    expect(evilCall.headers['access-control-allow-origin']).toBeUndefined();
    // Parla's own API stays same-origin only, allowed origin or not.
    const own = await call('POST', '/api/v1/translate', { headers: { ...BEARER, origin: EXTENSION }, json: { texts: ['hello'], to: 'es' } });
    expect(own.status).toBe(403);
    expect((await call('OPTIONS', '/api/v1/translate', { headers: { origin: EXTENSION, 'access-control-request-method': 'POST' } })).status).toBe(401);
  });
});

describe('DeepL glossaries: refusals in DeepL shape', () => {
  const auth = { authorization: `DeepL-Auth-Key ${TOKEN}` };
  it('refuses bad entries, an uninstalled pair, an unknown id, and a glossary of another pair on /v2/translate', async () => {
    const create = (form: Record<string, string>) => call('POST', '/v2/glossaries', { headers: auth, form: { name: 'g', source_lang: 'en', target_lang: 'es', entries_format: 'tsv', ...form } });
    for (const entries of ['', 'cat', 'cat\tgato\textra', '\tgato']) {
      const res = await create({ entries });
      expect(res.status, JSON.stringify(entries)).toBe(400);
      expect(Object.keys(res.json)).toEqual(['message']);
    }
    expect((await create({ entries: 'cat,gato', entries_format: 'xml' })).status).toBe(400);
    expect((await create({ entries: 'cat\tgato', target_lang: 'de' })).json).toEqual({ message: 'Unsupported glossary source and target language pair.' });
    const csv = await create({ entries: 'cat,gato,en,es\n"red book","libro rojo"', entries_format: 'csv' });
    expect(csv.status).toBe(201);
    expect(csv.json).toMatchObject({ name: 'g', ready: true, source_lang: 'en', target_lang: 'es', entry_count: 2 });
    const id = csv.json.glossary_id as string;
    const entries = await call('GET', `/v2/glossaries/${id}/entries`, { headers: { ...auth, accept: 'text/tab-separated-values' } });
    expect(entries.headers['content-type']).toMatch(/^text\/tab-separated-values/);
    expect(entries.body).toBe('cat\tgato\nred book\tlibro rojo');

    expect((await call('GET', '/v2/glossaries/nope', { headers: auth })).status).toBe(404);
    expect((await call('DELETE', '/v2/glossaries/nope', { headers: auth })).status).toBe(404);
    const otherPair = await deepl(TOKEN, { text: 'the cat', source_lang: 'EN', target_lang: 'FR', glossary_id: id });
    expect(otherPair.status).toBe(400);
    const noSource = await deepl(TOKEN, { text: 'the cat', target_lang: 'ES', glossary_id: id });
    expect(noSource.json).toEqual({ message: "Use of a glossary requires the 'source_lang' parameter to be specified." });
    expect((await deepl(TOKEN, { text: 'the cat', source_lang: 'EN', target_lang: 'ES', glossary_id: id })).json).toMatchObject({ translations: [{ text: 'el gato' }] });
    // A client key cannot manage Parla's own glossary, but may use DeepL's glossary endpoints.
    const { key } = await createKey({ name: 'glossary-user' });
    expect((await call('GET', '/v2/glossaries', { headers: { authorization: `DeepL-Auth-Key ${key}` } })).json).toMatchObject({ glossaries: [{ glossary_id: id }] });
    expect((await call('GET', '/api/v1/glossaries', { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
  });
});
