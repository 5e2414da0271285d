// Slow: real ONNX sessions on the tiny model. Reproduces the torch reference token for token.
import { copyFile, mkdtemp, mkdir, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MarianModel } from '../../src/workers/marian/marian-model.js';
import { HAVE_GOLDEN, MODEL_DIR, loadGolden, type Golden } from './model-fixture.js';

const limits = { maxBatchTokens: 8192, maxBatchSentences: 64 };

async function splitLayoutCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parla-split-'));
  await mkdir(join(dir, 'onnx'));
  for (const f of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json']) {
    await copyFile(join(MODEL_DIR, f), join(dir, f));
  }
  // Copies, not symlinks: ORT resolves external weight files next to the real model path.
  for (const f of await readdir(join(MODEL_DIR, 'onnx'))) {
    if (!f.startsWith('decoder_model_merged')) await copyFile(join(MODEL_DIR, 'onnx', f), join(dir, 'onnx', f));
  }
  return dir;
}

describe.skipIf(!HAVE_GOLDEN)('golden outputs (slow)', () => {
  let golden: Golden;
  let splitDir: string;
  const models: Record<string, MarianModel> = {};

  beforeAll(async () => {
    golden = loadGolden();
    splitDir = await splitLayoutCopy();
    models.merged = await MarianModel.load(MODEL_DIR, { intraOpNumThreads: 1 });
    models.split = await MarianModel.load(splitDir, { intraOpNumThreads: 1 });
  });

  afterAll(async () => {
    await Promise.all(Object.values(models).map((m) => m.dispose()));
    await rm(splitDir, { recursive: true, force: true });
  });

  for (const layout of ['merged', 'split'] as const) {
    it(`tokenizes, decodes greedily and by beam search like the reference (${layout} decoder)`, async () => {
      const model = models[layout]!;
      for (const item of golden.items) {
        expect(model.encode(item.source)).toEqual(item.inputIds);
        const [greedy] = await model.generate([item.inputIds], { beam: 1, maxLength: golden.maxLength });
        expect(greedy![0]!.ids, item.source).toEqual(item.greedy.ids);
        expect(model.decode(greedy![0]!.ids)).toBe(item.greedy.text);
        const [beam] = await model.generate([item.inputIds], {
          beam: golden.numBeams,
          nBest: golden.nBest,
          maxLength: golden.maxLength,
          lengthPenalty: golden.lengthPenalty,
        });
        expect(beam!.map((h) => h.ids), item.source).toEqual(item.beam.map((h) => h.ids));
        beam!.forEach((h, i) => {
          expect(Math.abs(h.score - item.beam[i]!.score)).toBeLessThan(1e-3);
          expect(model.decode(h.ids)).toBe(item.beam[i]!.text);
        });
      }
    });
  }

  it('gives the same results batched as one at a time (greedy and beam)', async () => {
    const model = models.merged!;
    const sources = golden.items.map((i) => i.inputIds);
    for (const beam of [1, golden.numBeams]) {
      const options = { beam, nBest: beam > 1 ? golden.nBest : 1, maxLength: golden.maxLength };
      const single = [];
      for (const s of sources) single.push((await model.generate([s], options))[0]!);
      const batched = await model.generateBatched(sources, options, { maxBatchTokens: 100_000, maxBatchSentences: 64 });
      expect(batched.map((h) => h.map((x) => x.ids))).toEqual(single.map((h) => h.map((x) => x.ids)));
      const small = await model.generateBatched(sources, options, { maxBatchTokens: 64, maxBatchSentences: 3 });
      expect(small.map((h) => h.map((x) => x.ids))).toEqual(single.map((h) => h.map((x) => x.ids)));
    }
  });

  it('translates multi-sentence text keeping whitespace and line breaks', async () => {
    const model = models.merged!;
    const [a, b] = golden.items;
    const text = `${a!.source}  ${b!.source}\n\n${a!.source}`;
    const [out] = await model.translate([text], 'es', { beam: 1, maxLength: golden.maxLength }, limits);
    expect(out!.text).toBe(`${a!.greedy.text}  ${b!.greedy.text}\n\n${a!.greedy.text}`);
  });

  it('offers each alternative text once, best first, though beams that differ only in pieces read the same', async () => {
    // The bundled model's 4 beams for "Hello world" read "Hola mundo", "Hola mundial", "hola mundo", "Hola mundo".
    const [out] = await models.merged!.translate(['Hello world'], 'es', { beam: 4, nBest: 4 }, limits);
    const texts = out!.alternatives!.map((a) => a.text);
    expect(texts[0]).toBe(out!.text);
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts.length).toBeGreaterThan(1);
  });
});
