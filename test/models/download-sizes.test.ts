// What the Models page offers before a download: the bytes a full and an int8-only download
// would fetch, from the listing of a local Hub-like server (the downloader tests' own).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubDownloadSizes } from '../../src/core/models/hub-download.js';
import { filesToFetch } from '../../src/shared/model-layout.js';
import { fakeModelRepo, startHub, type FakeRepo } from '../engine/hub-server.js';
import { HAVE_MODEL } from '../engine/model-fixture.js';

let hub: Awaited<ReturnType<typeof startHub>>;
const repos: Record<string, FakeRepo> = HAVE_MODEL
  ? { 'Xenova/opus-mt-en-de': fakeModelRepo('v1', true), 'Xenova/opus-mt-en-fr': fakeModelRepo('v1', false), 'someone/not-a-model': { 'README.md': Buffer.from('hi') } }
  : {};

beforeAll(async () => {
  hub = await startHub(repos);
});

afterAll(async () => {
  hub.server.closeAllConnections();
  await new Promise((r) => hub.server.close(r));
});

/** The bytes of the files a download picks, summed from the repo itself. */
function bytesOf(repo: FakeRepo, quantizedOnly: boolean): number {
  return filesToFetch(Object.keys(repo), quantizedOnly)!.reduce((s, p) => s + repo[p]!.length, 0);
}

describe.skipIf(!HAVE_MODEL)('download sizes from the Hub listing', () => {
  it('gives the full and the int8-only download bytes, int8 smaller and without the fp32 weights', async () => {
    const repo = repos['Xenova/opus-mt-en-de']!;
    const sizes = await hubDownloadSizes('Xenova/opus-mt-en-de', { endpoint: hub.url });
    expect(sizes).toEqual({ id: 'Xenova/opus-mt-en-de', fullBytes: bytesOf(repo, false), int8Bytes: bytesOf(repo, true) });
    // The fp32 weights file and the README are never part of an int8 download.
    expect(sizes.int8Bytes!).toBeLessThan(sizes.fullBytes - repo['onnx/model.onnx_data']!.length + 1);
  });

  it('leaves int8 out for a model that offers no int8 graphs', async () => {
    const sizes = await hubDownloadSizes('Xenova/opus-mt-en-fr', { endpoint: hub.url });
    expect(sizes.int8Bytes).toBeUndefined();
    expect(sizes.fullBytes).toBe(bytesOf(repos['Xenova/opus-mt-en-fr']!, false));
  });

  it('refuses a repo that is not a model, and an unknown one, with one line each', async () => {
    await expect(hubDownloadSizes('someone/not-a-model', { endpoint: hub.url })).rejects.toMatchObject({ code: 'MODEL_INVALID' });
    await expect(hubDownloadSizes('someone/missing', { endpoint: hub.url })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
