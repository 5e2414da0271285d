// A loaded Marian model: tokenizer, encoder and decoder sessions, and batched generation.
// Sentences are sorted by length and grouped under a token budget; a sentence leaves its batch
// (and its cache rows are dropped) as soon as its search is done.
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Tokenizer } from '@huggingface/tokenizers';
import { ParlaError } from '../../shared/errors.js';
import { chooseOnnxFiles, jsonFileLimit } from '../../shared/model-layout.js';
import type { DecodeOptions } from '../../shared/translation.js';
import { DecoderState, MarianDecoder } from './decoder.js';
import { parseMarianConfig, type MarianConfig } from '../../shared/model-config.js';
import { createSearch, type Hypothesis, type Search } from './search.js';
import { joinPieces, splitAtWhitespace, splitSentences, type Piece } from './sentences.js';
import { gatherRows, isIdentity } from './tensor-gather.js';
import { dropUnigramTrie } from './unigram-pieces.js';

export interface LoadOptions {
  /** Prefer the int8 `*_quantized.onnx` graphs; either precision is used when it is the only one present. */
  quantized?: boolean;
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
  /** Whether intra-op threads spin-wait between ops (onnxruntime's default is to spin). */
  intraOpSpinning?: boolean;
  /** onnxruntime's CPU memory arena (its default is on). */
  cpuMemArena?: boolean;
  /** onnxruntime's graph optimizations (default 'all'). */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** onnxruntime's memory pattern planning (its default is on). */
  enableMemPattern?: boolean;
  /**
   * Further onnxruntime session config entries, e.g. `session.disable_prepacking: '1'`
   * (measured in bench/engine-model.mjs; the host sets none).
   */
  sessionConfig?: Record<string, string>;
  /**
   * false: tokenizer and config only, no onnxruntime sessions. Such a model splits, tokenizes
   * and detokenizes for a `GroupRunner` that owns the sessions elsewhere (model lanes).
   */
  sessions?: boolean;
  /**
   * false: config and sessions only, no tokenizer: a model lane, which only ever sees token ids
   * (the host thread's session-less model tokenizes). A 65k-piece tokenizer costs ~80 MB of
   * JavaScript heap, which each lane would otherwise hold for nothing.
   */
  tokenizer?: boolean;
}

/** Runs generation for one batch of tokenized sources; `lanes` batches may run at once. */
export interface GroupRunner {
  readonly lanes: number;
  generate(sources: readonly number[][], options: DecodeOptions): Promise<Hypothesis[][]>;
}

interface Sessions {
  encoder: ort.InferenceSession;
  decoder: MarianDecoder;
  all: ort.InferenceSession[];
}

export interface BatchLimits {
  maxBatchTokens: number;
  maxBatchSentences: number;
}

export interface TranslatedText {
  text: string;
  alternatives?: { text: string; score: number }[];
  /**
   * The model's own score of the output: mean log-probability per token over its sentences
   * (length-weighted), what `confidence` is made of. Absent for a text with nothing to translate.
   */
  score?: number;
  /** A sentence of the output ran into the length cap instead of ending on its own. */
  truncated?: boolean;
}

const LANG_TOKEN = /^>>[A-Za-z_]+<<$/;

/** `{'session.intra_op.allow_spinning': '0'}` → `{session: {intra_op: {allow_spinning: '0'}}}`. */
function nestConfig(entries: Record<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entries)) {
    const parts = key.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]!] = value;
  }
  return root;
}

/** A model's files: its top level and onnx/, where the layout puts them; never a walk of the tree. */
async function listFiles(dir: string): Promise<string[]> {
  const top = await readdir(dir);
  const onnx = await readdir(join(dir, 'onnx')).catch(() => []);
  return [...top, ...onnx.map((name) => `onnx/${name}`)];
}

/**
 * Bytes on disk of what a load would open in the precision preferred: the graphs, and the
 * external weight files beside them (`external`), which onnxruntime maps instead of copying when
 * they are page-aligned. What lanes and threads are sized by.
 */
export async function modelWeightBytes(dir: string, quantized: boolean): Promise<{ total: number; external: number }> {
  const files = await listFiles(dir).catch(() => []);
  const chosen = chooseOnnxFiles(files, quantized);
  if (!chosen) return { total: 0, external: 0 };
  const graphs = [chosen.files.encoder, ...Object.values(chosen.files.decoder).filter((f): f is string => typeof f === 'string' && f.endsWith('.onnx'))];
  // External weights: model.onnx_data for float32, model_quantized.onnx_data for int8 graphs that
  // keep theirs outside (tools/model/quantize.py); Xenova's int8 graphs hold theirs inline.
  const data = files.filter((f) => /^onnx\/[^/]+\.onnx_data(?:_\d+)?$/.test(f) && f.includes('_quantized') === chosen.quantized);
  const size = (f: string) => stat(join(dir, f)).then((s) => s.size, () => 0);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const [graphBytes, external] = await Promise.all([Promise.all(graphs.map(size)).then(sum), Promise.all(data.map(size)).then(sum)]);
  return { total: graphBytes + external, external };
}

/** A model's JSON file, refused when larger than any real one: parsing blocks the thread. */
async function readJson(dir: string, name: string): Promise<Record<string, unknown>> {
  const path = join(dir, name);
  const max = jsonFileLimit(name);
  if ((await stat(path)).size > max) throw new ParlaError('MODEL_INVALID', `${dir}: ${name} is larger than ${max / 1e6} MB`);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new ParlaError('MODEL_INVALID', `${dir}: ${name} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ParlaError('MODEL_INVALID', `${dir}: ${name} is not a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * The decoder graph must be the one config.json describes: the search feeds one past
 * key/value input per configured layer, shaped by its heads and head size.
 */
function checkDecoderGraph(session: ort.InferenceSession, c: MarianConfig, dir: string): void {
  const layers = new Set(session.inputNames.flatMap((n) => /^past_key_values\.(\d+)\.decoder\.key$/.exec(n)?.[1] ?? []));
  if (layers.size !== c.decoderLayers) {
    throw new ParlaError('MODEL_INVALID', `${dir}: config.json "decoder_layers" is ${c.decoderLayers} but the decoder graph has ${layers.size}`);
  }
  const past = session.inputMetadata.find((m) => m.name === 'past_key_values.0.decoder.key');
  const [, heads, , headDim] = past?.isTensor ? past.shape : [];
  if ((typeof heads === 'number' && heads !== c.decoderHeads) || (typeof headDim === 'number' && headDim !== c.headDim)) {
    throw new ParlaError('MODEL_INVALID', `${dir}: config.json "decoder_attention_heads"/"d_model" do not match the decoder graph`);
  }
  const logits = session.outputMetadata.find((m) => m.name === 'logits');
  const vocab = logits?.isTensor ? logits.shape[2] : undefined;
  if (typeof vocab === 'number' && vocab !== c.vocabSize) {
    throw new ParlaError('MODEL_INVALID', `${dir}: config.json "vocab_size" is ${c.vocabSize} but the decoder graph has ${vocab}`);
  }
}

export class MarianModel implements GroupRunner {
  /** This model runs one batch at a time, on the calling thread. */
  readonly lanes = 1;

  private constructor(
    readonly dir: string,
    readonly config: MarianConfig,
    private readonly tokenizer: Tokenizer | undefined,
    private readonly sessions: Sessions | undefined,
    /** Whether the int8 graphs are the ones loaded (or, without sessions, the ones chosen). */
    readonly quantized: boolean,
    /** Target-language tokens (`>>es<<`) of a multilingual model's vocabulary; none without a tokenizer. */
    private readonly langTokens: ReadonlySet<string>,
  ) {}

  static async load(dir: string, options: LoadOptions = {}): Promise<MarianModel> {
    let files: string[];
    try {
      files = await listFiles(dir);
    } catch {
      throw new ParlaError('MODEL_INVALID', `no model folder at ${dir}`);
    }
    const chosen = chooseOnnxFiles(files, options.quantized ?? false);
    if (!chosen) throw new ParlaError('MODEL_INVALID', `model at ${dir} lacks onnx/encoder_model and a decoder`);
    const onnx = chosen.files;
    const config = await readJson(dir, 'config.json');
    const generation = files.includes('generation_config.json') ? await readJson(dir, 'generation_config.json') : undefined;
    // Config first: its checks are cheap, and they name the field that is wrong.
    let parsed = parseMarianConfig(config, generation, dir);
    if (options.sessions === false && options.tokenizer === false) throw new Error('MarianModel.load: neither sessions nor tokenizer asked for');
    let tokenizer: Tokenizer | undefined;
    const langTokens = new Set<string>();
    if (options.tokenizer !== false) {
      const tokenizerJson = await readJson(dir, 'tokenizer.json');
      const tokenizerConfig = await readJson(dir, 'tokenizer_config.json');
      try {
        tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
      } catch (e) {
        throw new ParlaError('MODEL_INVALID', `${dir}: tokenizer.json cannot be read (${(e as Error).message})`);
      }
      dropUnigramTrie(tokenizer);
      // One pass over the vocabulary (get_vocab builds a map of every piece).
      let maxId = 0;
      for (const [piece, id] of tokenizer.get_vocab(true)) {
        maxId = Math.max(maxId, id);
        if (LANG_TOKEN.test(piece)) langTokens.add(piece);
      }
      parsed = parseMarianConfig(config, generation, dir, maxId + 1);
    }
    if (options.sessions === false) return new MarianModel(dir, parsed, tokenizer, undefined, chosen.quantized, langTokens);
    // ORT rejects undefined thread counts; 0 means "leave it to ORT", so omit the key.
    const sessionOptions: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: options.graphOptimizationLevel ?? 'all' };
    if (options.intraOpNumThreads) sessionOptions.intraOpNumThreads = options.intraOpNumThreads;
    if (options.interOpNumThreads) sessionOptions.interOpNumThreads = options.interOpNumThreads;
    if (options.cpuMemArena !== undefined) sessionOptions.enableCpuMemArena = options.cpuMemArena;
    if (options.enableMemPattern !== undefined) sessionOptions.enableMemPattern = options.enableMemPattern;
    // Config entries are dotted keys; onnxruntime-node takes them as a nested object under `extra`.
    const entries: Record<string, string> = { ...options.sessionConfig };
    if (options.intraOpSpinning !== undefined) entries['session.intra_op.allow_spinning'] = options.intraOpSpinning ? '1' : '0';
    if (Object.keys(entries).length) sessionOptions.extra = nestConfig(entries);
    const open = (rel: string) =>
      ort.InferenceSession.create(join(dir, rel), sessionOptions).catch((e: unknown) => {
        const why = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300);
        throw new ParlaError('MODEL_INVALID', `${dir}: onnxruntime cannot load ${rel} (${why})`);
      });
    // Sessions opened so far, released if a later one fails or does not match the config.
    const all: ort.InferenceSession[] = [];
    const opened = async (rel: string) => {
      const session = await open(rel);
      all.push(session);
      return session;
    };
    try {
      const encoder = await opened(onnx.encoder);
      let decoder: MarianDecoder;
      if (onnx.decoder.kind === 'merged') {
        const merged = await opened(onnx.decoder.decoder);
        checkDecoderGraph(merged, parsed, dir);
        decoder = new MarianDecoder({ first: merged, cached: merged, merged: true }, parsed);
      } else {
        const first = await opened(onnx.decoder.decoder);
        const cached = await opened(onnx.decoder.decoderWithPast);
        checkDecoderGraph(cached, parsed, dir);
        decoder = new MarianDecoder({ first, cached, merged: false }, parsed);
      }
      return new MarianModel(dir, parsed, tokenizer, { encoder, decoder, all }, chosen.quantized, langTokens);
    } catch (e) {
      await Promise.all(all.map((session) => session.release()));
      throw e;
    }
  }

  get multilingual(): boolean {
    return this.langTokens.size > 0;
  }

  private get tokens(): Tokenizer {
    if (!this.tokenizer) throw new Error(`model ${this.dir} was loaded without its tokenizer (a lane): tokenize on the host thread`);
    return this.tokenizer;
  }

  encode(text: string): number[] {
    return this.tokens.encode(text).ids;
  }

  decode(ids: readonly number[]): string {
    // Marian's Python tokenizer decodes with SentencePiece, which drops every leading space
    // (tokenizer.json's Metaspace decoder drops only one): trim to match it.
    return this.tokens.decode([...ids], { skip_special_tokens: true }).trimStart();
  }

  /** Generates for already-tokenized sources, one batch; results keep the input order. */
  async generate(sources: readonly number[][], options: DecodeOptions = {}): Promise<Hypothesis[][]> {
    if (!this.sessions) throw new Error(`model ${this.dir} was loaded without sessions: generate through its lanes`);
    const { encoder, decoder } = this.sessions;
    const c = this.config;
    const numBeams = options.beam ?? 1;
    const searches: Search[] = sources.map((source) =>
      createSearch({
        eosId: c.eosId,
        forcedEosId: c.forcedEosId,
        badTokenIds: c.badTokenIds,
        maxLength: options.maxLength ?? outputLengthCap(source.length, c.maxLength),
        decoderStartId: c.decoderStartId,
        numBeams,
        lengthPenalty: options.lengthPenalty ?? 1.0,
        nBest: Math.min(options.nBest ?? 1, numBeams),
      }),
    );
    const n = sources.length;
    const srcLen = Math.max(...sources.map((s) => s.length));
    const ids = new BigInt64Array(n * srcLen).fill(BigInt(c.padId));
    const mask = new BigInt64Array(n * srcLen);
    sources.forEach((s, r) => {
      for (let t = 0; t < s.length; t++) {
        ids[r * srcLen + t] = BigInt(s[t]!);
        mask[r * srcLen + t] = 1n;
      }
    });
    const encoded = await encoder.run({
      input_ids: new ort.Tensor('int64', ids, [n, srcLen]),
      attention_mask: new ort.Tensor('int64', mask, [n, srcLen]),
    });
    const hidden = encoded.last_hidden_state!.data as Float32Array;

    // Each search occupies `rows` consecutive decoder rows; beams start as copies of their source.
    const firstRows = searches.flatMap((s, i) => Array<number>(s.rows).fill(i));
    const identity = isIdentity(firstRows, n);
    const state = new DecoderState(
      firstRows.length,
      identity ? hidden : gatherRows(hidden, srcLen * c.dModel, firstRows),
      identity ? mask : gatherRows(mask, srcLen, firstRows),
      srcLen,
      c,
    );
    // Searches holding rows in the state, in row order. A finished search keeps its rows (fed
    // the start token, outputs ignored) until dropping is worth a copy of the whole cache: when a
    // gather happens anyway (beams reordered) or a quarter of the rows are dead.
    let resident = searches.map((_, i) => i);
    let liveCount = n;
    let deadRows = 0;
    for (let curLen = 1; liveCount; curLen++) {
      const tokens: number[] = [];
      for (const i of resident) {
        const search = searches[i]!;
        if (search.done) for (let r = 0; r < search.rows; r++) tokens.push(c.decoderStartId);
        else tokens.push(...search.lastTokens);
      }
      const logits = await decoder.step(state, tokens);
      const vocab = logits.length / state.rows;
      const keepRows: number[] = [];
      const keepResident: number[] = [];
      const liveRows: number[] = [];
      const liveResident: number[] = [];
      let reordered = false;
      let rowStart = 0;
      for (const i of resident) {
        const search = searches[i]!;
        if (search.done) {
          for (let r = 0; r < search.rows; r++) keepRows.push(rowStart + r);
          keepResident.push(i);
        } else {
          const { parents } = search.step(logits, rowStart, vocab, curLen);
          if (search.done) {
            liveCount--;
            deadRows += search.rows;
            for (let r = 0; r < search.rows; r++) keepRows.push(rowStart + r);
          } else {
            for (let r = 0; r < parents.length; r++) {
              if (parents[r] !== r) reordered = true;
              keepRows.push(rowStart + parents[r]!);
              liveRows.push(rowStart + parents[r]!);
            }
            liveResident.push(i);
          }
          keepResident.push(i);
        }
        rowStart += search.rows;
      }
      if (!liveCount) break;
      if (reordered || deadRows * 4 >= state.rows) {
        state.gather(liveRows);
        resident = liveResident;
        deadRows = 0;
      } else {
        resident = keepResident;
      }
    }
    return searches.map((s) => s.results());
  }

  /**
   * Translates whole texts: sentence split, batched generation under `limits` on `runner`
   * (this model's own sessions unless lanes are given), rejoin.
   */
  async translate(
    texts: readonly string[],
    to: string,
    options: DecodeOptions,
    limits: BatchLimits,
    from?: string,
    runner: GroupRunner = this,
  ): Promise<TranslatedText[]> {
    const prefix = this.targetPrefix(to);
    const max = this.config.maxInputTokens;
    const perText: Piece[][] = texts.map((text) =>
      splitSentences(text, from).flatMap((p) => {
        if (!p.core || this.encode(prefix + p.core).length <= max) return [p];
        const parts = splitAtWhitespace(p.core, max, (s) => this.encode(prefix + s).length);
        parts[0]!.before = p.before + parts[0]!.before;
        parts[parts.length - 1]!.after += p.after;
        return parts;
      }),
    );
    const sources: number[][] = [];
    for (const pieces of perText) for (const p of pieces) if (p.core) sources.push(this.encode(prefix + p.core).slice(0, max));
    const results = await this.generateBatched(sources, options, limits, runner);
    let k = 0;
    return perText.map((pieces) => {
      const first = k;
      const hyps = pieces.map((p) => (p.core ? results[k++]! : []));
      const text = joinPieces(pieces, hyps.map((h) => (h[0] ? this.decode(h[0].ids) : '')));
      const quality = this.quality(sources.slice(first, k), hyps.filter((h) => h[0]).map((h) => h[0]!), options);
      if ((options.nBest ?? 1) <= 1) return { text, ...quality };
      // Alternatives only make sense for single-sentence texts; longer texts report the best.
      // Beams that differ only in how pieces split a word read the same: each text once, best first.
      const alternatives =
        pieces.filter((p) => p.core).length === 1
          ? hyps
              .find((h) => h.length)!
              .map((h) => ({ text: joinPieces(pieces, [this.decode(h.ids)]), score: h.score }))
              .filter((a, i, all) => all.findIndex((b) => b.text === a.text) === i)
          : [];
      return { text, alternatives, ...quality };
    });
  }

  /** Length-weighted mean log-probability of a text's best hypotheses, and whether one hit the cap. */
  private quality(sources: readonly number[][], best: readonly Hypothesis[], options: DecodeOptions): Pick<TranslatedText, 'score' | 'truncated'> {
    let sum = 0;
    let tokens = 0;
    let truncated = false;
    best.forEach((h, i) => {
      const cap = options.maxLength ?? outputLengthCap(sources[i]!.length, this.config.maxLength);
      if (h.ids.length + 1 >= cap) truncated = true;
      if (!Number.isFinite(h.score)) return;
      sum += h.score * h.ids.length;
      tokens += h.ids.length;
    });
    return { ...(tokens ? { score: sum / tokens } : {}), ...(truncated ? { truncated } : {}) };
  }

  /**
   * Sorted by length, grouped under the token budget; results back in input order. Groups run
   * `runner.lanes` at a time, longest first, so the last groups to finish are short ones and
   * no lane is left with a long tail while the others wait.
   */
  async generateBatched(sources: readonly number[][], options: DecodeOptions, limits: BatchLimits, runner: GroupRunner = this): Promise<Hypothesis[][]> {
    const order = sources.map((_, i) => i).sort((a, b) => sources[a]!.length - sources[b]!.length);
    const beams = Math.max(1, options.beam ?? 1);
    const groups: number[][] = [];
    let group: number[] = [];
    for (const i of order) {
      const len = sources[i]!.length;
      const rows = (group.length + 1) * beams;
      if (group.length && (group.length >= limits.maxBatchSentences || rows * len > limits.maxBatchTokens)) {
        groups.push(group);
        group = [];
      }
      group.push(i);
    }
    if (group.length) groups.push(group);
    balanceGroups(groups, sources, beams, limits);
    groups.reverse();

    const out: Hypothesis[][] = new Array(sources.length);
    let failed = false;
    const lane = async () => {
      for (let g = groups.shift(); g && !failed; g = groups.shift()) {
        try {
          const res = await runner.generate(g.map((i) => sources[i]!), options);
          g.forEach((i, j) => (out[i] = res[j]!));
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(runner.lanes, groups.length)) }, lane));
    return out;
  }

  private targetPrefix(to: string): string {
    if (!this.multilingual) return '';
    const token = `>>${to}<<`;
    if (!this.langTokens.has(token)) {
      throw new ParlaError('UNKNOWN_PAIR', `model ${this.dir} cannot translate into "${to}"`);
    }
    return `${token} `;
  }

  async dispose(): Promise<void> {
    await Promise.all((this.sessions?.all ?? []).map((s) => s.release()));
  }
}

/**
 * Evens out group sizes in place: greedy grouping leaves a small last group (50 sentences
 * under a cap of 24: 24 + 24 + 2), which costs a whole decoding run for a few rows. The same
 * number of groups with near-equal sizes (17 + 17 + 16) does the same work in fewer row-steps.
 * Kept only if every balanced group still fits the token budget.
 */
function balanceGroups(groups: number[][], sources: readonly number[][], beams: number, limits: BatchLimits): void {
  const k = groups.length;
  if (k < 2) return;
  const order = groups.flat();
  const balanced: number[][] = [];
  for (let g = 0, start = 0; g < k; g++) {
    const size = Math.floor(order.length / k) + (g < order.length % k ? 1 : 0);
    balanced.push(order.slice(start, start + size));
    start += size;
  }
  // Sorted ascending, so a group's last sentence is its longest.
  const fits = balanced.every((b) => b.length * beams * sources[b[b.length - 1]!]!.length <= limits.maxBatchTokens || b.length === 1);
  if (fits) groups.splice(0, k, ...balanced);
}

/**
 * Without an explicit max length, an output may be at most `ratio` × its source plus `slack`
 * tokens (and never past the config's max_length). Real translations stay far inside that; a
 * small model caught in a repetition loop would otherwise run to max_length (512) and hold up
 * the whole batch. Forced EOS applies at the cap, as at max_length.
 */
export const OUTPUT_LENGTH = { ratio: 2, slack: 10 } as const;

function outputLengthCap(sourceLength: number, configMax: number): number {
  return Math.min(configMax, Math.ceil(sourceLength * OUTPUT_LENGTH.ratio) + OUTPUT_LENGTH.slack);
}
