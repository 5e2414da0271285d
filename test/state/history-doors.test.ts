// History that means something (issue 14): a draft translated as the user types is not recorded
// until its door says the user settled on it, and a batch job is recorded as the job it was (its
// file's name, counts, id), never as text holding the server's upload path.
import { describe, expect, it } from 'vitest';
import type { HistoryPage } from '../../src/shared/history-api.js';
import type { JobRecord } from '../../src/shared/jobs.js';
import { useApiServer } from '../helpers/api-server.js';
import { FakeTranslator } from './helpers/fake-translator.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmp = useTmpDirs();
const TOKEN = 'history-doors-token-0123456789';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

describe('history over HTTP', () => {
  const served = useApiServer(TOKEN);

  it('leaves drafts (history: false) out, and records what the door sends to POST /api/v1/history once', async () => {
    const { url } = await served.start(tmp(), async () => new FakeTranslator());
    const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const history = async () => (await (await fetch(`${url}/api/v1/history`, { headers })).json()) as HistoryPage;

    for (const draft of ['H', 'Hel', 'Hello', 'Hello there']) {
      expect((await post('/api/v1/translate', { texts: [draft], from: 'en', to: 'es', history: false })).status).toBe(200);
    }
    expect((await history()).total).toBe(0);

    const settled = { source: 'Hello there', text: 'es:HELLO THERE', from: 'en', to: 'es', model: 'fake/es' };
    const res = await post('/api/v1/history', { entries: [settled] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ recorded: 1 });
    const page = await history();
    expect(page.total).toBe(1);
    expect(page.entries[0]).toMatchObject({ ...settled, door: 'api' });

    // A request that says nothing is recorded as before (CLI, API clients).
    await post('/api/v1/translate', { texts: ['Good night'], from: 'en', to: 'es' });
    expect((await history()).total).toBe(2);

    const bad = await post('/api/v1/history', { entries: [{ source: 'x', text: 'y', from: 'en', to: 'es' }] });
    expect(bad.status).toBe(400);
  });

  it('records a batch job as its job: the file name, counts and id, and no upload path', async () => {
    const dataDir = tmp();
    const { url } = await served.start(dataDir, async () => new FakeTranslator());
    const form = new FormData();
    form.append('to', 'es,fr');
    form.append('from', 'en');
    form.append('file', new Blob(['id,text\n1,hello there\n2,good night\n']), 'catalog.csv');
    const created = (await (await fetch(`${url}/api/v1/jobs`, { method: 'POST', headers: { authorization: headers.authorization }, body: form })).json()) as { id: string };
    await (await fetch(`${url}/api/v1/jobs/${created.id}/events`, { headers })).text();
    const job = (await (await fetch(`${url}/api/v1/jobs/${created.id}`, { headers })).json()) as JobRecord;
    expect(job.status).toBe('done');

    const { entries } = (await (await fetch(`${url}/api/v1/history`, { headers })).json()) as HistoryPage;
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry).toMatchObject({ door: 'batch', source: 'catalog.csv', from: 'en', to: 'es,fr', job: { id: job.id, file: 'catalog.csv', items: 4, done: 4, failed: 0 } });
    expect(JSON.stringify(entry)).not.toContain(dataDir);
    expect(JSON.stringify(entry)).not.toContain('uploads');
  });
});
