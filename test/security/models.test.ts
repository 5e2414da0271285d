// Security: models are input too. A broken or hostile model folder is refused before it is
// installed, cannot take a language pair over from a working model, cannot hang the host or
// keep it from answering SIGTERM, and a request cannot make Parla walk or probe the disk by
// naming a folder as its model. Slow parts run the built CLI and the real host entry.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HostClient } from '../../src/core/host/host-client.js';
import { openParlaApi } from '../../src/core/api/local-api.js';
import { ModelStore } from '../../src/core/models/model-store.js';
import { packageRoot } from '../../src/core/paths.js';
import { createServer } from '../../src/server/server.js';
import { alive, ensureBuilt, useShortHostSettings } from '../engine/host-helpers.js';
import { HAVE_MODEL, MODEL_DIR } from '../engine/model-fixture.js';
import { slowGraph } from './onnx-writer.js';

const bin = join(packageRoot(), 'bin', 'parla.js');
const temps: string[] = [];
const pids: number[] = [];

async function temp(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

afterEach(async () => {
  for (const pid of pids.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

type JsonFile = 'config.json' | 'generation_config.json';

/** A copy of the bundled model in a fresh folder named `name` (its name gives the pair), with `edits` merged into its JSON files. */
async function modelCopy(name = 'opus-mt-en-es', edits: Partial<Record<JsonFile, Record<string, unknown>>> = {}): Promise<string> {
  const dir = join(await temp('parla-model-'), name);
  await cp(MODEL_DIR, dir, { recursive: true });
  for (const [file, edit] of Object.entries(edits)) {
    const json = JSON.parse(await readFile(join(dir, file), 'utf8')) as Record<string, unknown>;
    await writeFile(join(dir, file), JSON.stringify({ ...json, ...edit }));
  }
  return dir;
}

async function parla(dataDir: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args, '--data-dir', dataDir], (error, stdout, stderr) =>
      resolve({ stdout, stderr, code: error ? Number((error as { code?: number }).code ?? 1) : 0 }),
    );
  });
}

/** Stops the data dir's host, if one runs, and remembers its pid for the cleanup. */
async function stopHost(dataDir: string): Promise<void> {
  const client = new HostClient(dataDir);
  const { pid } = await client.call('stats', {});
  pids.push(pid);
  await client.call('shutdown', {}).catch(() => undefined);
  await client.close();
}

beforeAll(() => ensureBuilt());

describe.skipIf(!HAVE_MODEL)('config values are range-checked before anything loads', () => {
  // Generation settings live in generation_config.json, which wins over config.json.
  const cases: [JsonFile, string, unknown][] = [
    ['config.json', 'decoder_layers', 1e9],
    ['config.json', 'decoder_layers', 0],
    ['config.json', 'max_position_embeddings', -1],
    ['config.json', 'max_position_embeddings', 1e7],
    ['config.json', 'd_model', 1e9],
    ['config.json', 'decoder_attention_heads', 3], // 256 is not a multiple of 3
    ['config.json', 'vocab_size', 100], // the tokenizer has 8000 ids
    ['generation_config.json', 'pad_token_id', 9000],
    ['generation_config.json', 'eos_token_id', -1],
    ['generation_config.json', 'num_beams', 0],
    ['generation_config.json', 'max_length', 'long'],
  ];
  it.each(cases)('%s %s: %s is refused in one line naming the field; nothing installed', async (file, field, value) => {
    const dataDir = await temp('parla-sec-');
    const store = new ModelStore(dataDir);
    const started = performance.now();
    const error = await store.import(await modelCopy('opus-mt-en-es', { [file]: { [field]: value } })).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error).toMatchObject({ code: 'MODEL_INVALID' });
    const message = (error as Error).message;
    expect(message).toContain(`"${field}"`);
    expect(message.split('\n')).toHaveLength(1);
    expect((await store.list()).map((m) => m.id)).toEqual(['parla/tiny-en-es']);
    expect(await readdir(join(dataDir, 'models', '.incoming')).catch(() => [])).toEqual([]);
  });

  it('the host refuses decoder_layers: 1e9 at once instead of growing without end', async () => {
    useShortHostSettings();
    const dataDir = await temp('parla-sec-');
    const dir = await modelCopy('opus-mt-en-es', { 'config.json': { decoder_layers: 1e9 } });
    const client = new HostClient(dataDir);
    const started = performance.now();
    const call = client.call('translate', { modelId: 'local/x', modelDir: dir, texts: ['Open the file'], to: 'es' });
    await expect(call).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringContaining('"decoder_layers"') });
    expect(performance.now() - started).toBeLessThan(10_000);
    const stats = await client.call('stats', {});
    pids.push(stats.pid);
    expect(stats.rssBytes).toBeLessThan(1e9);
    await client.close();
  });

  it('a config that passes its ranges but does not match the graphs is refused by the load check', async () => {
    const dataDir = await temp('parla-sec-');
    const store = new ModelStore(dataDir);
    const layers = (JSON.parse(await readFile(join(MODEL_DIR, 'config.json'), 'utf8')) as { decoder_layers: number }).decoder_layers;
    const error = await store.import(await modelCopy('opus-mt-en-es', { 'config.json': { decoder_layers: layers - 1 } })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MODEL_INVALID', message: expect.stringContaining(`decoder graph has ${layers}`) });
    expect((await store.list()).map((m) => m.id)).toEqual(['parla/tiny-en-es']);
  });
});

describe.skipIf(!HAVE_MODEL)('an incomplete model is refused before it is installed (slow)', () => {
  it('a truncated .onnx_data import is refused in one line and parla translate keeps the bundled model', async () => {
    useShortHostSettings();
    const dataDir = await temp('parla-sec-');
    const dir = await modelCopy('opus-mt-en-es');
    await truncate(join(dir, 'onnx', 'model.onnx_data'), 1_000_000);
    const imported = await parla(dataDir, ['models', 'import', dir]);
    expect(imported.code).toBe(2);
    expect(imported.stderr).toMatch(/^parla: .*onnx\/model\.onnx_data is incomplete \(1000000 bytes; onnx\/encoder_model\.onnx needs \d+\)/);
    expect(imported.stderr.trimEnd().split('\n')).toHaveLength(1);
    const listed = JSON.parse((await parla(dataDir, ['models', 'list', '--json'])).stdout) as { id: string }[];
    expect(listed.map((m) => m.id)).toEqual(['parla/tiny-en-es']);
    const translated = await parla(dataDir, ['translate', 'Open the file', '--to', 'es', '--json']);
    expect(translated.stderr).toBe('');
    expect(JSON.parse(translated.stdout)).toMatchObject([{ model: 'parla/tiny-en-es' }]);
    await stopHost(dataDir);
  });

  it('a model that takes onnxruntime too long to load is refused at the check deadline, its check process killed', async () => {
    const dataDir = await temp('parla-sec-');
    const store = new ModelStore(dataDir, { verifyTimeoutMs: 2000 });
    const dir = await modelCopy('opus-mt-en-es');
    await writeFile(join(dir, 'onnx', 'encoder_model.onnx'), slowGraph(10_000));
    const started = performance.now();
    await expect(store.import(dir)).rejects.toMatchObject({ code: 'MODEL_INVALID', message: `${dir}: did not load and translate within 2 s` });
    expect(performance.now() - started).toBeLessThan(6000);
    expect((await store.list()).map((m) => m.id)).toEqual(['parla/tiny-en-es']);
  });

  it('a graph file cut short, and weights named outside the model folder, are refused', async () => {
    const store = new ModelStore(await temp('parla-sec-'));
    const cut = await modelCopy('opus-mt-en-es');
    await truncate(join(cut, 'onnx', 'decoder_model_merged.onnx'), 1000);
    await expect(store.import(cut)).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringContaining('onnx/decoder_model_merged.onnx is not a complete ONNX model') });
    const escaping = await modelCopy('opus-mt-en-es');
    const encoder = await readFile(join(escaping, 'onnx', 'encoder_model.onnx'));
    // Same length, so the protobuf stays valid: "model.onnx_data" → "../../etc/pass".
    const patched = Buffer.from(encoder.toString('latin1').replaceAll('model.onnx_data', '../../etc/passw'), 'latin1');
    await writeFile(join(escaping, 'onnx', 'encoder_model.onnx'), patched);
    await expect(store.import(escaping)).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringContaining('outside the model folder') });
  });
});

describe.skipIf(!HAVE_MODEL)('a broken installed model is reported and never shadows a working one', () => {
  it('a model copied in by hand with a cut .onnx_data is listed as broken; routing keeps the bundled model', async () => {
    const dataDir = await temp('parla-sec-');
    const installed = join(dataDir, 'models', 'local', 'opus-mt-en-es');
    await mkdir(join(dataDir, 'models', 'local'), { recursive: true });
    await cp(MODEL_DIR, installed, { recursive: true });
    await truncate(join(installed, 'onnx', 'model.onnx_data'), 5000);
    const store = new ModelStore(dataDir);
    const broken = (await store.list()).find((m) => m.id === 'local/opus-mt-en-es');
    expect(broken?.problem).toMatch(/^onnx\/model\.onnx_data is incomplete/);
    expect((await store.route('en', 'es')).id).toBe('parla/tiny-en-es');
    await expect(store.resolve('local/opus-mt-en-es')).rejects.toMatchObject({
      code: 'MODEL_INVALID',
      message: expect.stringMatching(/^model local\/opus-mt-en-es is broken \(.*\); run: parla models remove local\/opus-mt-en-es/),
    });

    // The only model for the pair: the error names it and the fix.
    const alone = new ModelStore(dataDir, { bundledDir: join(dataDir, 'no-bundled') });
    await expect(alone.route('en', 'es')).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringContaining('parla models remove local/opus-mt-en-es') });

    const text = await parla(dataDir, ['models', 'list']);
    expect(text.stdout).toMatch(/^local\/opus-mt-en-es\ten→es\t.*\tBROKEN: onnx\/model\.onnx_data is incomplete .*\(fix: parla models remove local\/opus-mt-en-es\)$/m);
    const json = JSON.parse((await parla(dataDir, ['models', 'list', '--json'])).stdout) as { id: string; problem?: string }[];
    expect(json.find((m) => m.id === 'local/opus-mt-en-es')?.problem).toMatch(/incomplete/);
    expect(json.find((m) => m.id === 'parla/tiny-en-es')?.problem).toBeUndefined();
  });

  it('a model corrupted after a verified install turns broken at the next listing', async () => {
    const dataDir = await temp('parla-sec-');
    const store = new ModelStore(dataDir);
    const info = await store.import(await modelCopy('opus-mt-en-es'));
    expect(info.problem).toBeUndefined();
    expect((await store.route('en', 'es')).id).toBe('local/opus-mt-en-es');
    await writeFile(join(info.dir, 'config.json'), JSON.stringify({ d_model: 256, decoder_layers: 1e9 }));
    const later = new ModelStore(dataDir);
    expect((await later.list()).find((m) => m.id === 'local/opus-mt-en-es')?.problem).toContain('config.json');
    expect((await later.route('en', 'es')).id).toBe('parla/tiny-en-es');
  });
});

describe('a request names an installed model id, never a folder', () => {
  it('model "/usr" through the HTTP API is refused in one line, fast, without touching the disk', async () => {
    const dataDir = await temp('parla-sec-');
    const api = await openParlaApi({ dataDir });
    const token = 'security-test-token-0123456789';
    const server = createServer({ api, token });
    try {
      for (const model of ['/usr', '../../..', 'local/../../etc', '/nonexistent/parla']) {
        const started = performance.now();
        const res = await server.app.inject({
          method: 'POST',
          url: '/api/v1/translate',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          payload: { texts: ['hello'], to: 'es', model },
        });
        expect(performance.now() - started).toBeLessThan(500);
        expect(res.statusCode).toBe(400);
        const body = res.json() as { error: { code: string; message: string } };
        expect(body.error.code).toBe('BAD_INPUT');
        // The same answer whether or not the folder exists: nothing to learn about the disk.
        expect(body.error.message).toBe(`model "${model}" is not a model id like Xenova/opus-mt-en-de; see parla models list`);
      }
    } finally {
      await server.close();
      await api.close();
    }
  });

  it('an id-shaped name that is not installed is NOT_FOUND, naming the download command', async () => {
    const store = new ModelStore(await temp('parla-sec-'));
    await expect(store.resolve('usr/lib')).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'model "usr/lib" is not installed; run: parla models download usr/lib' });
  });

  it.skipIf(!HAVE_MODEL)('parla translate --model DIR still takes a folder from the local user, checked but never walked (slow)', async () => {
    useShortHostSettings();
    const dataDir = await temp('parla-sec-');
    const started = performance.now();
    const usr = await parla(dataDir, ['translate', 'hello', '--to', 'es', '--model', '/usr']);
    expect(performance.now() - started).toBeLessThan(5000); // a process start; the walk took 18 s
    expect(usr.code).toBe(2);
    expect(usr.stderr).toBe('parla: /usr is not a model folder: missing config.json, tokenizer.json, tokenizer_config.json\n');
    const folder = await parla(dataDir, ['translate', 'Open the file', '--to', 'es', '--json', '--model', await modelCopy('my-model')]);
    expect(folder.stderr).toBe('');
    expect((JSON.parse(folder.stdout) as { text: string }[])[0]!.text).not.toBe('');
    await stopHost(dataDir);
  });
});

describe.skipIf(!HAVE_MODEL)('the host answers SIGTERM within a second, even mid-load (slow)', () => {
  it('a model whose graph takes many seconds to load does not hold the host', async () => {
    useShortHostSettings({ batchWindowMs: 1 });
    const dataDir = await temp('parla-sec-');
    const dir = await modelCopy('slow-en-es');
    // 10,000 chained Adds: onnxruntime spends well over ten seconds optimizing them.
    await writeFile(join(dir, 'onnx', 'encoder_model.onnx'), slowGraph(10_000));
    const client = new HostClient(dataDir);
    const { pid } = await client.call('stats', {});
    pids.push(pid);
    const ac = new AbortController();
    const call = client.call('translate', { modelId: 'local/slow-en-es', modelDir: dir, texts: ['Open the file'], to: 'es' }, { signal: ac.signal });
    call.catch(() => undefined);
    // Loading: the pool holds the model's entry until its lanes are ready.
    for (let i = 0; i < 100 && (await client.call('stats', {})).modelsLoaded.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await client.call('stats', {})).modelsLoaded).toMatchObject([{ modelId: 'local/slow-en-es' }]);
    await new Promise((r) => setTimeout(r, 500)); // well inside onnxruntime's native load by now
    ac.abort(); // no retry on a new host once this one is gone
    await client.close();
    const started = performance.now();
    process.kill(pid, 'SIGTERM');
    while (alive(pid) && performance.now() - started < 5000) await new Promise((r) => setTimeout(r, 20));
    const took = performance.now() - started;
    expect(alive(pid)).toBe(false);
    expect(took).toBeLessThan(1000);
  });
});
