import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelStore } from '../../src/core/models/model-store.js';
import { ensureBuilt } from './host-helpers.js';
import { fakeModelRepo, startHub, type FakeRepo } from './hub-server.js';
import { HAVE_MODEL } from './model-fixture.js';

let dataDir: string;
let hub: Awaited<ReturnType<typeof startHub>>;
const repos: Record<string, FakeRepo> = HAVE_MODEL ? { 'Xenova/opus-mt-en-de': fakeModelRepo('v1') } : {};

// Installs are verified by loading the model in a child process of the built dist/.
beforeAll(() => ensureBuilt());

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'parla-dl-'));
  hub = await startHub(repos);
});

afterEach(async () => {
  hub.server.closeAllConnections();
  await new Promise((r) => hub.server.close(r));
  await rm(dataDir, { recursive: true, force: true });
});

const store = () => new ModelStore(dataDir, { bundledDir: join(dataDir, 'no-bundled') });

describe.skipIf(!HAVE_MODEL)('model download from a Hub-compatible endpoint (slow)', () => {
  it('fetches only the needed files, reports progress, and routes the pair', async () => {
    const progress: number[] = [];
    const info = await store().download('Xenova/opus-mt-en-de', { endpoint: hub.url, onProgress: (p) => progress.push(p.bytes) });
    expect(info).toMatchObject({ id: 'Xenova/opus-mt-en-de', from: 'en', to: ['de'], bundled: false });
    const files = await readdir(join(info.dir, 'onnx'));
    expect(files.sort()).toEqual(['decoder_model_merged.onnx', 'encoder_model.onnx', 'model.onnx_data']);
    expect(await readdir(info.dir)).not.toContain('README.md');
    expect(progress.at(-1)).toBe(info.sizeBytes - (await readFile(join(info.dir, 'parla.json'))).length);
    expect((await store().route('en', 'de')).id).toBe('Xenova/opus-mt-en-de');
    await expect(store().route('en', 'fr')).rejects.toThrow('no model for en→fr; run: parla models download Xenova/opus-mt-en-fr');
  });

  it('resumes a cut transfer with an HTTP Range request', async () => {
    hub.behaviour.cut.set('onnx/encoder_model.onnx', 1);
    const info = await store().download('Xenova/opus-mt-en-de', { endpoint: hub.url });
    expect(hub.behaviour.ranges.get('onnx/encoder_model.onnx')?.[0]).toMatch(/^bytes=\d+-$/);
    const got = await readFile(join(info.dir, 'onnx/encoder_model.onnx'));
    expect(got.equals(repos['Xenova/opus-mt-en-de']!['onnx/encoder_model.onnx']!)).toBe(true);
  });

  it('rejects a corrupted file (sha256 mismatch) and installs nothing', async () => {
    hub.behaviour.corrupt.add('onnx/decoder_model_merged.onnx');
    await expect(store().download('Xenova/opus-mt-en-de', { endpoint: hub.url })).rejects.toMatchObject({ code: 'INTEGRITY' });
    expect(await store().list()).toEqual([]);
  });

  it('refuses a model whose files arrive whole but do not make a working model, and installs nothing', async () => {
    // The Hub lists the cut file with its cut size: every transfer check passes.
    const cut = fakeModelRepo('cut');
    cut['onnx/model.onnx_data'] = cut['onnx/model.onnx_data']!.subarray(0, 4096);
    const hub2 = await startHub({ 'Xenova/opus-mt-en-it': cut });
    try {
      await expect(store().download('Xenova/opus-mt-en-it', { endpoint: hub2.url })).rejects.toMatchObject({
        code: 'MODEL_INVALID',
        message: expect.stringMatching(/^Xenova\/opus-mt-en-it: onnx\/model\.onnx_data is incomplete \(4096 bytes/),
      });
      expect(await store().list()).toEqual([]);
      expect(await readdir(join(dataDir, 'models', '.incoming'))).toEqual([]);
    } finally {
      hub2.server.closeAllConnections();
      await new Promise((r) => hub2.server.close(r));
    }
  });

  it('leaves the installed model intact when a new install is interrupted', async () => {
    const first = await store().download('Xenova/opus-mt-en-de', { endpoint: hub.url });
    const before = await readFile(join(first.dir, 'onnx/encoder_model.onnx'));
    const v2 = fakeModelRepo('version-two');
    Object.assign(repos['Xenova/opus-mt-en-de']!, v2);
    hub.behaviour.fail.add('onnx/decoder_model_merged.onnx');
    await expect(store().download('Xenova/opus-mt-en-de', { endpoint: hub.url, attempts: 2 })).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED' });
    const after = await readFile(join(first.dir, 'onnx/encoder_model.onnx'));
    expect(after.equals(before)).toBe(true);
    expect((await store().list()).map((m) => m.id)).toEqual(['Xenova/opus-mt-en-de']);
    // The next attempt resumes from staging and installs v2.
    hub.behaviour.fail.clear();
    const second = await store().download('Xenova/opus-mt-en-de', { endpoint: hub.url });
    expect((await readFile(join(second.dir, 'onnx/encoder_model.onnx'))).equals(v2['onnx/encoder_model.onnx']!)).toBe(true);
    Object.assign(repos['Xenova/opus-mt-en-de']!, fakeModelRepo('v1'));
  });

  it('imports a local folder atomically and removes it', async () => {
    const src = await mkdtemp(join(tmpdir(), 'parla-src-opus-mt-en-fr-'));
    const repo = fakeModelRepo('local');
    const { mkdir, writeFile } = await import('node:fs/promises');
    for (const [p, data] of Object.entries(repo)) {
      await mkdir(join(src, p, '..'), { recursive: true });
      await writeFile(join(src, p), data);
    }
    const info = await store().import(src, 'local/opus-mt-en-fr');
    expect(info).toMatchObject({ from: 'en', to: ['fr'] });
    await store().remove('local/opus-mt-en-fr');
    expect(await store().list()).toEqual([]);
    await expect(store().import(join(src, 'onnx'))).rejects.toMatchObject({ code: 'MODEL_INVALID' });
    await rm(src, { recursive: true, force: true });
  });
});
