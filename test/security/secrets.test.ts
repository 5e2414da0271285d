// Secrets in clear (issue 10, items 4 and 7): the team's Redis password never leaves the process
// (settings responses, logs, errors), Parla's files are the user's alone (0600 files, 0700
// folders, fixed on existing ones at open), a password kept off the command line, and a Redis
// database the server lacks ends a worker instead of leaving it on database 0.
// Runs as root here: modes are checked with stat, not by reading as another user.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { workerCommand } from '../../src/cli/commands/worker.js';
import { PASSWORD_ON_COMMAND_LINE, resolveRedisUrl } from '../../src/cli/redis-url.js';
import { openParlaApi, type LocalApi } from '../../src/core/api/local-api.js';
import { packageRoot } from '../../src/core/paths.js';
import { createServer, type ParlaServer } from '../../src/server/server.js';
import { loadOrCreateToken } from '../../src/server/token.js';
import { runCli } from '../state/helpers/cli.js';
import { FakeTranslator } from '../state/helpers/fake-translator.js';
import { useRedisServer } from '../team/helpers/redis-server.js';
import { ensureBuilt, useTmp } from '../team/helpers/team.js';

const PASSWORD = 'pw-Secret-4711';
const tmp = useTmp();
const redis = useRedisServer({ password: PASSWORD });
const TOKEN = 'test-token-0123456789abcdef';
const auth = { authorization: `Bearer ${TOKEN}` };

const opened: { api: LocalApi; server?: ParlaServer }[] = [];
afterEach(async () => {
  for (const { api, server } of opened.splice(0)) {
    await server?.close();
    await api.close();
  }
});

async function openApi(dataDir: string): Promise<{ api: LocalApi; server: ParlaServer }> {
  const api = await openParlaApi({ dataDir, openEngine: async () => new FakeTranslator() });
  const server = createServer({ api, token: TOKEN });
  opened.push({ api, server });
  return { api, server };
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the Redis password never leaves the process', () => {
  it('settings responses show *** over HTTP and the API; the file keeps it, private', async () => {
    const dataDir = tmp();
    const { api, server } = await openApi(dataDir);
    const url = `redis://:${PASSWORD}@127.0.0.1:${redis().port}/0`;
    const patched = await server.app.inject({ method: 'PATCH', url: '/api/v1/settings', headers: auth, payload: { team: { redisUrl: url, name: 'acme' } } });
    expect(patched.statusCode).toBe(200);
    expect(patched.body).not.toContain(PASSWORD);
    expect(patched.json()).toMatchObject({ team: { redisUrl: `redis://:***@127.0.0.1:${redis().port}/0`, name: 'acme' } });
    const got = await server.app.inject({ url: '/api/v1/settings', headers: auth });
    expect(got.body).not.toContain(PASSWORD);
    expect(got.json()).toMatchObject({ team: { redisUrl: `redis://:***@127.0.0.1:${redis().port}/0` } });
    expect(JSON.stringify(await api.getSettings())).not.toContain(PASSWORD);
    const file = join(dataDir, 'settings.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ team: { redisUrl: url } });
    expect(mode(file)).toBe(0o600);
  });

  it('the Settings page saving or testing the masked URL keeps the stored password; a changed host never gets it', async () => {
    const dataDir = tmp();
    const { api, server } = await openApi(dataDir);
    const url = `redis://:${PASSWORD}@127.0.0.1:${redis().port}`;
    await api.setSettings({ team: { redisUrl: url, name: 'acme' } });
    // What SettingsPage does: get, edit another field, send the whole object back.
    const shown = await api.getSettings();
    const saved = await server.app.inject({ method: 'PATCH', url: '/api/v1/settings', headers: auth, payload: { ...shown, threads: 2 } });
    expect(saved.statusCode).toBe(200);
    const stored = () => (JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as { team: { redisUrl: string } }).team.redisUrl;
    expect(stored()).toBe(url);
    // "Test connection" on the form as shown reaches the server with the stored password.
    expect(await api.testTeamConnection(shown.team)).toMatchObject({ ok: true });
    // The mask with another host (or port, user, database) is a password never typed: refused.
    const moved = { team: { redisUrl: 'redis://:***@evil.example:6379', name: 'acme' } };
    const refused = await server.app.inject({ method: 'PATCH', url: '/api/v1/settings', headers: auth, payload: moved });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: { code: 'BAD_INPUT', message: expect.stringMatching(/type the Redis password again/) } });
    expect(stored()).toBe(url);
    expect(await api.testTeamConnection(moved.team)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    // A new password typed in place of the mask is stored.
    await api.setSettings({ team: { redisUrl: `redis://:new-pass-123@127.0.0.1:${redis().port}` } });
    expect(stored()).toBe(`redis://:new-pass-123@127.0.0.1:${redis().port}`);
  });

  it('a failed connection test names the URL without the password', async () => {
    const { api } = await openApi(tmp());
    const wrong = await api.testTeamConnection({ redisUrl: `redis://:not-it-${PASSWORD}@127.0.0.1:${redis().port}`, name: '' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'REDIS_AUTH' } });
    expect(JSON.stringify(wrong)).not.toContain(PASSWORD);
  });
});

describe('file and folder modes', () => {
  it('a new data dir is 0700 and every file Parla creates in it 0600, even with umask 0', async () => {
    const dataDir = join(tmp(), 'data');
    const umask = process.umask(0);
    try {
      const { api } = await openApi(dataDir);
      await api.setSettings({ threads: 2 });
      await api.translate({ texts: ['hello'], to: 'es' });
      await loadOrCreateToken(dataDir);
    } finally {
      process.umask(umask);
    }
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'uploads'))).toBe(0o700);
    for (const name of ['settings.json', 'serve-token', 'parla.db', 'parla.db-wal', 'parla.db-shm']) {
      expect([name, mode(join(dataDir, name))]).toEqual([name, 0o600]);
    }
  });

  it('fixes the modes an older Parla left on an existing data dir, database and settings', async () => {
    const dataDir = join(tmp(), 'data');
    mkdirSync(join(dataDir, 'uploads'), { recursive: true });
    const db = new Database(join(dataDir, 'parla.db'));
    db.pragma('journal_mode = WAL');
    db.exec('create table t (x)');
    db.close();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ team: { redisUrl: `redis://:${PASSWORD}@h:6379`, name: '' } }));
    const shared = ['', 'uploads', 'settings.json', 'parla.db'].map((n) => join(dataDir, n));
    for (const p of shared) chmodSync(p, statSync(p).isDirectory() ? 0o755 : 0o644);
    // A -wal a crash left behind (SQLite gives it the database's mode).
    writeFileSync(join(dataDir, 'parla.db-wal'), '', { mode: 0o644 });
    chmodSync(join(dataDir, 'parla.db-wal'), 0o644);

    await openApi(dataDir);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'uploads'))).toBe(0o700);
    for (const name of ['settings.json', 'parla.db', 'parla.db-wal', 'parla.db-shm']) {
      expect([name, mode(join(dataDir, name))]).toEqual([name, 0o600]);
    }
  });

  it('an existing serve-token others could read is replaced and made 0600; a private one is kept', async () => {
    const dataDir = tmp();
    const file = join(dataDir, 'serve-token');
    const leaked = 'leaked-token-abcdefghijklmnop';
    writeFileSync(file, `${leaked}\n`);
    chmodSync(file, 0o666);
    const token = await loadOrCreateToken(dataDir);
    expect(token).not.toBe(leaked);
    expect(token.length).toBeGreaterThanOrEqual(16);
    expect(mode(file)).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(token);
    expect(await loadOrCreateToken(dataDir)).toBe(token);
  });

  it('leaves a shared sticky folder given as the data dir alone', async () => {
    const shared = tmp();
    chmodSync(shared, 0o1777);
    await loadOrCreateToken(shared);
    expect(statSync(shared).mode & 0o7777).toBe(0o1777);
    expect(mode(join(shared, 'serve-token'))).toBe(0o600);
  });
});

describe('--redis and its password', () => {
  const sources = (over: Partial<Parameters<typeof resolveRedisUrl>[0]>) => {
    const warnings: string[] = [];
    return { warnings, get: () => resolveRedisUrl({ env: {}, warn: (l) => warnings.push(l), ...over }) };
  };

  it('takes the password from a file for the URL, warns only for a password on the command line', () => {
    const file = join(tmp(), 'pw');
    writeFileSync(file, 'p@ss:w/rd%41\n', { mode: 0o600 });
    const fromFile = sources({ flag: 'redis://alice@10.0.0.5:6379/2', passwordFile: file });
    expect(fromFile.get()).toBe('redis://alice:p%40ss%3Aw%2Frd%2541@10.0.0.5:6379/2');
    expect(decodeURIComponent(new URL(fromFile.get()!).password)).toBe('p@ss:w/rd%41');
    expect(fromFile.warnings).toEqual([]);
    const fromEnv = sources({ env: { PARLA_REDIS_URL: 'redis://10.0.0.5', PARLA_REDIS_PASSWORD_FILE: file } });
    expect(fromEnv.get()).toBe('redis://:p%40ss%3Aw%2Frd%2541@10.0.0.5');
    const inEnv = sources({ env: { PARLA_REDIS_URL: 'redis://:pw@10.0.0.5' } });
    expect(inEnv.get()).toBe('redis://:pw@10.0.0.5');
    expect(inEnv.warnings).toEqual([]);
    const onCommandLine = sources({ flag: 'redis://:pw@10.0.0.5' });
    expect(onCommandLine.get()).toBe('redis://:pw@10.0.0.5');
    expect(onCommandLine.warnings).toEqual([PASSWORD_ON_COMMAND_LINE]);
    expect(PASSWORD_ON_COMMAND_LINE).toMatch(/^parla: warning: [^\n]*--redis-password-file[^\n]*\n$/);
    expect(() => sources({ flag: 'redis://:pw@h', passwordFile: file }).get()).toThrow(/given twice/);
    expect(() => sources({ passwordFile: file }).get()).toThrow(/needs the URL too/);
    expect(() => sources({ flag: 'redis://h', passwordFile: join(tmp(), 'none') }).get()).toThrow(/cannot read/);
  });

  describe('with the built CLI', () => {
    beforeAll(() => ensureBuilt());

    function parlaWorker(args: string[], env: NodeJS.ProcessEnv = {}) {
      const child = spawn(process.execPath, [join(packageRoot(), 'bin', 'parla.js'), 'worker', '--data-dir', tmp(), '--team', 'sec', ...args], {
        env: { ...process.env, PARLA_REDIS_URL: '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((r) => child.once('exit', r));
      const until = async (re: RegExp) => {
        const end = Date.now() + 30_000;
        while (!re.test(stderr)) {
          if (Date.now() > end || child.exitCode !== null) throw new Error(`no ${re} in: ${stderr}`);
          await new Promise((r) => setTimeout(r, 25));
        }
      };
      return { child, exited, until, stderr: () => stderr };
    }

    it('a worker reads its password from --redis-password-file; none is shown or warned about', async () => {
      const file = join(tmp(), 'redis-password');
      writeFileSync(file, `${PASSWORD}\n`, { mode: 0o600 });
      const w = parlaWorker(['--redis', `redis://127.0.0.1:${redis().port}`, '--redis-password-file', file]);
      await w.until(/worker ready/);
      w.child.kill('SIGTERM');
      expect(await w.exited).toBe(0);
      expect(w.stderr()).not.toContain(PASSWORD);
      expect(w.stderr()).not.toMatch(/warning/);
    });

    it('a password in --redis gets a one-line warning naming the safer ways', async () => {
      const w = parlaWorker(['--redis', redis().url]);
      await w.until(/worker ready/);
      w.child.kill('SIGTERM');
      await w.exited;
      expect(w.stderr().split('\n').filter((l) => l.includes('warning'))).toEqual([PASSWORD_ON_COMMAND_LINE.trimEnd()]);
      expect(w.stderr()).toContain('PARLA_REDIS_URL');
      expect(w.stderr().replace(PASSWORD_ON_COMMAND_LINE, '')).not.toContain(PASSWORD);
    });
  });
});

describe('a Redis database the server lacks', () => {
  it('ends a worker with one line naming the SELECT refusal, exit 1, never "ready"', async () => {
    const r = await runCli(workerCommand, [], tmp(), undefined, { redisUrl: `${redis().url}/99` });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/refused SELECT 99 \(ERR DB index is out of range\)/);
    expect(r.stderr).not.toContain(PASSWORD);
    expect(r.stderr).not.toMatch(/ready/);
  });

  it('fails the Settings page connection test too', async () => {
    const { api } = await openApi(tmp());
    const test = await api.testTeamConnection({ redisUrl: `${redis().url}/99`, name: '' });
    expect(test).toMatchObject({ ok: false, error: { code: 'TEAM_OFFLINE', message: expect.stringMatching(/SELECT 99/) } });
  });

  it('refuses a database that is not a number before connecting', async () => {
    const r = await runCli(workerCommand, [], tmp(), undefined, { redisUrl: `${redis().url}/abc` });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/database in --redis is a number/);
  });
});
