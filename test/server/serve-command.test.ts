import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { serve } from '../../src/cli/commands/serve.js';
import { createFakeApi } from '../helpers/fake-api.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'parla-serve-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function context() {
  const out: string[] = [];
  const fake = createFakeApi();
  let closed = false;
  return {
    out,
    closed: () => closed,
    ctx: {
      dataDir,
      openApi: async () => ({ ...fake, subscribe: fake.subscribe, close: async () => ((closed = true), fake.close()) }),
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => out.push(s) },
    },
  };
}

it('prints the UI URL with a token kept in the data dir, serves, and stops on SIGINT', async () => {
  const { out, ctx, closed } = context();
  const running = serve.run(['--port', '0'], ctx);
  while (out.length === 0) await new Promise((r) => setTimeout(r, 10));
  const url = new URL(out[0]!.trim());
  expect(url.hostname).toBe('127.0.0.1');
  const token = (await readFile(join(dataDir, 'serve-token'), 'utf8')).trim();
  expect(url.searchParams.get('token')).toBe(token);
  expect((await stat(join(dataDir, 'serve-token'))).mode & 0o077).toBe(0);
  const res = await fetch(`${url.origin}/api/v1/models`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  process.emit('SIGINT');
  expect(await running).toBe(0);
  expect(closed()).toBe(true);
});

it('refuses unknown flags and bad ports as usage errors', async () => {
  const { ctx } = context();
  await expect(serve.run(['--bogus'], ctx)).rejects.toMatchObject({ code: 'BAD_INPUT' });
  await expect(serve.run(['--port', 'x'], ctx)).rejects.toMatchObject({ code: 'BAD_INPUT' });
});
