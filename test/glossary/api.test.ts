// /api/v1/glossaries on the real local API (real SQLite glossary and cache, the real protector
// around the fake model): add, list and search, import (multipart and CSV text), export, remove,
// and the next translation through /api/v1/translate holds the term.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openParlaApi, type LocalApi } from '../../src/core/api/local-api.js';
import { createServer, type ParlaServer } from '../../src/server/server.js';
import type { GlossaryEntry, GlossaryPage } from '../../src/shared/glossary.js';
import type { Translation } from '../../src/shared/translation.js';
import { useTmpDirs } from '../state/helpers/tmp.js';
import { protectedFake } from './helpers.js';

const TOKEN = 'glossary-api-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
const tmp = useTmpDirs('parla-glossary-');
let api: LocalApi;
let server: ParlaServer;
let url: string;

beforeEach(async () => {
  api = await openParlaApi({ dataDir: tmp(), openEngine: protectedFake().openEngine, teamWork: 0 });
  server = createServer({ api, token: TOKEN, port: 0 });
  ({ url } = await server.listen());
});
afterEach(async () => {
  await server.close();
  await api.close();
});

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...auth, ...(body instanceof FormData || body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};
const translate = async (text: string) =>
  (JSON.parse((await call('POST', '/api/v1/translate', { texts: [text], from: 'en', to: 'es' })).text) as { translations: Translation[] }).translations[0]!;

describe('/api/v1/glossaries', () => {
  it('adds one or many, lists and searches, and the next translation holds the term', async () => {
    expect((await translate('open the file')).text).toBe('es:OPEN THE FILE');
    const one = await call('POST', '/api/v1/glossaries', { from: 'en', to: 'es', source: 'file', target: 'fichero' });
    expect(one.status).toBe(201);
    const [file] = (JSON.parse(one.text) as { entries: GlossaryEntry[] }).entries;
    const many = await call('POST', '/api/v1/glossaries', { entries: [{ from: 'en', to: 'es', source: 'Parla', doNotTranslate: true }, { from: 'en', to: 'fr', source: 'file', target: 'fichier' }] });
    expect(many.status).toBe(201);
    const [parla] = (JSON.parse(many.text) as { entries: GlossaryEntry[] }).entries;
    const page = JSON.parse((await call('GET', '/api/v1/glossaries?from=en&to=es&q=FI&limit=10')).text) as GlossaryPage;
    expect(page).toMatchObject({ total: 1, entries: [{ id: file!.id, target: 'fichero' }] });
    expect((JSON.parse((await call('GET', '/api/v1/glossaries')).text) as GlossaryPage).total).toBe(3);

    const after = await translate('Parla opens the file');
    expect(after).toMatchObject({ text: 'es:Parla OPENS THE fichero', cached: false });
    expect(new Set(after.glossary)).toEqual(new Set([file!.id, parla!.id]));
  });

  it('imports a multipart file or CSV text, exports CSV and TSV, removes by id', async () => {
    const form = new FormData();
    form.set('from', 'en');
    form.set('to', 'es');
    form.set('file', new Blob(['source\ttarget\nwindow\tventana\nfolder\tcarpeta\n']), 'terms.tsv');
    const imported = await call('POST', '/api/v1/glossaries/import', form);
    expect(imported.status).toBe(200);
    expect(JSON.parse(imported.text)).toMatchObject({ imported: 2 });
    const text = await call('POST', '/api/v1/glossaries/import', { from: 'en', to: 'es', text: 'cart,carrito\nParla,,true\n' });
    expect(JSON.parse(text.text)).toMatchObject({ imported: 2 });

    const csv = await call('GET', '/api/v1/glossaries/export?from=en&to=es&format=csv');
    expect(csv.type).toContain('text/csv');
    expect(csv.text).toBe('source,target,dnt,case_sensitive,whole_word\nParla,Parla,true,false,true\ncart,carrito,false,false,true\nfolder,carpeta,false,false,true\nwindow,ventana,false,false,true\n');
    const tsv = await call('GET', '/api/v1/glossaries/export?from=en&to=es&format=tsv');
    expect(tsv.text.split('\n')[2]).toBe('cart\tcarrito\tfalse\tfalse\ttrue');

    const { entries } = JSON.parse((await call('GET', '/api/v1/glossaries?q=cart')).text) as GlossaryPage;
    expect((await call('DELETE', `/api/v1/glossaries/${entries[0]!.id}`)).status).toBe(204);
    const gone = await call('DELETE', `/api/v1/glossaries/${entries[0]!.id}`);
    expect(gone.status).toBe(404);
    expect(JSON.parse(gone.text)).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('refuses bad input with its code and one line', async () => {
    const latin1 = new FormData();
    latin1.set('from', 'de');
    latin1.set('to', 'es');
    latin1.set('file', new Blob([new Uint8Array([0x53, 0x74, 0x72, 0x61, 0xdf, 0x65, 0x2c, 0x63, 0x61, 0x6c, 0x6c, 0x65])]), 'l1.csv');
    const bad = await call('POST', '/api/v1/glossaries/import', latin1);
    expect(bad.status).toBe(422);
    expect(JSON.parse(bad.text)).toEqual({ error: { code: 'BAD_FILE', message: 'l1.csv is not UTF-8 (byte 0xdf on line 1); save it as UTF-8, or name its encoding: --encoding windows-1252' } });
    latin1.set('encoding', 'windows-1252');
    expect(JSON.parse((await call('POST', '/api/v1/glossaries/import', latin1)).text)).toMatchObject({ imported: 1 });
    expect((JSON.parse((await call('GET', '/api/v1/glossaries?from=de&to=es')).text) as GlossaryPage).entries[0]!.source).toBe('Straße');

    expect((await call('POST', '/api/v1/glossaries', { from: 'en', to: 'es', source: 'x' })).status).toBe(400);
    expect((await call('POST', '/api/v1/glossaries', { from: 'en', to: 'es', source: 'x', target: 'y', color: 'red' })).status).toBe(400);
    expect((await call('GET', '/api/v1/glossaries/export?from=en&to=es&format=xlsx')).status).toBe(400);
    expect((await call('GET', '/api/v1/glossaries?limit=0')).status).toBe(400);
    expect((await fetch(`${url}/api/v1/glossaries`)).status).toBe(401);
  });
});
