// Errors about an uploaded file name the file as its sender named it, never the server's upload
// folder (issue 14): a binary file named .csv, an empty file, a workbook that is not one.
import { describe, expect, it } from 'vitest';
import { useApiServer } from '../helpers/api-server.js';
import { FakeTranslator } from './helpers/fake-translator.js';
import { useTmpDirs } from './helpers/tmp.js';

const tmp = useTmpDirs();
const TOKEN = 'upload-errors-token-0123456789';

describe('upload errors over HTTP', () => {
  const served = useApiServer(TOKEN);

  it('name the file, not the path it has on the server', async () => {
    const dataDir = tmp();
    const { url } = await served.start(dataDir, async () => new FakeTranslator());
    const send = async (path: string, name: string, bytes: Uint8Array) => {
      const form = new FormData();
      if (path === '/api/v1/jobs') {
        form.append('to', 'es');
        form.append('from', 'en');
      }
      form.append('file', new Blob([new Uint8Array(bytes)]), name);
      const res = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
      return { status: res.status, error: ((await res.json()) as { error: { code: string; message: string } }).error };
    };
    const binary = new Uint8Array([0x41, 0x00, 0x42, 0x00, 0x01, 0x02, 0x0a, 0x00]);
    const cases = [
      await send('/api/v1/jobs', 'data.csv', binary),
      await send('/api/v1/jobs', 'book.xlsx', new TextEncoder().encode('not a workbook\n')),
      await send('/api/v1/jobs/preview', 'empty.po', new Uint8Array()),
    ];
    for (const { status, error } of cases) {
      expect([400, 422], JSON.stringify(error)).toContain(status);
      expect(error.message).not.toContain(dataDir);
      expect(error.message).not.toMatch(/uploads|preview-/u);
    }
    expect(cases[0]!.error.message).toMatch(/^data\.csv looks binary/u);
    expect(cases[1]!.error.message).toMatch(/^book\.xlsx /u);
    expect(cases[2]!.error.message).toBe('empty.po is empty');
  });
});
