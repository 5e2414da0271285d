// The API's file jobs take `review` and `min_confidence` multipart fields, as `parla batch`
// takes --no-review and --min-confidence; the job record counts flagged rows.
import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../src/shared/jobs.js';
import { FakeTranslator } from './helpers/fake-translator.js';
import { useApiServer } from '../helpers/api-server.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmp = useTmpDirs();
const TOKEN = 'review-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
const CSV = 'id,text\n1,hello there\n2,loop loop\n3,maybe so\n';

describe('file jobs over HTTP: review fields', () => {
  const served = useApiServer(TOKEN);

  async function start() {
    const model = new FakeTranslator({
      review: (t) => (t.startsWith('loop') ? { flags: ['repetition'], confidence: 0.1 } : { confidence: t.startsWith('maybe') ? 0.4 : 0.9 }),
    });
    const { url } = await served.start(tmp(), async () => model);
    const upload = (fields: Record<string, string>) => {
      const form = new FormData();
      form.append('to', 'es');
      form.append('from', 'en');
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append('file', new Blob([CSV]), 'rows.csv');
      return fetch(`${url}/api/v1/jobs`, { method: 'POST', headers: auth, body: form });
    };
    const finished = async (id: string): Promise<{ job: JobRecord; csv: string }> => {
      await (await fetch(`${url}/api/v1/jobs/${id}/events`, { headers: auth })).text();
      const job = (await (await fetch(`${url}/api/v1/jobs/${id}`, { headers: auth })).json()) as JobRecord;
      const csv = await (await fetch(`${url}/api/v1/jobs/${id}/result`, { headers: auth })).text();
      return { job, csv };
    };
    return { upload, finished };
  }

  it('writes review columns by default, leaves them out with review=false, and applies min_confidence', async () => {
    const { upload, finished } = await start();
    const plain = await upload({});
    expect(plain.status).toBe(202);
    const a = await finished(((await plain.json()) as { id: string }).id);
    expect(a.job.progress).toMatchObject({ done: 3, flagged: 1 });
    expect(a.csv.split('\n').slice(0, 3)).toEqual(['id,text,text (es),text (es) review', '1,hello there,es:HELLO THERE,', '2,loop loop,es:LOOP LOOP,repetition']);

    const b = await finished(((await (await upload({ review: 'false', min_confidence: '0.5' })).json()) as { id: string }).id);
    expect(b.job.progress).toMatchObject({ done: 3, flagged: 2 });
    expect(b.csv.split('\n').slice(0, 4)).toEqual(['id,text,text (es)', '1,hello there,es:HELLO THERE', '2,loop loop,', '3,maybe so,']);
  });

  it('answers 400 for a bad review or min_confidence field', async () => {
    const { upload } = await start();
    for (const fields of [{ review: 'maybe' }, { min_confidence: '1.5' }, { min_confidence: 'high' }] as Record<string, string>[]) {
      const res = await upload(fields);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_INPUT');
    }
  });
});
