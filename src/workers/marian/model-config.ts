// Everything the inference code needs from a model's config.json and generation_config.json.
// Ids and sizes differ between Marian models (opus-mt-tc-big: other ids, d_model 1024), so
// nothing here is hard-coded beyond HF's own fallbacks.
import { ParlaError } from '../../shared/errors.js';

export interface MarianConfig {
  padId: number;
  eosId: number;
  decoderStartId: number;
  forcedEosId: number;
  badTokenIds: number[];
  dModel: number;
  decoderHeads: number;
  decoderLayers: number;
  headDim: number;
  vocabSize: number;
  maxLength: number;
  numBeams: number;
  /** Longest source (in tokens, EOS included) the encoder's positions allow. */
  maxInputTokens: number;
}

type Json = Record<string, unknown>;

function num(source: Json, key: string, dir: string): number {
  const value = source[key];
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ParlaError('MODEL_INVALID', `model at ${dir}: config.json lacks an integer "${key}"`);
  }
  return value;
}

/** generation_config.json wins over config.json for generation settings, as in transformers. */
export function parseMarianConfig(config: Json, generation: Json | undefined, dir: string): MarianConfig {
  const g: Json = { ...config, ...(generation ?? {}) };
  const padId = num(g, 'pad_token_id', dir);
  const eosId = num(g, 'eos_token_id', dir);
  const dModel = num(config, 'd_model', dir);
  const decoderHeads = num(config, 'decoder_attention_heads', dir);
  const bad = Array.isArray(g.bad_words_ids) ? g.bad_words_ids : [[padId]];
  const badTokenIds = bad.filter((w): w is number[] => Array.isArray(w) && w.length === 1).map((w) => Number(w[0]));
  const maxPositions = typeof config.max_position_embeddings === 'number' ? config.max_position_embeddings : 512;
  return {
    padId,
    eosId,
    decoderStartId: typeof g.decoder_start_token_id === 'number' ? g.decoder_start_token_id : padId,
    forcedEosId: typeof g.forced_eos_token_id === 'number' ? g.forced_eos_token_id : eosId,
    badTokenIds,
    dModel,
    decoderHeads,
    decoderLayers: num(config, 'decoder_layers', dir),
    headDim: dModel / decoderHeads,
    vocabSize: num(config, 'vocab_size', dir),
    maxLength: typeof g.max_length === 'number' ? g.max_length : maxPositions,
    numBeams: typeof g.num_beams === 'number' ? g.num_beams : 1,
    maxInputTokens: maxPositions,
  };
}
