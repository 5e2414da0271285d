// Everything the inference code needs from a model's config.json and generation_config.json,
// range-checked. Ids and sizes differ between Marian models (opus-mt-tc-big: other ids,
// d_model 1024), so nothing here is hard-coded beyond HF's own fallbacks. A model folder is
// input like any other: a value out of range (`decoder_layers: 1e9` once made the host build
// a billion decoder inputs; `max_position_embeddings: -1` made it truncate every source to
// nothing) is refused here, naming the field, before anything is loaded. The model store
// (install and listing) and the host (loading) both parse through this one function.
import { ParlaError } from './errors.js';

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

/** Inclusive ranges of every size the engine reads; far wider than any real Marian model. */
export const CONFIG_LIMITS = {
  d_model: [1, 16_384],
  decoder_attention_heads: [1, 256],
  decoder_layers: [1, 64],
  vocab_size: [2, 1_048_576],
  max_position_embeddings: [1, 65_536],
  max_length: [1, 65_536],
  num_beams: [1, 64],
} as const satisfies Record<string, readonly [number, number]>;

type Json = Record<string, unknown>;

function bad(where: string, message: string): never {
  throw new ParlaError('MODEL_INVALID', `${where}: ${message}`);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** An integer in [min, max] under `key`; `fallback` when the key is absent (required when undefined). */
function intIn(source: Json, file: string, key: string, min: number, max: number, where: string, fallback?: number): number {
  const value = source[key];
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback;
    bad(where, `${file} lacks "${key}"`);
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    bad(where, `${file} "${key}" is ${describe(value)}; it must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function limit(source: Json, file: string, key: keyof typeof CONFIG_LIMITS, where: string, fallback?: number): number {
  const [min, max] = CONFIG_LIMITS[key];
  return intIn(source, file, key, min, max, where, fallback);
}

/**
 * generation_config.json wins over config.json for generation settings, as in transformers.
 * `tokenizerIds`: how many ids the tokenizer can produce (its highest id + 1); every one must
 * be inside the model's vocabulary. `where` starts each error (the model's folder or id).
 */
export function parseMarianConfig(config: Json, generation: Json | undefined, where: string, tokenizerIds?: number): MarianConfig {
  const g: Json = { ...config, ...(generation ?? {}) };
  const fileOf = (key: string) => (generation && key in generation ? 'generation_config.json' : 'config.json');
  const dModel = limit(config, 'config.json', 'd_model', where);
  const decoderHeads = limit(config, 'config.json', 'decoder_attention_heads', where);
  if (dModel % decoderHeads !== 0) bad(where, `config.json "d_model" (${dModel}) is not a multiple of "decoder_attention_heads" (${decoderHeads})`);
  const decoderLayers = limit(config, 'config.json', 'decoder_layers', where);
  const vocabSize = limit(config, 'config.json', 'vocab_size', where);
  if (tokenizerIds !== undefined && tokenizerIds > vocabSize) {
    bad(where, `config.json "vocab_size" is ${vocabSize} but tokenizer.json has ids up to ${tokenizerIds - 1}`);
  }
  const token = (key: string, fallback?: number) => intIn(g, fileOf(key), key, 0, vocabSize - 1, where, fallback);
  const padId = token('pad_token_id');
  const eosId = token('eos_token_id');
  const maxPositions = limit(config, 'config.json', 'max_position_embeddings', where, 512);
  const badWords = g.bad_words_ids ?? [[padId]];
  if (!Array.isArray(badWords) || badWords.length > 1024) bad(where, `${fileOf('bad_words_ids')} "bad_words_ids" must be a list of token id lists`);
  const badTokenIds = badWords
    .filter((w): w is unknown[] => Array.isArray(w) && w.length === 1)
    .map((w) => {
      const id = w[0];
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= vocabSize) {
        bad(where, `${fileOf('bad_words_ids')} "bad_words_ids" holds ${describe(id)}; token ids must be from 0 to ${vocabSize - 1}`);
      }
      return id;
    });
  return {
    padId,
    eosId,
    decoderStartId: token('decoder_start_token_id', padId),
    forcedEosId: token('forced_eos_token_id', eosId),
    badTokenIds,
    dModel,
    decoderHeads,
    decoderLayers,
    headDim: dModel / decoderHeads,
    vocabSize,
    maxLength: limit(g, fileOf('max_length'), 'max_length', where, maxPositions),
    numBeams: limit(g, fileOf('num_beams'), 'num_beams', where, 1),
    maxInputTokens: maxPositions,
  };
}
