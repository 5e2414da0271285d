// The exported ONNX graphs must compute what the torch model computes: encoder states, the
// no-past step and two with-past steps of the merged decoder, and the same through the
// decoder + decoder-with-past pair (max abs difference ≤ 1e-4 against torch, see tools/model/golden.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';

const MODEL_DIR = process.env.PARLA_PARITY_MODEL ?? 'resources/models/parla-tiny-en-es';
const FIXTURE = process.env.PARLA_PARITY_FIXTURE ?? 'test/fixtures/logits-tiny-en-es.json';
const TOLERANCE = 1e-4;

interface Packed {
  shape: number[];
  data: string;
}
interface Reference {
  inputIds: number[][];
  attentionMask: number[][];
  encoder: Packed;
  steps: { inputIds: number[]; logits: Packed }[];
}

const ref = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Reference;
const config = JSON.parse(readFileSync(join(MODEL_DIR, 'config.json'), 'utf8')) as {
  decoder_layers: number;
  decoder_attention_heads: number;
  d_model: number;
};

function unpack(p: Packed): Float32Array {
  const bytes = Buffer.from(p.data, 'base64');
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

function int64(rows: number[][]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0]!.length]);
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** Logits of the last position for each row: [batch, seq, vocab] → [batch * vocab]. */
function lastLogits(t: ort.Tensor): Float32Array {
  const [batch, seq, vocab] = t.dims as number[];
  const data = t.data as Float32Array;
  const out = new Float32Array(batch! * vocab!);
  for (let b = 0; b < batch!; b++) out.set(data.subarray((b * seq! + seq! - 1) * vocab!, (b * seq! + seq!) * vocab!), b * vocab!);
  return out;
}

function emptyPast(batch: number): Record<string, ort.Tensor> {
  const heads = config.decoder_attention_heads;
  const headDim = config.d_model / heads;
  const feeds: Record<string, ort.Tensor> = {};
  for (let i = 0; i < config.decoder_layers; i++)
    for (const part of ['decoder', 'encoder'])
      for (const kv of ['key', 'value'])
        feeds[`past_key_values.${i}.${part}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [batch, heads, 0, headDim]);
  return feeds;
}

describe('exported ONNX graphs match torch', () => {
  it('encoder states', async () => {
    const encoder = await ort.InferenceSession.create(join(MODEL_DIR, 'onnx/encoder_model.onnx'));
    const out = await encoder.run({ input_ids: int64(ref.inputIds), attention_mask: int64(ref.attentionMask) });
    expect(maxAbsDiff(out.last_hidden_state!.data as Float32Array, unpack(ref.encoder))).toBeLessThanOrEqual(TOLERANCE);
  });

  it('merged decoder: no-past step and with-past steps', async () => {
    const merged = await ort.InferenceSession.create(join(MODEL_DIR, 'onnx/decoder_model_merged.onnx'));
    const batch = ref.inputIds.length;
    const encoderStates = new ort.Tensor('float32', unpack(ref.encoder), ref.encoder.shape);
    let past = emptyPast(batch);
    let encoderPast: Record<string, ort.Tensor> = {};
    for (const [n, step] of ref.steps.entries()) {
      const out = await merged.run({
        encoder_attention_mask: int64(ref.attentionMask),
        input_ids: int64(step.inputIds.map((id) => [id])),
        encoder_hidden_states: encoderStates,
        use_cache_branch: new ort.Tensor('bool', [n > 0], [1]),
        ...past,
      });
      expect(maxAbsDiff(lastLogits(out.logits!), unpack(step.logits))).toBeLessThanOrEqual(TOLERANCE);
      if (n === 0) encoderPast = Object.fromEntries(Object.entries(out).filter(([k]) => k.includes('.encoder.')));
      const next: Record<string, ort.Tensor> = {};
      for (const [name, value] of Object.entries(out)) {
        if (!name.startsWith('present.')) continue;
        const pastName = name.replace('present.', 'past_key_values.');
        next[pastName] = name.includes('.encoder.') ? encoderPast[name]! : value;
      }
      past = next;
    }
  });

  it('decoder + decoder-with-past pair', async () => {
    const first = await ort.InferenceSession.create(join(MODEL_DIR, 'onnx/decoder_model.onnx'));
    const withPast = await ort.InferenceSession.create(join(MODEL_DIR, 'onnx/decoder_with_past_model.onnx'));
    const encoderStates = new ort.Tensor('float32', unpack(ref.encoder), ref.encoder.shape);
    let past: Record<string, ort.Tensor> = {};
    let encoderPast: Record<string, ort.Tensor> = {};
    for (const [n, step] of ref.steps.entries()) {
      const ids = int64(step.inputIds.map((id) => [id]));
      const mask = int64(ref.attentionMask);
      const out =
        n === 0
          ? await first.run({ encoder_attention_mask: mask, input_ids: ids, encoder_hidden_states: encoderStates })
          : await withPast.run({ encoder_attention_mask: mask, input_ids: ids, ...past });
      expect(maxAbsDiff(lastLogits(out.logits!), unpack(step.logits))).toBeLessThanOrEqual(TOLERANCE);
      if (n === 0) {
        encoderPast = {};
        for (const [k, v] of Object.entries(out)) if (k.includes('.encoder.')) encoderPast[k.replace('present.', 'past_key_values.')] = v;
      }
      past = { ...encoderPast };
      for (const [k, v] of Object.entries(out)) if (k.startsWith('present.') && k.includes('.decoder.')) past[k.replace('present.', 'past_key_values.')] = v;
    }
  });
});
