// The translation contract every door uses: CLI, HTTP API, IPC, job queue and model host.

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

export interface TranslateRequest {
  texts: string[];
  to: string;
  from?: string;
  /** Model id (`parla/tiny-en-es`, `Xenova/opus-mt-en-fr`) or a model folder; routed by pair when absent. */
  model?: string;
  options?: DecodeOptions;
  /** Skip the cache lookup (results are still written to it). */
  noCache?: boolean;
}

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
   * Present when the installed files fail Parla's checks (a file missing or cut short, a config
   * value out of range): what is wrong, in one line. Such a model is never routed to.
   */
  problem?: string;
}
