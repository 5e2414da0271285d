// fp32 vs int8 (`*_quantized.onnx`) on the bundled model, through the engine: chrF on the test
// split, identical outputs, and speed. npm run bench:quantized [-- --corpus DIR --n 500]
// Writes bench/results/quantized.{json,md}.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chrfCorpus } from './chrf.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { MarianModel } = await import(join(root, 'dist/workers/marian/marian-model.js'));
const { ENGINE_DEFAULTS } = await import(join(root, 'dist/shared/engine-settings.js'));
const { values } = parseArgs({ options: { corpus: { type: 'string', default: 'tools/data/corpus' }, n: { type: 'string', default: '500' }, model: { type: 'string', default: 'resources/models/parla-tiny-en-es' } } });
const n = Number(values.n);
const read = (lang) => readFileSync(join(root, values.corpus, `test.${lang}`), 'utf8').split('\n').slice(0, n);
const [src, ref] = [read('en'), read('es')];
const limits = { maxBatchTokens: ENGINE_DEFAULTS.maxBatchTokens, maxBatchSentences: ENGINE_DEFAULTS.maxBatchSentences };

const runs = {};
for (const quantized of [false, true]) {
  const model = await MarianModel.load(join(root, values.model), { quantized, intraOpNumThreads: 1, interOpNumThreads: 1, intraOpSpinning: false, cpuMemArena: false });
  const t = performance.now();
  const out = await model.translate(src, 'es', { beam: 1 }, limits);
  const seconds = (performance.now() - t) / 1000;
  await model.dispose();
  const texts = out.map((o) => o.text);
  runs[quantized ? 'int8' : 'fp32'] = { texts, seconds, chrF: chrfCorpus(texts, ref) };
}
const same = runs.fp32.texts.filter((t, i) => t === runs.int8.texts[i]).length;
const result = {
  date: new Date().toISOString(),
  model: values.model,
  sentences: { source: `${values.corpus}/test.{en,es}`, count: src.length },
  decoding: 'greedy, batched (one session, 1 intra-op thread), the engine\'s output-length cap',
  fp32: { chrF: runs.fp32.chrF, seconds: runs.fp32.seconds },
  int8: { chrF: runs.int8.chrF, seconds: runs.int8.seconds },
  chrFDelta: runs.int8.chrF - runs.fp32.chrF,
  identicalOutputs: same / src.length,
};
await mkdir(join(root, 'bench/results'), { recursive: true });
await writeFile(join(root, 'bench/results/quantized.json'), JSON.stringify(result, null, 2) + '\n');
const f = (x, d = 2) => x.toFixed(d);
const md = `# fp32 vs int8, bundled model

${result.date} · ${values.model} · ${src.length} sentences of \`${result.sentences.source}\` · ${result.decoding}.

| graphs | chrF | seconds |
|---|---:|---:|
| fp32 (\`encoder_model.onnx\`, \`decoder_model_merged.onnx\`) | ${f(result.fp32.chrF)} | ${f(result.fp32.seconds, 1)} |
| int8 (\`*_quantized.onnx\`, \`tools/model/quantize.py\`) | ${f(result.int8.chrF)} | ${f(result.int8.seconds, 1)} |

chrF difference int8 − fp32: **${f(result.chrFDelta)}**; identical outputs: **${f(100 * result.identicalOutputs, 1)} %**.
`;
await writeFile(join(root, 'bench/results/quantized.md'), md);
process.stdout.write(md);
