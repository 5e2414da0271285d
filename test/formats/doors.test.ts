// Localization files through Parla's doors: `parla batch` (format from the content, one output
// per language, --out folder or pattern, --overwrite, --no-fuzzy, the entries summary, one line
// for a bad file) and the HTTP API (upload, preview, result). Real state, real server; the fake
// model sits at the engine edge.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchCommand } from '../../src/cli/commands/batch.js';
import type { FilePreview } from '../../src/shared/job-requests.js';
import type { JobRecord } from '../../src/shared/jobs.js';
import { useApiServer } from '../helpers/api-server.js';
import { runCli } from '../state/helpers/cli.js';
import { FakeTranslator } from '../state/helpers/fake-translator.js';
import { useTmpDirs } from '../state/helpers/tmp.js';

const tmp = useTmpDirs('parla-doors-');
const FEATURES = new URL('../fixtures/formats/features.po', import.meta.url);
const TOKEN = 'formats-door-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

function catalog(dir: string, name = 'messages.po'): string {
  const file = join(dir, name);
  copyFileSync(FEATURES, file);
  return file;
}

describe('parla batch with a PO catalog', () => {
  it('picks the format from the content, writes one catalog per language next to the input, and counts entries', async () => {
    const dir = tmp();
    // Named .txt: the content says it is a catalog.
    const file = catalog(dir, 'strings.txt');
    const run = await runCli(batchCommand, [file, '--to', 'es,fr', '--json'], join(dir, 'data'));
    expect(run.stderr).not.toMatch(/parla:/u);
    expect(run.code).toBe(0);
    const job = JSON.parse(run.stdout) as JobRecord & { outputs: string[]; entries: Record<string, number> };
    expect(job.outputs).toEqual([join(dir, 'strings.txt.es.po'), join(dir, 'strings.txt.fr.po')]);
    expect(job.output).toBe(job.outputs[0]);
    // Per language: 7 entries get a translation, 2 keep theirs.
    expect(job.entries).toEqual({ translated: 14, kept: 4, skipped: 0 });
    expect(job.progress).toMatchObject({ total: 16, done: 16 });
    const fr = readFileSync(job.outputs[1]!, 'utf8');
    expect(fr).toContain('#, fuzzy\nmsgid "Welcome back"\nmsgstr "fr:WELCOME BACK"\n');
    expect(fr).toContain('"Language: fr\\n"');
    expect(fr).toContain('msgstr "Abierto"');

    const human = await runCli(batchCommand, [catalog(dir, 'other.po'), '--to', 'es'], join(dir, 'data'));
    expect(human.code).toBe(0);
    expect(human.stderr).toContain('entries: 7 translated, 2 kept, 0 skipped');
    expect(human.stdout.trim()).toBe(join(dir, 'other.es.po'));
  });

  it('--overwrite redoes translated entries and --no-fuzzy leaves the flags alone', async () => {
    const dir = tmp();
    const file = catalog(dir);
    const run = await runCli(batchCommand, [file, '--to', 'es', '--overwrite', '--no-fuzzy', '--json'], join(dir, 'data'));
    expect(run.code).toBe(0);
    const job = JSON.parse(run.stdout) as { entries: Record<string, number>; output: string };
    expect(job.entries).toEqual({ translated: 9, kept: 0, skipped: 0 });
    const out = readFileSync(job.output, 'utf8');
    expect(out).toContain('msgctxt "state"\nmsgid "Open"\nmsgstr "es:OPEN"\n');
    expect(out.match(/fuzzy/gu)).toHaveLength(2);
  });

  it('--out takes a folder, or a pattern with {lang}; a plain file name only for one language', async () => {
    const dir = tmp();
    const file = catalog(dir);
    mkdirSync(join(dir, 'out'));
    const folder = await runCli(batchCommand, [file, '--to', 'es,de', '--out', join(dir, 'out')], join(dir, 'data'));
    expect(folder.code).toBe(0);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['messages.de.po', 'messages.es.po']);
    const pattern = await runCli(batchCommand, [file, '--to', 'es,de', '--out', join(dir, 'po-{lang}.po')], join(dir, 'data'));
    expect(pattern.code).toBe(0);
    expect(existsSync(join(dir, 'po-es.po')) && existsSync(join(dir, 'po-de.po'))).toBe(true);
    const plain = await runCli(batchCommand, [file, '--to', 'es,de', '--out', join(dir, 'one.po')], join(dir, 'data'));
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/with several languages, name a folder or a pattern with \{lang\}/u);
  });

  it.each([
    ['a malformed catalog', (f: string) => writeFileSync(f, 'msgid "a"\nmsgstr "b"\nmsgid "c"\nmsgstr oops\n'), [], /messages\.po:4: expected a string in double quotes/u],
    ['a catalog not in UTF-8', (f: string) => writeFileSync(f, Buffer.from('msgid "caf\xe9"\nmsgstr ""\n', 'latin1')), [], /is not UTF-8 text/u],
    ['--columns on a catalog', (f: string) => copyFileSync(FEATURES, f), ['--columns', 'text'], /--columns is for spreadsheets/u],
    ['plurals for a language with no known rule', (f: string) => copyFileSync(FEATURES, f), ['--to', 'xx'], /no plural rule known for "xx"/u],
  ] as const)('%s: one line, exit 2, no output', async (_name, make, args, message) => {
    const dir = tmp();
    const file = join(dir, 'messages.po');
    make(file);
    const run = await runCli(batchCommand, [file, ...((args as readonly string[]).includes('--to') ? [] : ['--to', 'es']), ...args], join(dir, 'data'));
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    expect(readdirSync(dir).sort()).toEqual(['data', 'messages.po']);
  });

  it('a spreadsheet refuses the localization options', async () => {
    const dir = tmp();
    const file = join(dir, 'a.csv');
    writeFileSync(file, 'text\nhello\n');
    const run = await runCli(batchCommand, [file, '--to', 'es', '--overwrite'], join(dir, 'data'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--overwrite is for localization files/u);
  });
});

describe('PO catalogs over HTTP', () => {
  const served = useApiServer(TOKEN);

  const form = (fields: Record<string, string>, name = 'messages.po') => {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    body.append('file', new Blob([readFileSync(FEATURES)]), name);
    return body;
  };

  it('previews the units a job would translate', async () => {
    const { url } = await served.start(tmp(), async () => new FakeTranslator());
    const res = await fetch(`${url}/api/v1/jobs/preview`, { method: 'POST', headers: auth, body: form({}, 'strings.txt') });
    expect(res.status).toBe(200);
    const preview = (await res.json()) as FilePreview;
    expect(preview).toMatchObject({ format: 'po', total: 10, missing: 8 });
    expect(preview.units[0]).toEqual({ id: '1', source: 'Welcome back' });
    expect(preview.units.find((u) => u.context === 'state')).toMatchObject({ source: 'Open', existing: 'Abierto' });
    expect(preview.characters).toBeUndefined();
    // With a target language: the characters a job into it translates (the units without a
    // translation, each occurrence), counted by the job's own plan and ingest.
    const counted = (await (await fetch(`${url}/api/v1/jobs/preview`, { method: 'POST', headers: auth, body: form({ to: 'es' }, 'strings.txt') })).json()) as FilePreview;
    expect(counted.characters).toBe(preview.units.filter((u) => u.existing === undefined).reduce((n, u) => n + u.source.length, 0));
    expect((await fetch(`${url}/api/v1/jobs/preview`, { method: 'POST', headers: auth, body: form({ to: 'x y' }) })).status).toBe(400);
    const bad = await fetch(`${url}/api/v1/jobs/preview`, { method: 'POST', headers: auth, body: (() => {
      const body = new FormData();
      body.append('file', new Blob(['msgid "a"\nmsgstr\n']), 'x.po');
      return body;
    })() });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/x\.po:2: /u);
  });

  it('takes a catalog as a file job and answers with the translated catalog (overwrite and fuzzy fields)', async () => {
    const { url } = await served.start(tmp(), async () => new FakeTranslator());
    const created = await fetch(`${url}/api/v1/jobs`, { method: 'POST', headers: auth, body: form({ to: 'es', fuzzy: 'false', overwrite: 'true' }) });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    await (await fetch(`${url}/api/v1/jobs/${id}/events`, { headers: auth })).text();
    const job = (await (await fetch(`${url}/api/v1/jobs/${id}`, { headers: auth })).json()) as JobRecord;
    expect(job).toMatchObject({ status: 'done', progress: { total: 10, done: 10 } });
    const result = await fetch(`${url}/api/v1/jobs/${id}/result`, { headers: auth });
    expect(result.headers.get('content-disposition')).toContain('messages.es.po');
    const text = await result.text();
    expect(text).toContain('msgid "Welcome back"\nmsgstr "es:WELCOME BACK"\n');
    expect(text).toContain('msgstr "es:OPEN"');
    expect(text.match(/fuzzy/gu)).toHaveLength(2);
  });
});
