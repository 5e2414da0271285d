// Which files make a model in the Optimum/Xenova layout. Pure functions over relative paths so
// the downloader (choosing files from a Hub listing), the importer (validating a folder) and the
// inference code (opening sessions) agree on one definition.

export const MODEL_JSON_FILES = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json'] as const;
/**
 * A model id: `org/name`, each part starting with a letter or digit, then letters, digits,
 * `_`, `.` and `-` (so neither part can be `..` or hold a separator). Requests name models by
 * such ids only; an installed model lives at `<models>/<org>/<name>`.
 */
export const MODEL_ID = /^[A-Za-z0-9][\w.-]{0,95}\/[A-Za-z0-9][\w.-]{0,95}$/;

export function isModelId(value: string): boolean {
  return MODEL_ID.test(value);
}

/** The largest JSON file of each kind Parla parses (parsing blocks a thread; real ones are far smaller). */
export function jsonFileLimit(name: string): number {
  return name === 'tokenizer.json' ? 32e6 : 1e6;
}

/** generation_config.json is optional: older exports keep generation settings in config.json. */
export const REQUIRED_JSON_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'] as const;

export type DecoderFiles =
  | { kind: 'merged'; decoder: string }
  | { kind: 'split'; decoder: string; decoderWithPast: string };

export interface OnnxFiles {
  encoder: string;
  decoder: DecoderFiles;
}

function pick(present: ReadonlySet<string>, base: string, quantized: boolean): string | undefined {
  const wanted = quantized ? `onnx/${base}_quantized.onnx` : `onnx/${base}.onnx`;
  return present.has(wanted) ? wanted : undefined;
}

/** The ONNX files to load (relative paths), or undefined when the layout is incomplete. */
export function selectOnnxFiles(paths: Iterable<string>, quantized = false): OnnxFiles | undefined {
  const present = new Set(paths);
  const encoder = pick(present, 'encoder_model', quantized);
  if (!encoder) return undefined;
  const merged = pick(present, 'decoder_model_merged', quantized);
  if (merged) return { encoder, decoder: { kind: 'merged', decoder: merged } };
  const decoder = pick(present, 'decoder_model', quantized);
  const decoderWithPast = pick(present, 'decoder_with_past_model', quantized);
  if (decoder && decoderWithPast) return { encoder, decoder: { kind: 'split', decoder, decoderWithPast } };
  return undefined;
}

/**
 * The graphs to load in the precision asked for (int8 `*_quantized.onnx` or fp32), or in the
 * other one when the folder holds only that (a model downloaded with `--quantized` has no fp32
 * graphs); undefined when neither is complete.
 */
export function chooseOnnxFiles(paths: Iterable<string>, preferQuantized: boolean): { files: OnnxFiles; quantized: boolean } | undefined {
  const list = [...paths];
  for (const quantized of [preferQuantized, !preferQuantized]) {
    const files = selectOnnxFiles(list, quantized);
    if (files) return { files, quantized };
  }
  return undefined;
}

/** Parla's exports store all graphs' weights once, in this file beside the graphs. */
export const SHARED_WEIGHTS_FILE = 'onnx/model.onnx_data';
/** ...and their int8 graphs' weights in this one (tools/model/quantize.py). */
export const SHARED_QUANTIZED_WEIGHTS_FILE = 'onnx/model_quantized.onnx_data';

/**
 * What a complete install needs from a listing: JSON files plus full-precision and (when
 * offered) quantized ONNX; with `quantizedOnly`, the quantized graphs alone (undefined when the
 * listing has none).
 */
export function filesToFetch(paths: Iterable<string>, quantizedOnly = false): string[] | undefined {
  const list = [...paths];
  const present = new Set(list);
  for (const f of REQUIRED_JSON_FILES) if (!present.has(f)) return undefined;
  const full = selectOnnxFiles(list, false);
  const quantized = selectOnnxFiles(list, true);
  const graphs = quantizedOnly ? [quantized] : full ? [full, quantized] : [];
  if (!graphs[0]) return undefined;
  const wanted = new Set<string>(MODEL_JSON_FILES.filter((f) => present.has(f)));
  for (const onnx of graphs) {
    if (!onnx) continue;
    wanted.add(onnx.encoder);
    for (const f of Object.values(onnx.decoder)) if (f.endsWith('.onnx')) wanted.add(f);
  }
  // External weights: `X.onnx_data` (or `X.onnx_data_N` chunks) of a chosen graph, and the
  // shared files Parla's own exports keep every graph's weights in: `model.onnx_data` for fp32,
  // `model_quantized.onnx_data` for int8 (Xenova's int8 graphs hold their weights inline).
  for (const p of list) {
    const owner = /^(onnx\/[^/]+\.onnx)_data(?:_\d+)?$/.exec(p);
    const shared = (p === SHARED_WEIGHTS_FILE && !quantizedOnly) || (p === SHARED_QUANTIZED_WEIGHTS_FILE && quantized !== undefined);
    if (owner && (wanted.has(owner[1]!) || shared)) wanted.add(p);
  }
  return [...wanted];
}

/** `opus-mt-en-es` → {from: 'en', to: ['es']}; `opus-mt-en-ROMANCE`-style groups keep their name. */
export function pairFromModelName(name: string): { from: string; to: string[] } | undefined {
  const m = /opus-mt-(?:tc-big-|tc-)?([A-Za-z]+(?:_[A-Za-z]+)?)-([A-Za-z]+(?:_[A-Za-z]+)?)$/.exec(name);
  if (!m) return undefined;
  return { from: m[1]!, to: [m[2]!] };
}
