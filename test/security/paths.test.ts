// Issue 10, "Paths", "Concurrency" and "Uploads: retention": no `to`, file name or model id
// from a request writes (or removes) anything outside its folder, whatever its spelling; two
// jobs onto one output cannot both run; an input reached through a link is never overwritten;
// uploads go after their retention.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { batchCommand } from '../../src/cli/commands/batch.js';
import { jobsCommand } from '../../src/cli/commands/jobs.js';
import { translateCommand } from '../../src/cli/commands/translate.js';
import { openParlaApi, type LocalApi } from '../../src/core/api/local-api.js';
import { prepareBatch } from '../../src/core/jobs/batch.js';
import { LOCK_SUFFIX } from '../../src/core/output-file.js';
import { inside } from '../../src/core/safe-path.js';
import { createServer, type ParlaServer } from '../../src/server/server.js';
import { ParlaError } from '../../src/shared/errors.js';
import { API_ARGS } from '../../src/shared/ipc.js';
import type { JobRecord } from '../../src/shared/jobs.js';
import { runCli } from '../state/helpers/cli.js';
import { FakeTranslator } from '../state/helpers/fake-translator.js';
import { localState } from '../state/helpers/local.js';
import { useTmpDirs } from '../state/helpers/tmp.js';

const tmp = useTmpDirs('parla-paths-');
const TOKEN = 'paths-test-token-0123456789';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** Every path under `root` with what it is (file content hash, link target), to compare before and after. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = lstatSync(path);
      const rel = path.slice(root.length);
      if (st.isSymbolicLink()) out[rel] = `link:${readlinkSync(path)}`;
      else if (st.isDirectory()) {
        out[rel] = 'dir';
        walk(path);
      } else out[rel] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(root);
  return out;
}

/** A root holding a data dir and a file an attacker would like to replace. */
function world() {
  const root = tmp();
  const dataDir = join(root, 'a', 'b', 'data');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(root, 'r'), 'keep me');
  writeFileSync(join(root, 'a', 'r.csv'), 'keep me too');
  return { root, dataDir };
}

async function openApi(dataDir: string): Promise<LocalApi> {
  const api = await openParlaApi({ dataDir, openEngine: async () => new FakeTranslator() });
  closers.push(() => api.close());
  return api;
}

async function serve(api: LocalApi): Promise<ParlaServer> {
  const server = createServer({ api, token: TOKEN });
  closers.push(() => server.close());
  return server;
}

function multipart(fields: [string, string][], file: { name: string; content: string }) {
  const boundary = '----parla-paths';
  const parts = fields.map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  parts.push(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: text/csv\r\n\r\n${file.content}\r\n`);
  return {
    payload: parts.join('') + `--${boundary}--\r\n`,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function refusal(work: Promise<unknown>): Promise<ParlaError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ParlaError);
  return error as ParlaError;
}

function expectOneLine(message: string) {
  expect(message.trim()).not.toContain('\n');
  expect(message.length).toBeLessThan(400);
}

async function settled(api: LocalApi, id: string): Promise<JobRecord> {
  for (const end = Date.now() + 20_000; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) {
    const job = await api.getJob(id);
    if (job.status === 'done' || job.status === 'failed') return job;
  }
  throw new Error(`job ${id} did not settle`);
}

const LONG = 'x'.repeat(5000);
/** Language codes an attacker would send; each would leave the uploads folder if it became a path. */
const HOSTILE_CODES = [
  '../x',
  'x/../../r',
  'x/../../../../r',
  'es/../../../../../r',
  '/tmp/abs',
  '..',
  '%2e%2e',
  '%2e%2e%2fr',
  'es\u0000',
  'es\\..\\..\\r',
  `es-${LONG}`,
  '\u2025/r', // two-dot leader
  '\uff0e\uff0e/r', // fullwidth dots
  'ES',
  'e',
];
/** File names an attacker would send for an upload. */
const HOSTILE_NAMES = ['../x.csv', 'x/../../r.csv', '/tmp/abs.csv', '..', '.', 'a\u0000.csv', '..\\..\\r.csv', `${LONG}.csv`, 'a/b.csv'];
/** Names that look odd but are plain names: they are kept inside the upload's own folder. */
const ODD_NAMES = ['%2e%2e', '%2e%2e%2fr.csv', '\u2025.csv', '\uff0e\uff0e', '...csv', '.hidden.csv', ' .csv'];
const HOSTILE_MODEL_IDS = ['../x', 'a/../../r', '/tmp/abs', '..', 'a/..', '%2e%2e/x', 'a/b\u0000', 'a\\..\\..\\r', `a/${LONG}`, 'a/b/c', '\uff0e\uff0e/x'];

describe('hostile language codes', () => {
  it('a multipart job with any of them is refused with BAD_INPUT in one line, and no file is written anywhere', async () => {
    const { root, dataDir } = world();
    const server = await serve(await openApi(dataDir));
    for (const to of HOSTILE_CODES) {
      for (const field of ['to', 'from']) {
        const before = snapshot(root);
        const fields: [string, string][] = field === 'to' ? [['to', to]] : [['to', 'es'], ['from', to]];
        const res = await server.app.inject({ method: 'POST', url: '/api/v1/jobs', ...multipart(fields, { name: 'r.csv', content: 'text\nhello\n' }) });
        expect(res.statusCode, `${field}=${JSON.stringify(to)}`).toBe(400);
        expect(res.json().error.code).toBe('BAD_INPUT');
        expectOneLine(res.json().error.message);
        expect(snapshot(root), `${field}=${JSON.stringify(to)}`).toEqual(before);
      }
    }
  });

  it('the API called directly (the IPC door after its own check) refuses them too, before writing the upload', async () => {
    const { root, dataDir } = world();
    const api = await openApi(dataDir);
    for (const to of HOSTILE_CODES) {
      const before = snapshot(root);
      const request = { fileName: 'r.csv', bytes: new TextEncoder().encode('text\nhello\n'), to: [to] };
      expect(() => API_ARGS.createFileJob.parse([request])).toThrow(ParlaError);
      const error = await refusal(api.createFileJob(request));
      expect(error.code, JSON.stringify(to)).toBe('BAD_INPUT');
      expectOneLine(error.message);
      const text = await refusal(api.createTextJob({ texts: ['hello'], to }));
      expect(text.code).toBe('BAD_INPUT');
      expect(() => API_ARGS.translate.parse([{ texts: ['hello'], to }])).toThrow(ParlaError);
      expect(snapshot(root), JSON.stringify(to)).toEqual(before);
    }
  });

  it('`parla batch` and `parla translate` refuse them with one line and exit 2, writing nothing', async () => {
    const { root, dataDir } = world();
    const input = join(root, 'a', 'in.csv');
    writeFileSync(input, 'text\nhello\n');
    // `--to ES` is a person's Spanish at the CLI (normalised to `es`, test/models/catalog.test.ts); the APIs keep it refused.
    for (const to of HOSTILE_CODES.filter((c) => !c.includes('\u0000') && c !== 'ES')) {
      const before = snapshot(root);
      const run = await runCli(batchCommand, [input, '--to', to], dataDir);
      expect(run.code, JSON.stringify(to)).toBe(2);
      expectOneLine(run.stderr);
      const args = { global: { dataDir }, values: { to }, positionals: ['hello'] } as unknown as Parameters<typeof translateCommand.run>[0];
      expect((await refusal(translateCommand.run(args))).code).toBe('BAD_INPUT');
      const after = snapshot(root);
      // The CLI's state database may be created; nothing else appears or changes.
      for (const [path, what] of Object.entries(after)) if (!path.includes('/data/')) expect(before[path], path).toBe(what);
    }
  });
});

describe('hostile upload file names', () => {
  it('path-like names are refused with BAD_INPUT; odd plain names stay inside the upload folder', async () => {
    const { root, dataDir } = world();
    const api = await openApi(dataDir);
    const uploads = join(dataDir, 'uploads');
    for (const fileName of HOSTILE_NAMES) {
      const before = snapshot(root);
      const request = { fileName, bytes: new TextEncoder().encode('text\nhello\n'), to: ['es'] };
      expect(() => API_ARGS.createFileJob.parse([request]), JSON.stringify(fileName)).toThrow(ParlaError);
      const error = await refusal(api.createFileJob(request));
      expect(error.code, JSON.stringify(fileName)).toBe('BAD_INPUT');
      expectOneLine(error.message);
      expect(snapshot(root)).toEqual(before);
    }
    for (const fileName of ODD_NAMES) {
      const before = snapshot(root);
      const { id } = await api.createFileJob({ fileName, bytes: new TextEncoder().encode('text\nhello\n'), to: ['es'] });
      const job = await settled(api, id);
      expect(job.status).toBe('done');
      for (const path of Object.keys(snapshot(root))) {
        if (!(path in before) && !path.startsWith('/a/b/data/')) throw new Error(`${JSON.stringify(fileName)} wrote ${path}`);
        if (path.startsWith('/a/b/data/uploads/') && path.split('/').length > 7) throw new Error(`${JSON.stringify(fileName)} nested ${path}`);
      }
      expect(job.output!.startsWith(uploads + '/')).toBe(true);
      expect(snapshot(root)['/r']).toBe(before['/r']);
    }
  });
});

describe('hostile model ids', () => {
  it('download and remove refuse them without touching anything outside the models folder', async () => {
    const { root, dataDir } = world();
    const api = await openApi(dataDir);
    mkdirSync(join(root, 'a', 'x'));
    writeFileSync(join(root, 'a', 'x', 'model.onnx'), 'not yours');
    for (const id of HOSTILE_MODEL_IDS) {
      const before = snapshot(root);
      const download = await refusal(api.downloadModel(id));
      expect(download.code, JSON.stringify(id)).toBe('BAD_INPUT');
      expectOneLine(download.message);
      const removal = await refusal(api.removeModel(id));
      expect(['BAD_INPUT', 'NOT_FOUND']).toContain(removal.code);
      expectOneLine(removal.message);
      expect(snapshot(root), JSON.stringify(id)).toEqual(before);
    }
  });
});

describe('the path helper', () => {
  it('refuses parts that are not plain names and folders whose symlink leads out', () => {
    const { root } = world();
    const folder = join(root, 'uploads');
    mkdirSync(folder);
    symlinkSync(root, join(folder, 'out'));
    expect(inside(folder, 'job', 'a.csv')).toBe(join(folder, 'job', 'a.csv'));
    for (const part of ['..', '.', '', 'a/b', 'a\\b', 'a\u0000', LONG]) {
      expect(() => inside(folder, part), JSON.stringify(part)).toThrow(/plain file name/);
    }
    expect(() => inside(folder, 'out', 'r')).toThrow(/leads out of/);
  });
});

describe('two jobs, one output', () => {
  function inputs(root: string) {
    const a = join(root, 'a.csv');
    const b = join(root, 'b.csv');
    writeFileSync(a, 'text\nfrom a\n');
    writeFileSync(b, 'text\nfrom b\n');
    return { a, b, out: join(root, 'out.csv') };
  }

  it('a second batch onto the output of an unfinished job is refused before it starts, naming that job', async () => {
    const root = tmp();
    const dataDir = join(root, 'data');
    const { a, b, out } = inputs(root);
    const state = localState(dataDir);
    const { job } = await prepareBatch(state.queue, { file: a, to: ['es'], out });
    state.close();
    const second = await runCli(batchCommand, [b, '--to', 'es', '--out', out], dataDir);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(job.id);
    expectOneLine(second.stderr);
    expect(existsSync(out)).toBe(false);
    // The same batch again still resumes its job.
    const again = await runCli(batchCommand, [a, '--to', 'es', '--out', out], dataDir);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`resuming job ${job.id}`);
    expect(readFileSync(out, 'utf8')).toContain('es:FROM A');
    expect(existsSync(out + LOCK_SUFFIX)).toBe(false);
  });

  it('an output locked by another live process is refused naming its job; a lock left by a dead one is taken over', async () => {
    const root = tmp();
    const { a, out } = inputs(root);
    const sleeper: ChildProcess = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    closers.push(() => void sleeper.kill());
    writeFileSync(out + LOCK_SUFFIX, JSON.stringify({ pid: sleeper.pid, job: 'job-elsewhere' }));
    const refused = await runCli(batchCommand, [a, '--to', 'es', '--out', out], join(root, 'data'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/job-elsewhere/);
    expect(existsSync(out)).toBe(false);

    // The same target reached through a linked folder is the same lock.
    mkdirSync(join(root, 'sub'));
    symlinkSync(root, join(root, 'sub', 'up'));
    const linked = await runCli(batchCommand, [a, '--to', 'es', '--out', join(root, 'sub', 'up', 'out.csv')], join(root, 'data'));
    expect(linked.code).toBe(1);
    expect(linked.stderr).toMatch(/job-elsewhere/);

    sleeper.kill();
    await new Promise((r) => sleeper.once('exit', r));
    const taken = await runCli(batchCommand, [a, '--to', 'es', '--out', out], join(root, 'data'));
    expect(taken.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('es:FROM A');
    expect(existsSync(out + LOCK_SUFFIX)).toBe(false);
  });

  it('two batches racing onto one --out (separate data dirs): one writes it, the other fails with the lock, nothing is lost silently', async () => {
    const root = tmp();
    const { a, b, out } = inputs(root);
    const slow = () => new FakeTranslator({ delayMs: 200 });
    const [first, second] = await Promise.all([
      runCli(batchCommand, [a, '--to', 'es', '--out', out], join(root, 'data1'), slow()),
      runCli(batchCommand, [b, '--to', 'es', '--out', out], join(root, 'data2'), slow()),
    ]);
    const codes = [first.code, second.code].sort();
    expect(codes).toEqual([0, 1]);
    const [winner, loser] = first.code === 0 ? [a, second] : [b, first];
    expect(loser.stderr).toMatch(/is being written by job/);
    expect(readFileSync(out, 'utf8')).toContain(winner === a ? 'es:FROM A' : 'es:FROM B');
    expect(existsSync(out + LOCK_SUFFIX)).toBe(false);
  });
});

describe('an input reached through a link', () => {
  it('is refused as the output whether the input, the output, or a hard link is the link', async () => {
    const root = tmp();
    const dataDir = join(root, 'data');
    const real = join(root, 'real.csv');
    writeFileSync(real, 'text\nhello\n');
    const before = readFileSync(real, 'utf8');
    symlinkSync(real, join(root, 'in-link.csv'));
    symlinkSync(real, join(root, 'out-link.csv'));
    linkSync(real, join(root, 'hard.csv'));
    mkdirSync(join(root, 'sub'));
    symlinkSync(root, join(root, 'sub', 'up'));
    const cases: [string, string][] = [
      [join(root, 'in-link.csv'), real],
      [real, join(root, 'out-link.csv')],
      [join(root, 'hard.csv'), real],
      [real, join(root, 'sub', 'up', 'real.csv')],
    ];
    for (const [input, out] of cases) {
      const run = await runCli(batchCommand, [input, '--to', 'es', '--out', out], dataDir);
      expect(run.code, `${input} → ${out}`).toBe(2);
      expect(run.stderr).toMatch(/is the input file/);
      expectOneLine(run.stderr);
      expect(readFileSync(real, 'utf8')).toBe(before);
    }
  });
});

describe('upload retention', () => {
  const DAY = 86_400_000;

  it('removes an upload and its result once its job ended longer ago than the setting; keeps newer ones', async () => {
    const { dataDir } = world();
    const api = await openApi(dataDir);
    expect((await api.getSettings()).uploadRetentionDays).toBe(7);
    const { id } = await api.createFileJob({ fileName: 'pets.csv', bytes: new TextEncoder().encode('text\ncat\n'), to: ['es'] });
    const job = await settled(api, id);
    const folder = dirname(job.output!);
    expect(existsSync(job.output!)).toBe(true);
    // An orphan folder (a create that died midway), old, and a fresh one.
    const orphan = join(dataDir, 'uploads', 'orphan');
    mkdirSync(orphan);
    utimesSync(orphan, new Date(Date.now() - 9 * DAY), new Date(Date.now() - 9 * DAY));
    const fresh = join(dataDir, 'uploads', 'fresh');
    mkdirSync(fresh);

    expect(await api.sweepUploads(Date.now() + 6 * DAY)).toBe(1);
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(folder)).toBe(true);

    expect(await api.sweepUploads(Date.now() + 8 * DAY)).toBe(2);
    expect(existsSync(folder)).toBe(false);
    const gone = await refusal(api.jobResult(id));
    expect(gone.code).toBe('NOT_FOUND');
    expect(readdirSync(join(dataDir, 'uploads'))).toEqual([]);
  });

  it('keeps everything with retention 0, and refuses a bad retention value', async () => {
    const { dataDir } = world();
    const api = await openApi(dataDir);
    await api.setSettings({ uploadRetentionDays: 0 });
    mkdirSync(join(dataDir, 'uploads', 'old'), { recursive: true });
    utimesSync(join(dataDir, 'uploads', 'old'), new Date(0), new Date(0));
    expect(await api.sweepUploads(Date.now() + 1000 * DAY)).toBe(0);
    expect(existsSync(join(dataDir, 'uploads', 'old'))).toBe(true);
    const bad = await refusal(api.setSettings({ uploadRetentionDays: -1 }));
    expect(bad.code).toBe('BAD_INPUT');
  });
});

describe('deleting a job', () => {
  it('DELETE /api/v1/jobs/:id removes an ended job with its upload and result', async () => {
    const { dataDir } = world();
    const api = await openApi(dataDir);
    const server = await serve(api);
    const auth = { authorization: `Bearer ${TOKEN}` };
    const { id } = await api.createFileJob({ fileName: 'pets.csv', bytes: new TextEncoder().encode('text\ncat\n'), to: ['es'] });
    const job = await settled(api, id);
    expect(existsSync(job.output!)).toBe(true);
    const res = await server.app.inject({ method: 'DELETE', url: `/api/v1/jobs/${id}`, headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id, deleted: true });
    expect(existsSync(dirname(job.output!))).toBe(false);
    expect(readdirSync(join(dataDir, 'uploads'))).toEqual([]);
    expect((await server.app.inject({ url: `/api/v1/jobs/${id}`, headers: auth })).statusCode).toBe(404);
    expect((await server.app.inject({ method: 'DELETE', url: `/api/v1/jobs/${id}`, headers: auth })).statusCode).toBe(404);
  });

  it('an unfinished job cannot be deleted (CONFLICT, one line); it still runs to its end', async () => {
    const { dataDir } = world();
    const api = await openParlaApi({ dataDir, openEngine: async () => new FakeTranslator({ delayMs: 1000 }) });
    closers.push(() => api.close());
    const server = await serve(api);
    const { id } = await api.createTextJob({ texts: ['a'], to: 'es' });
    const conflict = await server.app.inject({ method: 'DELETE', url: `/api/v1/jobs/${id}`, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error.code).toBe('CONFLICT');
    expectOneLine(conflict.json().error.message);
    expect((await settled(api, id)).status).toBe('done');
  });

  it('`parla jobs delete ID` removes the job but never the files the person named', async () => {
    const root = tmp();
    const dataDir = join(root, 'data');
    const input = join(root, 'in.csv');
    const out = join(root, 'out.csv');
    writeFileSync(input, 'text\nhello\n');
    const run = await runCli(batchCommand, [input, '--to', 'es', '--out', out, '--json'], dataDir);
    expect(run.code).toBe(0);
    const { id } = JSON.parse(run.stdout) as JobRecord;
    const deleted = await runCli(jobsCommand, ['delete', id], dataDir);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toBe(`deleted job ${id}\n`);
    expect(existsSync(input) && existsSync(out)).toBe(true);
    const show = await runCli(jobsCommand, ['show', id], dataDir);
    expect(show.code).not.toBe(0);
    expect(show.stderr).toContain(`no job ${id}`);
  });
});
