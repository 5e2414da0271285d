// The decoder side of a Marian model with its KV cache, for either export layout: one merged
// decoder (use_cache_branch switches between first step and cached steps) or the
// decoder / decoder_with_past pair. The cache lives in plain typed arrays so beams and dropped
// rows can be gathered between steps.
import * as ort from 'onnxruntime-node';
import type { MarianConfig } from '../../shared/model-config.js';
import { gatherRows, isIdentity } from './tensor-gather.js';

/** Per-batch state: encoder outputs plus the self-attention and cross-attention caches. */
export class DecoderState {
  /** present.{i}.decoder.{key|value} from the last step, each [rows, heads, pastLen, headDim]. */
  decoderPast = new Map<string, Float32Array>();
  /** present.{i}.encoder.{key|value} from step 0 (later steps only return placeholders). */
  encoderPast = new Map<string, Float32Array>();
  pastLen = 0;

  constructor(
    public rows: number,
    public encoderHidden: Float32Array,
    public encoderMask: BigInt64Array,
    readonly srcLen: number,
    private readonly config: MarianConfig,
  ) {}

  /** Keeps rows in the given order (a row may appear several times: beams sharing a parent). */
  gather(indices: readonly number[]): void {
    if (isIdentity(indices, this.rows)) return;
    const { dModel, decoderHeads, headDim } = this.config;
    // Empty once step 0 has turned it into the cross-attention cache (see MarianDecoder.step).
    if (this.encoderHidden.length) this.encoderHidden = gatherRows(this.encoderHidden, this.srcLen * dModel, indices);
    this.encoderMask = gatherRows(this.encoderMask, this.srcLen, indices);
    for (const [name, data] of this.decoderPast) {
      this.decoderPast.set(name, gatherRows(data, decoderHeads * this.pastLen * headDim, indices));
    }
    for (const [name, data] of this.encoderPast) {
      this.encoderPast.set(name, gatherRows(data, decoderHeads * this.srcLen * headDim, indices));
    }
    this.rows = indices.length;
  }
}

export interface DecoderSessions {
  /** Runs step 0 (no cache). */
  first: ort.InferenceSession;
  /** Runs later steps with the cache; the same session for a merged decoder. */
  cached: ort.InferenceSession;
  merged: boolean;
}

export class MarianDecoder {
  constructor(
    private readonly sessions: DecoderSessions,
    private readonly config: MarianConfig,
  ) {}

  /** One decoding step for every row; returns logits [rows, vocab] for the fed token. */
  async step(state: DecoderState, tokens: readonly number[]): Promise<Float32Array> {
    const { decoderLayers, decoderHeads, headDim, dModel } = this.config;
    const rows = state.rows;
    const first = state.decoderPast.size === 0;
    const session = first ? this.sessions.first : this.sessions.cached;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(tokens, (t) => BigInt(t)), [rows, 1]),
      encoder_attention_mask: new ort.Tensor('int64', state.encoderMask, [rows, state.srcLen]),
      // Only step 0 reads it: cached steps take the cross-attention keys/values from the encoder
      // past instead (the merged graph's cached branch ignores this input; decoder_with_past has
      // none), so those steps get a zero-length tensor and the state need not keep or gather it.
      encoder_hidden_states: first
        ? new ort.Tensor('float32', state.encoderHidden, [rows, state.srcLen, dModel])
        : new ort.Tensor('float32', new Float32Array(0), [rows, 0, dModel]),
    };
    if (this.sessions.merged) feeds.use_cache_branch = new ort.Tensor('bool', Uint8Array.from([first ? 0 : 1]), [1]);
    const empty = new Float32Array(0);
    for (let i = 0; i < decoderLayers; i++) {
      for (const kv of ['key', 'value']) {
        const dec = `past_key_values.${i}.decoder.${kv}`;
        const enc = `past_key_values.${i}.encoder.${kv}`;
        // Step 0 of a merged decoder still takes past inputs: zero-length along the sequence.
        feeds[dec] = first
          ? new ort.Tensor('float32', empty, [rows, decoderHeads, 0, headDim])
          : new ort.Tensor('float32', state.decoderPast.get(`present.${i}.decoder.${kv}`)!, [rows, decoderHeads, state.pastLen, headDim]);
        feeds[enc] = first
          ? new ort.Tensor('float32', empty, [rows, decoderHeads, 0, headDim])
          : new ort.Tensor('float32', state.encoderPast.get(`present.${i}.encoder.${kv}`)!, [rows, decoderHeads, state.srcLen, headDim]);
      }
    }
    const inputs: Record<string, ort.Tensor> = {};
    for (const name of session.inputNames) {
      const tensor = feeds[name];
      if (!tensor) throw new Error(`decoder input "${name}" is not one Parla knows how to feed`);
      inputs[name] = tensor;
    }
    const out = await session.run(inputs);
    for (const name of session.outputNames) {
      if (name.includes('.decoder.')) state.decoderPast.set(name, out[name]!.data as Float32Array);
      else if (first && name.includes('.encoder.')) state.encoderPast.set(name, out[name]!.data as Float32Array);
    }
    state.pastLen += 1;
    if (first) state.encoderHidden = new Float32Array(0);
    const logits = out.logits!;
    const vocab = logits.dims[2]!;
    const seq = logits.dims[1]!;
    const data = logits.data as Float32Array;
    if (seq === 1) return data;
    const last = new Float32Array(rows * vocab);
    for (let r = 0; r < rows; r++) last.set(data.subarray((r * seq + seq - 1) * vocab, (r * seq + seq) * vocab), r * vocab);
    return last;
  }
}
