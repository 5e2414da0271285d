// The checks a model folder must pass before Parla routes to it: required files present, JSON
// files within size limits and readable, config values in range (see shared/model-config.ts),
// and every external data file the ONNX graphs read present and long enough. Cheap enough to run
// whenever the store lists its models (results are kept per folder until a file changes); the
// full check at install adds loading the graphs and a smoke translation (verify-model.ts).
//
// A model folder is read two levels deep only, its top and onnx/, never walked: a folder (or a
// link to one) holding a large tree costs a couple of readdir calls, not a walk of the tree.
import { readFileSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { ParlaError } from '../../shared/errors.js';
import { parseMarianConfig } from '../../shared/model-config.js';
import { REQUIRED_JSON_FILES, chooseOnnxFiles, jsonFileLimit, selectOnnxFiles } from '../../shared/model-layout.js';
import { writePrivateFile } from '../private-fs.js';
import { externalDataNeeds } from './onnx-external.js';

export interface ModelFile {
  /** Relative to the model folder, `/`-separated. */
  path: string;
  size: number;
  mtimeMs: number;
}

/** More entries than this in a model folder (or its onnx/) is not a model folder. */
const MAX_ENTRIES = 1000;

async function filesIn(dir: string, prefix: string): Promise<ModelFile[]> {
  const names = await readdir(dir);
  if (names.length > MAX_ENTRIES) throw new ParlaError('MODEL_INVALID', `${dir} holds ${names.length} entries; a model folder holds a few`);
  const out: ModelFile[] = [];
  for (const name of names) {
    // stat, not lstat: a linked file counts as what it links to, as onnxruntime will read it.
    const st = await stat(join(dir, name)).catch(() => undefined);
    if (st?.isFile()) out.push({ path: `${prefix}${name}`, size: st.size, mtimeMs: st.mtimeMs });
  }
  return out;
}

/** The files of a model folder: its top level and onnx/. MODEL_INVALID when `dir` is not a folder. */
export async function modelFiles(dir: string): Promise<ModelFile[]> {
  let top: ModelFile[];
  try {
    top = await filesIn(dir, '');
  } catch (e) {
    if (e instanceof ParlaError) throw e;
    throw new ParlaError('MODEL_INVALID', `not a folder: ${dir}`);
  }
  const onnx = await filesIn(join(dir, 'onnx'), 'onnx/').catch((e: unknown) => {
    if (e instanceof ParlaError) throw e;
    return [];
  });
  return [...top, ...onnx];
}

/** Throws MODEL_INVALID naming what is missing when the folder lacks a model's files. */
export function checkLayout(files: readonly ModelFile[], where: string): void {
  const paths = files.map((f) => f.path);
  const missing = REQUIRED_JSON_FILES.filter((f) => !paths.includes(f));
  if (missing.length) throw new ParlaError('MODEL_INVALID', `${where} is not a model folder: missing ${missing.join(', ')}`);
  if (!chooseOnnxFiles(paths, false)) {
    throw new ParlaError('MODEL_INVALID', `${where} is not a model folder: needs onnx/encoder_model.onnx and onnx/decoder_model_merged.onnx (or decoder_model + decoder_with_past_model, or their *_quantized.onnx)`);
  }
}

export async function readModelJson(dir: string, files: readonly ModelFile[], name: string, where: string): Promise<Record<string, unknown>> {
  const file = files.find((f) => f.path === name);
  if (!file) throw new ParlaError('MODEL_INVALID', `${where}: ${name} is missing`);
  if (file.size > jsonFileLimit(name)) throw new ParlaError('MODEL_INVALID', `${where}: ${name} is larger than ${jsonFileLimit(name) / 1e6} MB`);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(join(dir, name), 'utf8'));
  } catch {
    throw new ParlaError('MODEL_INVALID', `${where}: ${name} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ParlaError('MODEL_INVALID', `${where}: ${name} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** How many ids tokenizer.json can produce: its highest id + 1. */
export function tokenizerIds(tokenizer: Record<string, unknown>): number {
  const model = tokenizer.model as { vocab?: unknown } | undefined;
  const vocab = model?.vocab;
  let max = -1;
  if (Array.isArray(vocab)) max = vocab.length - 1; // Unigram: ids are positions
  else if (vocab && typeof vocab === 'object') for (const id of Object.values(vocab)) if (typeof id === 'number' && id > max) max = id;
  const added = Array.isArray(tokenizer.added_tokens) ? (tokenizer.added_tokens as { id?: unknown }[]) : [];
  for (const t of added) if (typeof t?.id === 'number' && t.id > max) max = t.id;
  return max + 1;
}

/** Every external data file the chosen graphs read: inside the model folder, present, and long enough. */
async function checkExternalData(dir: string, files: readonly ModelFile[], where: string): Promise<void> {
  const paths = files.map((f) => f.path);
  const graphs = new Set<string>();
  for (const onnx of [selectOnnxFiles(paths), selectOnnxFiles(paths, true)]) {
    if (!onnx) continue;
    graphs.add(onnx.encoder);
    for (const f of Object.values(onnx.decoder)) if (f.endsWith('.onnx')) graphs.add(f);
  }
  for (const graph of graphs) {
    const needs = await externalDataNeeds(join(dir, graph), `${where}: ${graph}`);
    for (const [location, bytes] of needs) {
      // Locations are relative to the graph's folder; one that leaves the model folder would
      // have onnxruntime read any file on the machine.
      const rel = normalize(join(dirname(graph), location)).split('\\').join('/');
      if (isAbsolute(location) || rel.startsWith('../') || rel === '..') {
        throw new ParlaError('MODEL_INVALID', `${where}: ${graph} reads external data outside the model folder ("${location.slice(0, 80)}")`);
      }
      const file = files.find((f) => f.path === rel);
      if (!file) throw new ParlaError('MODEL_INVALID', `${where}: ${rel} is missing (${graph} reads its weights from it)`);
      if (file.size < bytes) {
        throw new ParlaError('MODEL_INVALID', `${where}: ${rel} is incomplete (${file.size} bytes; ${graph} needs ${bytes}); copy or download it again`);
      }
    }
  }
}

/** The whole cheap check; throws MODEL_INVALID with one line naming what is wrong. */
export async function checkModelFiles(dir: string, files: readonly ModelFile[], where: string): Promise<void> {
  checkLayout(files, where);
  const config = await readModelJson(dir, files, 'config.json', where);
  const generation = files.some((f) => f.path === 'generation_config.json') ? await readModelJson(dir, files, 'generation_config.json', where) : undefined;
  const tokenizer = await readModelJson(dir, files, 'tokenizer.json', where);
  await readModelJson(dir, files, 'tokenizer_config.json', where);
  parseMarianConfig(config, generation, where, tokenizerIds(tokenizer));
  await checkExternalData(dir, files, where);
}

/** Last result per folder, reused while no file's size or time changes. */
const checked = new Map<string, { fingerprint: string; problem: Promise<string | undefined> }>();

/** Folders remembered in a data dir's check records; the oldest go first beyond this. */
const MAX_RECORDS = 200;

/**
 * Check results kept across processes, in `<data dir>/model-checks.json` (folder → fingerprint
 * of its files' paths, sizes and times, and the problem found or null): each `parla` command is a
 * new process, and the check reads every model's tokenizer.json (~250 ms for a 65k-piece one).
 * Best effort: an unreadable or unwritable file only means checking again.
 */
export class ModelCheckRecords {
  constructor(readonly file: string) {}

  private read(): Record<string, { fingerprint: string; problem: string | null }> {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, { fingerprint: string; problem: string | null }>) : {};
    } catch {
      return {};
    }
  }

  /** The recorded outcome for this fingerprint: `{problem}` (undefined when it passed), or undefined when none. */
  lookup(dir: string, fingerprint: string): { problem: string | undefined } | undefined {
    const entry = this.read()[dir];
    if (!entry || entry.fingerprint !== fingerprint) return undefined;
    if (entry.problem !== null && typeof entry.problem !== 'string') return undefined;
    return { problem: entry.problem ?? undefined };
  }

  record(dir: string, fingerprint: string, problem: string | undefined): void {
    const entries = this.read();
    delete entries[dir];
    entries[dir] = { fingerprint, problem: problem ?? null };
    const keys = Object.keys(entries);
    for (const key of keys.slice(0, Math.max(0, keys.length - MAX_RECORDS))) delete entries[key];
    try {
      writePrivateFile(this.file, JSON.stringify(entries) + '\n');
    } catch {
      // No data dir yet, or a read-only one: the next command checks again.
    }
  }
}

/**
 * What is wrong with the model in `dir` (one line), or undefined when it passes; cached until a
 * file changes, in this process and, given `records`, across processes.
 */
export function modelProblem(dir: string, files: readonly ModelFile[], records?: ModelCheckRecords): Promise<string | undefined> {
  const fingerprint = JSON.stringify(files.map((f) => [f.path, f.size, f.mtimeMs]));
  const last = checked.get(dir);
  if (last?.fingerprint === fingerprint) return last.problem;
  const recorded = records?.lookup(dir, fingerprint);
  if (recorded) {
    const problem = Promise.resolve(recorded.problem);
    checked.set(dir, { fingerprint, problem });
    return problem;
  }
  const problem = checkModelFiles(dir, files, dir).then(
    () => {
      records?.record(dir, fingerprint, undefined);
      return undefined;
    },
    (e: unknown) => {
      if (!(e instanceof ParlaError)) checked.delete(dir); // an I/O error may pass: check again next time
      const message = e instanceof Error ? e.message : String(e);
      // The caller names the model; the folder would only repeat it.
      const problem = message.startsWith(`${dir}: `) ? message.slice(dir.length + 2) : message;
      if (e instanceof ParlaError) records?.record(dir, fingerprint, problem);
      return problem;
    },
  );
  checked.set(dir, { fingerprint, problem });
  return problem;
}
