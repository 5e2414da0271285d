import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { CommandContext } from '../../src/cli/registry.js';
import { createServeCommand } from '../../src/cli/commands/serve.js';
import { createFakeApi } from '../helpers/fake-api.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'parla-serve-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function setup(values: CommandContext['values'], positionals: string[] = []) {
  const out: string[] = [];
  let closed = false;
  const fake = createFakeApi();
  const command = createServeCommand(async () => ({ ...fake, subscribe: fake.subscribe, close: async () => ((closed = true), fake.close()) }));
  const stdout = new PassThrough();
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  const ctx: CommandContext = { global: { dataDir }, values, positionals, stdin: new PassThrough(), stdout, stderr: new PassThrough() };
  return { command, ctx, out, closed: () => closed };
}

it('prints the UI URL with a token kept in the data dir, serves, and stops on SIGINT', async () => {
  const { command, ctx, out, closed } = setup({ port: '0' });
  const running = command.run(ctx);
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

it('refuses bad ports and stray arguments as usage errors', async () => {
  await expect(setup({ port: 'x' }).command.run(setup({ port: 'x' }).ctx)).rejects.toMatchObject({ code: 'BAD_INPUT' });
  const stray = setup({}, ['now']);
  await expect(stray.command.run(stray.ctx)).rejects.toMatchObject({ code: 'BAD_INPUT' });
});
