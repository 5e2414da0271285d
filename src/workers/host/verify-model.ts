// A short-lived child the model store starts to prove a model before installing it (see
// src/core/models/verify-model.ts): open every graph with onnxruntime and translate one
// sentence. In its own process so that a hostile or broken model that crashes onnxruntime,
// hangs or eats memory takes down only this child, which the store kills after a deadline.
// Usage: node dist/workers/host/verify-model.js DIR TO
// Prints one JSON line: {"ok":true,"text":"..."} or {"ok":false,"error":{name,code,message}}.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ParlaError, toErrorInfo } from '../../shared/errors.js';
import { selectOnnxFiles } from '../../shared/model-layout.js';
import { MarianModel } from '../marian/marian-model.js';

const SMOKE_SENTENCE = 'Hello, how are you today?';

async function verify(dir: string, to: string): Promise<string> {
  let text = '';
  // Each precision the folder holds (fp32, int8 or both); none is the loader's error to name.
  const onnx = await readdir(join(dir, 'onnx')).catch(() => []);
  const paths = onnx.map((name) => `onnx/${name}`);
  const precisions = [false, true].filter((q) => selectOnnxFiles(paths, q));
  for (const quantized of precisions.length ? precisions : [false]) {
    const model = await MarianModel.load(dir, { quantized, intraOpNumThreads: 1, interOpNumThreads: 1 });
    try {
      const [out] = await model.translate([SMOKE_SENTENCE], to, { maxLength: 32 }, { maxBatchTokens: 4096, maxBatchSentences: 1 });
      if (!out?.text.trim()) throw new ParlaError('MODEL_INVALID', `${dir}: a test translation${quantized ? ' (quantized)' : ''} came back empty`);
      text ||= out.text;
    } finally {
      await model.dispose();
    }
  }
  return text;
}

const [dir, to] = process.argv.slice(2);
try {
  if (!dir || !to) throw new ParlaError('BAD_INPUT', 'usage: verify-model.js DIR TO');
  const text = await verify(dir, to);
  process.stdout.write(`${JSON.stringify({ ok: true, text })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ ok: false, error: toErrorInfo(error) })}\n`);
  process.exitCode = 1;
}
