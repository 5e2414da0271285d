// `parla keys` (the real CLI from dist/) and the data dir's stores behind `parla serve`: a key
// made on the command line opens the compatible APIs of a server on the same data dir, its usage
// shows in `parla keys list`, revoking it closes them; the allowedOrigins setting reaches the gate.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openParlaApi, type LocalApi } from '../../src/core/api/local-api.js';
import { createServer, type ParlaServer } from '../../src/server/server.js';
import { ensureBuilt } from '../engine/host-helpers.js';

const TOKEN = 'compat-keys-cli-token-0123456789';
const BIN = join(import.meta.dirname, '../../bin/parla.js');
let dataDir: string;
let api: LocalApi;
let server: ParlaServer;

async function parla(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args, '--data-dir', dataDir]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const languages = (key: string) => server.app.inject({ method: 'GET', url: `/languages?api_key=${encodeURIComponent(key)}` });

describe('parla keys and the data dir behind parla serve', () => {
  beforeAll(async () => {
    ensureBuilt();
    dataDir = await mkdtemp(join(tmpdir(), 'parla-keys-'));
    api = await openParlaApi({ dataDir, teamWork: 0 });
    server = createServer({ api, token: TOKEN, port: 0, compat: api.compat });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await api?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates a key printed once, lists it with its usage, revokes it', async () => {
    const created = await parla('keys', 'create', 'alice', '--chars', '5000', '--rate', '30');
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^parla_[\w-]{40,}$/);
    expect(created.stderr).toContain('shown this once');
    expect((await languages(key)).statusCode).toBe(200);

    const list = await parla('keys', 'list', '--json');
    const [info] = JSON.parse(list.stdout) as { name: string; charLimit: number; ratePerMinute: number; usage: { requests: number } }[];
    expect(info).toMatchObject({ name: 'alice', charLimit: 5000, ratePerMinute: 30, usage: { requests: 1 } });
    expect(list.stdout).not.toContain(key);
    expect((await parla('keys', 'list')).stdout).toMatch(/^alice\t0\/5000 chars in \d{4}-\d{2}\t1 requests\t30\/min\n$/);
    // The app and `parla serve` list the same keys.
    expect((await api.listKeys()).map((k) => k.name)).toEqual(['alice']);

    expect((await parla('keys', 'create', 'alice')).code).toBe(1);
    expect(await parla('keys', 'create', 'bob', '--chars', 'lots')).toMatchObject({ code: 2, stderr: expect.stringContaining('--chars must be a whole number') });
    expect(await parla('keys', 'revoke', 'alice')).toMatchObject({ code: 0, stdout: 'revoked alice\n' });
    expect((await languages(key)).statusCode).toBe(403);
    expect(await parla('keys', 'revoke', 'alice')).toMatchObject({ code: 2, stderr: expect.stringContaining('no key named "alice"') });
  }, 120_000);

  it('stores only the hash of a key', async () => {
    const key = (await parla('keys', 'create', 'hashed')).stdout.trim();
    const { openDb, stateDbPath } = await import('../../src/core/db.js');
    const db = openDb(stateDbPath(dataDir), { readonly: true });
    const rows = db.prepare('SELECT * FROM api_keys').all();
    db.close();
    expect(JSON.stringify(rows)).not.toContain(key);
    expect(JSON.stringify(rows)).toContain((await import('../../src/core/compat/keys.js')).hashKey(key));
  }, 60_000);

  it('takes allowedOrigins from the settings (the gate reads them live) and refuses a wildcard', async () => {
    const origin = 'moz-extension://0d9b2c1e-5f8e-4c1a-9a6b-1234567890ab';
    await api.setSettings({ allowedOrigins: [origin] });
    expect(api.compat.allowedOrigins()).toEqual([origin]);
    const preflight = await server.app.inject({ method: 'OPTIONS', url: '/translate', headers: { origin, 'access-control-request-method': 'POST' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(origin);
    for (const bad of ['*', 'null', 'https://app.example/path', 'app.example']) {
      await expect(api.setSettings({ allowedOrigins: [bad] }), bad).rejects.toMatchObject({ code: 'BAD_INPUT' });
    }
    await api.setSettings({ allowedOrigins: [] });
    expect((await server.app.inject({ method: 'OPTIONS', url: '/translate', headers: { origin } })).statusCode).toBe(401);
  });
});
