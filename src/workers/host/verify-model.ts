// A short-lived child the model store starts to prove a model before installing it (see
// src/core/models/verify-model.ts): open every graph with onnxruntime and translate one
// sentence. In its own process so that a hostile or broken model that crashes onnxruntime,
// hangs or eats memory takes down only this child, which the store kills after a deadline.
// Usage: node dist/workers/host/verify-model.js DIR TO
// Prints one JSON line: {"ok":true,"text":"..."} or {"ok":false,"error":{name,code,message}}.
import { ParlaError, toErrorInfo } from '../../shared/errors.js';
import { MarianModel } from '../marian/marian-model.js';

const SMOKE_SENTENCE = 'Hello, how are you today?';

async function verify(dir: string, to: string): Promise<string> {
  let text = '';
  for (const quantized of [false, true]) {
    let model: MarianModel;
    try {
      model = await MarianModel.load(dir, { quantized, intraOpNumThreads: 1, interOpNumThreads: 1 });
    } catch (e) {
      // A model without quantized files is fine; any other failure is the model's.
      if (quantized && e instanceof ParlaError && / lacks onnx\//.test(e.message)) break;
      throw e;
    }
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
