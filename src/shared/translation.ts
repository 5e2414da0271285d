// The translation contract every door uses: CLI, HTTP API, IPC, job queue and model host.
import type { MemorySuggestion } from './memory.js';

export interface DecodeOptions {
  /** 1 = greedy; > 1 = beam search with that many beams. Defaults to 1 (greedy) in Parla. */
  beam?: number;
  /** How many hypotheses to return per text (≤ beam). */
  nBest?: number;
  maxLength?: number;
  lengthPenalty?: number;
  /** Use the int8 `*_quantized.onnx` files where the model has them. */
  quantized?: boolean;
}

/** `auto`: placeholders, markup, URLs and codes come back verbatim (the default); `none`: off. */
export type ProtectMode = 'auto' | 'none';
export const PROTECT_MODES = ['auto', 'none'] as const satisfies readonly ProtectMode[];

/**
 * Why a translation needs a human look (a public contract: `--json`, the API). docs/review.md
 * explains each. `spans`: a placeholder, tag or code of the source could not be kept verbatim;
 * `low_confidence`: the model's own confidence is under the threshold; `untranslated`: the output
 * repeats the source; `repetition`: the output loops (`te te te te`); `length`: the output is far
 * shorter or longer than translations of such a source are; `truncated`: the output hit the
 * length cap; `wrong_language`: the output is surely not in the target language;
 * `same_language`: the source is already in the target language (passed through, no model call);
 * `no_model`: the source's detected language has no installed model to the target (left
 * untranslated).
 */
export const TRANSLATION_FLAGS = [
  'spans',
  'low_confidence',
  'untranslated',
  'repetition',
  'length',
  'truncated',
  'wrong_language',
  'same_language',
  'no_model',
] as const;
export type TranslationFlag = (typeof TRANSLATION_FLAGS)[number];

/** `from: "auto"`: detect each text's language and route it to its model (docs/detection.md). */
export const AUTO_SOURCE = 'auto';

export interface TranslateRequest {
  texts: string[];
  to: string;
  /** The source language, or AUTO_SOURCE; left out: the routed model's (detected where several serve `to`). */
  from?: string;
  /** Model id (`parla/tiny-en-es`, `Xenova/opus-mt-en-fr`) or a model folder; routed by pair when absent. */
  model?: string;
  options?: DecodeOptions;
  /** Skip the cache lookup (results are still written to it). */
  noCache?: boolean;
  /** Protected spans; `auto` when left out. Part of the cache key. */
  protect?: ProtectMode;
  /** Add fuzzy memory suggestions to texts the memory does not answer exactly. */
  suggest?: boolean;
  /**
   * Record the translations in history; `false` for a draft (the app's translate-as-you-type),
   * which its door records with `addHistory` once the user settles on it. Default true.
   */
  history?: boolean;
}

/** A text's language as detection sees it (docs/detection.md). */
export interface LanguageGuess {
  /** Present when the detector is sure (confidence ≥ 0.5). */
  language?: string;
  /** The best-scoring language, sure or not; absent when nothing in the text points anywhere. */
  likeliest?: string;
  /** How far the likeliest language leads the next, in [0, 1]. */
  confidence: number;
}
/** Where a translation came from: a translation memory entry, the cache, or the model. */
export type TranslationOrigin = 'memory' | 'cache' | 'model';

export interface Alternative {
  text: string;
  score: number;
}

export interface Translation {
  source: string;
  text: string;
  model: string;
  cached: boolean;
  ms: number;
  alternatives?: Alternative[];
  /** Present when the translation needs review; see TranslationFlag. */
  flags?: TranslationFlag[];
  /** The source language used: the one asked for, the detected one, or the routed model's. */
  from?: string;
  /**
   * Present when the source language was detected: the detector's answer, `language` absent when
   * it could not tell (then `from` is the fallback source), `confidence` in [0, 1] (sure ≥ 0.5).
   */
  detected?: { language?: string; confidence: number };
  /**
   * How sure the model is of this output, in [0, 1]: the geometric mean of its token
   * probabilities (exp of the mean log-probability). Ranks outputs by quality; see docs/review.md.
   */
  confidence?: number;
  /** Ids of the glossary entries applied to this translation. */
  glossary?: string[];
  /** Set by the services (memory, cache, model); absent from the engine's own answers. */
  origin?: TranslationOrigin;
  /** The memory entry that answered (origin `memory`). */
  memory?: { id: string; who: string; when: number };
  /** Close memory entries, best first, when the request asked (`suggest`) and none matched exactly. */
  suggestions?: MemorySuggestion[];
}

/** What the job queue and the services need from the engine: one call, many texts, cancellable. */
export interface Translator {
  translate(request: TranslateRequest, signal?: AbortSignal): Promise<Translation[]>;
  /**
   * Gets the model a request like this would use ready (host started, weights loaded) without
   * translating anything; a job calls it before reading its file so both happen at once.
   * Optional; best effort: a failure here shows up again, with its message, on translate.
   */
  warm?(request: Omit<TranslateRequest, 'texts'>): Promise<void>;
}

/** Bytes per precision; see ModelInfo.memory. */
export interface ModelMemory {
  fp32?: number;
  int8?: number;
  /** The lanes the host ran each precision on when it measured it (the memory follows from them). */
  layout?: { fp32?: LaneLayout; int8?: LaneLayout };
}

/** How the model host runs a model: decoding lanes (worker threads), onnxruntime threads in each. */
export interface LaneLayout {
  lanes: number;
  threadsPerLane: number;
}

/** `quantized`: fetch only the int8 graphs (`*_quantized.onnx`), not the fp32 ones. */
export interface ModelDownloadOptions {
  quantized?: boolean;
}

/**
 * What downloading a Hub model would fetch, from its listing: `fullBytes` for a full download
 * (fp32 graphs, plus the int8 ones where offered), `int8Bytes` for `quantized` (absent when the
 * model offers no int8 graphs).
 */
export interface ModelDownloadSizes {
  id: string;
  fullBytes: number;
  int8Bytes?: number;
}

export interface ModelInfo {
  id: string;
  /** Source and target languages, e.g. "en" and ["es"]; multilingual targets list several. */
  from: string;
  to: string[];
  dir: string;
  bundled: boolean;
  sizeBytes: number;
  revision: string;
  hasQuantized: boolean;
  /**
   * The memory this model takes in the model host, per precision, as the host measured it: how
   * much its resident memory (RSS) grew from just before loading the model to after its batches
   * (the largest growth seen while it was the only model loaded: weights, onnxruntime's buffers
   * and a batch's activations). Absent until the host has loaded and run it in that precision.
   */
  memory?: ModelMemory;
  /**
   * Present when the installed files fail Parla's checks (a file missing or cut short, a config
   * value out of range): what is wrong, in one line. Such a model is never routed to.
   */
  problem?: string;
}
