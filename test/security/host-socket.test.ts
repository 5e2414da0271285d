// The model host's socket (issue 10, item 5): it lives in a folder only its user can enter,
// checked before connecting and before binding, and both ends prove they know the data dir's
// secret before a text crosses it. A fake host on the socket path gets no text; a client
// without the secret gets no answer. Runs as root here: modes and owners are checked with stat
// and chown, not by acting as another user. Slow parts spawn the real host entry (dist/).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HostClient } from '../../src/core/host/host-client.js';
import { hostEntry } from '../../src/core/host/spawn-host.js';
import { hostSocketPath } from '../../src/core/host/socket-dir.js';
import { hostLogPath, hostSecretPath } from '../../src/core/paths.js';
import { alive, ensureBuilt, useShortHostSettings } from '../engine/host-helpers.js';

// The socket folder follows XDG_RUNTIME_DIR; these tests spoil folders, so never the session's.
delete process.env.XDG_RUNTIME_DIR;

const dirs: string[] = [];
const servers: Server[] = [];
const pids: number[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  for (const pid of pids.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix = 'parla-sock-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

const mode = (path: string) => statSync(path).mode & 0o777;
const params = { modelId: 'x/y', modelDir: '/nowhere', texts: ['my private sentence 42'], to: 'es' };

/** A stranger's server on `path` that greets like a host; records every byte it receives. */
async function fakeHost(path: string, greeting: (clientLine: string) => string): Promise<() => string> {
  let received = '';
  const server = createServer((socket) => {
    socket.on('data', (d: Buffer) => {
      const first = received === '';
      received += d.toString();
      if (first) socket.write(greeting(received.split('\n')[0]!) + '\n');
    });
    socket.on('error', () => undefined);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(path, r));
  return () => received;
}

describe('a fake host on the socket path', () => {
  it('one that greets like the old protocol, or with a made-up proof, is refused at once with one line and gets no text', async () => {
    const greetings = [
      () => JSON.stringify({ kind: 'hello', pid: process.pid }),
      (line: string) => JSON.stringify({ kind: 'hello', pid: process.pid, nonce: randomBytes(24).toString('base64url'), proof: String(JSON.parse(line).nonce) }),
    ];
    for (const greeting of greetings) {
      const dataDir = tempDir();
      const path = hostSocketPath(dataDir);
      const received = await fakeHost(path, greeting);
      const client = new HostClient(dataDir);
      const started = Date.now();
      const error = await client.call('translate', params).then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ code: 'HOST_UNTRUSTED', message: expect.stringContaining("is not this data dir's model host") });
      expect((error as Error).message).not.toContain('\n');
      expect(Date.now() - started).toBeLessThan(5000); // refused, not retried until a timeout
      expect(received()).not.toContain('my private sentence');
      // All it saw: the client's hello with a nonce.
      expect(received().trim().split('\n')).toHaveLength(1);
      expect(JSON.parse(received())).toEqual({ kind: 'hello', nonce: expect.any(String) });
      await client.close();
      await new Promise((r) => servers.pop()!.close(r));
    }
  });
});

describe('the socket folder', () => {
  it('is <dataDir>/run, 0700, in a 0700 data dir', () => {
    const dataDir = tempDir();
    const path = hostSocketPath(dataDir, {});
    expect(path).toBe(join(dataDir, 'run', 'host.sock'));
    expect(mode(dirname(path))).toBe(0o700);
    expect(mode(dataDir)).toBe(0o700);
  });

  it('is the XDG runtime dir when that is the user\'s own, else not', () => {
    const dataDir = tempDir();
    const runtime = tempDir('parla-xdg-');
    chmodSync(runtime, 0o700);
    const path = hostSocketPath(dataDir, { XDG_RUNTIME_DIR: runtime });
    expect(dirname(path)).toBe(join(runtime, 'parla'));
    expect(mode(dirname(path))).toBe(0o700);
    chmodSync(runtime, 0o755);
    expect(hostSocketPath(dataDir, { XDG_RUNTIME_DIR: runtime })).toBe(join(dataDir, 'run', 'host.sock'));
  });

  it('for a deep data dir is an unpredictable 0700 temp folder, recorded, replaced when gone', () => {
    const dataDir = join(tempDir(), 'a'.repeat(60), 'b'.repeat(60));
    mkdirSync(dataDir, { recursive: true });
    const path = hostSocketPath(dataDir, {});
    expect(Buffer.byteLength(path)).toBeLessThanOrEqual(100);
    expect(path).not.toMatch(/parla-host-[0-9a-f]{16}\.sock$/); // the old predictable name
    const folder = dirname(path);
    dirs.push(folder);
    expect(dirname(folder)).toBe(tmpdir());
    expect(mode(folder)).toBe(0o700);
    expect(statSync(folder).uid).toBe(process.getuid!());
    expect(hostSocketPath(dataDir, {})).toBe(path);
    expect(mode(join(dataDir, 'host-run-dir'))).toBe(0o600);
    // A reboot cleaned the temp dir, and someone made a folder of that name: a new random one.
    rmSync(folder, { recursive: true });
    mkdirSync(folder, { mode: 0o777 });
    chmodSync(folder, 0o777);
    const next = hostSocketPath(dataDir, {});
    dirs.push(dirname(next));
    expect(dirname(next)).not.toBe(folder);
    expect(mode(dirname(next))).toBe(0o700);
  });

  it('with the wrong mode, the wrong owner or as a symbolic link is refused before connecting, with one line', async () => {
    const cases: [string, (run: string) => void, RegExp][] = [
      ['mode', (run) => chmodSync(run, 0o755), /open to others \(mode 755\)/],
      ['owner', (run) => chownSync(run, 65534, 65534), /owned by uid 65534, not by you/],
      ['symlink', (run) => (rmSync(run, { recursive: true }), symlinkSync(tempDir(), run)), /a symbolic link/],
    ];
    for (const [, spoil, message] of cases) {
      const dataDir = tempDir();
      const run = dirname(hostSocketPath(dataDir, {}));
      spoil(run);
      const client = new HostClient(dataDir);
      const error = await client.call('stats', {}).then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ code: 'HOST_UNTRUSTED', message: expect.stringMatching(message) });
      expect((error as Error).message).not.toContain('\n');
      await client.close();
    }
  });
});

describe('the real host entry (slow)', () => {
  beforeAll(() => ensureBuilt());

  it('works over the handshake, keeps its secret and log private, and drops a client without the secret', async () => {
    useShortHostSettings();
    const dataDir = tempDir();
    const client = new HostClient(dataDir);
    const { pid } = await client.call('stats', {});
    pids.push(pid);
    expect(mode(hostSecretPath(dataDir))).toBe(0o600);
    expect(readFileSync(hostSecretPath(dataDir), 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(mode(hostLogPath(dataDir))).toBe(0o600);

    const path = hostSocketPath(dataDir);
    const talk = async (lines: object[]): Promise<string> => {
      const socket: Socket = connect(path);
      let got = '';
      socket.on('data', (d: Buffer) => (got += d.toString()));
      socket.on('error', () => undefined);
      await new Promise((r) => socket.once('connect', r));
      for (const line of lines) socket.write(JSON.stringify(line) + '\n');
      await new Promise((r) => socket.once('close', r));
      return got;
    };
    const stats = { kind: 'request', seq: 1, method: 'stats', params: {} };
    // No handshake at all: a request is never answered, the connection is dropped.
    expect(await talk([stats])).toBe('');
    // A hello, then a made-up proof: the greeting only, no answer to the request.
    const got = await talk([{ kind: 'hello', nonce: randomBytes(24).toString('base64url') }, { kind: 'auth', proof: 'guess' }, stats]);
    expect(got.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(got)).toMatchObject({ kind: 'hello', pid });
    expect(got).not.toContain('response');
    // The real client still works alongside.
    expect((await client.call('stats', {})).pid).toBe(pid);
    await client.call('shutdown', {});
    await client.close();
  });

  it('refuses to bind in a folder others can enter, with one line', async () => {
    const dataDir = tempDir();
    const open = join(dataDir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const child = spawn(process.execPath, [hostEntry(), '--data-dir', dataDir, '--socket', join(open, 'host.sock')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^parla host: the model host's folder .*open is open to others \(mode 777\)[^\n]*\n$/);
    expect(existsSync(join(open, 'host.sock'))).toBe(false);
  });

  it('serves a deep data dir through its temp folder', async () => {
    useShortHostSettings();
    const dataDir = join(tempDir(), 'c'.repeat(70), 'd'.repeat(70));
    mkdirSync(dataDir, { recursive: true });
    const client = new HostClient(dataDir);
    const { pid } = await client.call('stats', {});
    pids.push(pid);
    const path = hostSocketPath(dataDir);
    dirs.push(dirname(path));
    expect(existsSync(path)).toBe(true);
    await client.call('shutdown', {});
    await client.close();
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(pid)).toBe(false);
    if (existsSync(path)) unlinkSync(path);
  });
});
