// Installed models: `<dataDir>/models/<org>/<name>/` plus the bundled ones under the package's
// resources/models/. Lists, installs (download or import, always atomically, and only once the
// model has passed the full check of verify-model.ts), removes, and routes a language pair to
// the best installed model that passes the cheap check of model-check.ts. A model that fails
// it is listed with its problem and never routed to, so it cannot shadow a working one.
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ParlaError } from '../../shared/errors.js';
import { catalogModelFor } from '../../shared/model-catalog.js';
import { filesToFetch, isModelId } from '../../shared/model-layout.js';
import type { ModelDownloadSizes, ModelInfo } from '../../shared/translation.js';
import { bundledModelsDir, modelsDir } from '../paths.js';
import { inside } from '../safe-path.js';
import { downloadToStaging, hubDownloadSizes, type DownloadOptions } from './hub-download.js';
import { ModelCheckRecords, checkLayout, modelFiles } from './model-check.js';
import { readModelMemory } from './model-memory.js';
import { RECORD_FILE, describeModel, languageTokens, pairFor, type InstallRecord } from './model-info.js';
import { verifyModel, type VerifyOptions } from './verify-model.js';

const notAModelId = (id: string) => new ParlaError('BAD_INPUT', `"${id.slice(0, 100)}" is not a model id like Xenova/opus-mt-en-de`);

/** The bundled default: folder name under resources/models/ → model id. */
const BUNDLED: Record<string, string> = { 'parla-tiny-en-es': 'parla/tiny-en-es' };
export const FALLBACK_MODEL = 'parla/tiny-en-es';

export interface ModelStoreOptions {
  /** Overrides the package's resources/models (tests). */
  bundledDir?: string;
  /**
   * Whether `model` may name a folder instead of an installed id: only for a folder the local
   * user gives on the command line (`parla translate --model DIR`). Requests arriving over the
   * HTTP API, IPC or the team queue name installed ids only.
   */
  folders?: boolean;
  /** The install check's deadline (see verify-model.ts). */
  verifyTimeoutMs?: number;
}

/** How long a folder scan answers list() before the next one. */
const LIST_MEMO_MS = 2000;

export class ModelStore {
  readonly root: string;
  private readonly bundledDir: string;
  private readonly folders: boolean;
  private readonly verifyTimeoutMs: number | undefined;
  /** The cheap check's results, kept in the data dir for the next command (model-check.ts). */
  private readonly checks: ModelCheckRecords;

  constructor(
    readonly dataDir: string,
    options: ModelStoreOptions = {},
  ) {
    this.root = modelsDir(dataDir);
    this.bundledDir = options.bundledDir ?? bundledModelsDir();
    this.folders = options.folders ?? false;
    this.verifyTimeoutMs = options.verifyTimeoutMs;
    this.checks = new ModelCheckRecords(join(dataDir, 'model-checks.json'));
  }

  /** Every request routes through list(); a short memo keeps folder scans off the hot path. */
  private listed: { at: number; models: Promise<ModelInfo[]> } | undefined;

  list(): Promise<ModelInfo[]> {
    const now = Date.now();
    if (this.listed && now - this.listed.at < LIST_MEMO_MS) return this.listed.models;
    const models = this.scan();
    this.listed = { at: now, models };
    models.catch(() => (this.listed = undefined));
    return models;
  }

  private async scan(): Promise<ModelInfo[]> {
    const out: ModelInfo[] = [];
    const memory = readModelMemory(this.dataDir);
    const push = (info: ModelInfo) => out.push(memory[info.dir] ? { ...info, memory: memory[info.dir] } : info);
    for (const [folder, id] of Object.entries(BUNDLED)) {
      const info = await describeModel(id, join(this.bundledDir, folder), true, this.checks);
      if (info) push(info);
    }
    for (const org of await safeReaddir(this.root)) {
      if (org.startsWith('.')) continue;
      for (const name of await safeReaddir(join(this.root, org))) {
        // Only folders an id can name: anything else could be neither routed to nor removed.
        if (name.startsWith('.') || !isModelId(`${org}/${name}`)) continue;
        const info = await describeModel(`${org}/${name}`, join(this.root, org, name), false, this.checks);
        if (info) push(info);
      }
    }
    return out;
  }

  /**
   * An installed model by id (or, for a store opened with `folders`, a model folder). Refused
   * at once, without touching the disk, when the name is neither; a broken model is refused
   * with what is wrong and how to fix it.
   */
  async resolve(idOrDir: string): Promise<ModelInfo> {
    if (!isModelId(idOrDir)) {
      if (this.folders) return this.folder(idOrDir);
      throw new ParlaError('BAD_INPUT', `model "${idOrDir.slice(0, 100)}" is not a model id like Xenova/opus-mt-en-de; see parla models list`);
    }
    const byId = (await this.list()).find((m) => m.id === idOrDir);
    if (byId) return usable(byId);
    if (this.folders && (await isDir(idOrDir))) return this.folder(idOrDir);
    throw new ParlaError('NOT_FOUND', `model "${idOrDir}" is not installed; run: parla models download ${idOrDir}`);
  }

  /** A model folder the local user named: checked like an installed model, never walked. */
  private async folder(path: string): Promise<ModelInfo> {
    const dir = resolve(path);
    const info = await describeModel(basename(dir), dir, false, this.checks);
    if (!info) {
      await modelFiles(dir); // says why, naming the folder (too many entries, not a folder)
      throw new ParlaError('MODEL_INVALID', `not a folder: ${dir}`);
    }
    // The problem as the check words it: the folder named once ("DIR is not a model folder: ...", "DIR: config.json ...").
    if (info.problem) throw new ParlaError('MODEL_INVALID', info.problem.startsWith(dir) ? info.problem : `${dir}: ${info.problem}`);
    // A folder whose name says no pair still translates; the caller's --to decides.
    return { ...info, id: info.from ? info.id : dir };
  }

  /** The model a request names (id, or folder when allowed), else the best installed one for its pair. */
  forRequest(request: { model?: string; from?: string; to: string }): Promise<ModelInfo> {
    return request.model ? this.resolve(request.model) : this.route(request.from, request.to);
  }

  /**
   * The best installed model for from→to that passes its checks: downloaded before bundled,
   * exact pairs only. A broken one is skipped; when only broken ones fit, the error names them.
   */
  async route(from: string | undefined, to: string): Promise<ModelInfo> {
    const source = from ?? 'en';
    const models = await this.list();
    // `pt-BR` is served by a `pt-BR` model, else by a `pt` one; the same for a regional source.
    const base = (code: string) => code.split('-')[0]!;
    const serves = (m: ModelInfo, f: string, t: string) => m.from === f && m.to.includes(t);
    const exact = models.filter((m) => serves(m, source, to));
    const fits = exact.length > 0 ? exact : models.filter((m) => serves(m, base(source), base(to)));
    fits.sort((a, b) => Number(a.bundled) - Number(b.bundled) || Number(b.id.includes('opus-mt')) - Number(a.id.includes('opus-mt')));
    const healthy = fits.find((m) => !m.problem);
    if (healthy) return healthy;
    if (fits[0]) return usable(fits[0]);
    throw new ParlaError('UNKNOWN_PAIR', `no model for ${source}→${to}; ${downloadHint(base(source), base(to))}`);
  }

  /** What a full and an int8-only download of `id` would fetch (from the Hub's listing). */
  downloadSizes(id: string): Promise<ModelDownloadSizes> {
    if (!isModelId(id)) return Promise.reject(notAModelId(id));
    return hubDownloadSizes(id);
  }

  async download(id: string, options: DownloadOptions = {}): Promise<ModelInfo> {
    if (!isModelId(id)) throw notAModelId(id);
    // Stable staging name so an interrupted download resumes on the next call; an int8-only
    // download stages apart, so it never installs fp32 files left by an earlier attempt.
    const staging = inside(this.root, '.incoming', `${id.replace('/', '--')}${options.quantized ? '--int8' : ''}`);
    await downloadToStaging(id, staging, options);
    const pair = pairFor(id) ?? { from: '', to: [] };
    const langs = await languageTokens(staging, await modelFiles(staging));
    const record: InstallRecord = { id, from: pair.from, to: langs.length ? langs : pair.to, revision: 'main', source: 'hub', installedAt: new Date().toISOString() };
    // Files that arrived whole but do not make a working model will not on a retry either.
    await this.verify(staging, id, record).catch(async (e: unknown) => {
      await rm(staging, { recursive: true, force: true });
      throw e;
    });
    return this.install(id, staging, record);
  }

  /**
   * Copies a local model folder in as `local/<folder name>` (or `id` when given): only the
   * files a model is made of (the same choice as a download), then the full check.
   */
  async import(dir: string, id?: string): Promise<ModelInfo> {
    const source = resolve(dir);
    const files = await modelFiles(source);
    checkLayout(files, dir);
    const modelId = id ?? `local/${basename(source)}`;
    if (!isModelId(modelId)) throw new ParlaError('BAD_INPUT', `cannot derive a model id from ${dir}; pass one`);
    const paths = files.map((f) => f.path);
    // A folder with int8 graphs only (a `--quantized` download) is imported as it is.
    const wanted = filesToFetch(paths) ?? filesToFetch(paths, true) ?? [];
    const staging = join(this.root, '.incoming', `${modelId.replace('/', '--')}-${randomUUID()}`);
    try {
      await mkdir(join(staging, 'onnx'), { recursive: true });
      for (const rel of wanted) {
        await mkdir(dirname(join(staging, rel)), { recursive: true });
        await copyFile(join(source, rel), join(staging, rel));
      }
    } catch (e) {
      await rm(staging, { recursive: true, force: true });
      throw new ParlaError('BAD_FILE', `cannot copy ${dir}: ${(e as Error).message}`);
    }
    const pair = pairFor(modelId) ?? pairFor(basename(source)) ?? { from: '', to: [] };
    try {
      const langs = await languageTokens(staging, await modelFiles(staging));
      const record: InstallRecord = { id: modelId, from: pair.from, to: langs.length ? langs : pair.to, revision: 'local', source, installedAt: new Date().toISOString() };
      // The copy is what gets installed, so the copy is what is checked.
      await this.verify(staging, dir, record);
      return await this.install(modelId, staging, record);
    } catch (e) {
      await rm(staging, { recursive: true, force: true });
      throw e;
    }
  }

  /** The full check (files, config, graphs load, one smoke translation); `where` names the model in errors. */
  private async verify(staging: string, where: string, record: InstallRecord): Promise<void> {
    const options: VerifyOptions = { to: record.to[0] ?? 'en' };
    if (this.verifyTimeoutMs) options.timeoutMs = this.verifyTimeoutMs;
    await verifyModel(staging, where, options);
  }

  async remove(id: string): Promise<void> {
    if (Object.values(BUNDLED).includes(id)) throw new ParlaError('BAD_INPUT', `${id} is bundled with Parla and cannot be removed`);
    if (!isModelId(id) || !(await isDir(this.dirOf(id)))) throw new ParlaError('NOT_FOUND', `model "${id.slice(0, 100)}" is not installed`);
    const trash = join(this.root, '.trash', randomUUID());
    await mkdir(join(this.root, '.trash'), { recursive: true });
    await rename(this.dirOf(id), trash);
    this.listed = undefined;
    await rm(trash, { recursive: true, force: true });
  }

  /** `<models>/<org>/<name>` for an id, proven inside the models folder (an id is input). */
  private dirOf(id: string): string {
    const [org = '', name = '', ...rest] = id.split('/');
    if (rest.length) throw new ParlaError('BAD_INPUT', `"${id}" is not a model id like Xenova/opus-mt-en-de`);
    return inside(this.root, org, name);
  }

  /** Writes the record, then swaps the staging folder in; the old model is moved away only after. */
  private async install(id: string, staging: string, record: InstallRecord): Promise<ModelInfo> {
    await writeFile(join(staging, RECORD_FILE), JSON.stringify(record, null, 2));
    const target = this.dirOf(id);
    await mkdir(join(this.root, id.split('/')[0]!), { recursive: true });
    let old: string | undefined;
    if (await isDir(target)) {
      old = join(this.root, '.trash', randomUUID());
      await mkdir(join(this.root, '.trash'), { recursive: true });
      await rename(target, old);
    }
    try {
      await rename(staging, target);
    } catch (e) {
      if (old) await rename(old, target);
      throw e;
    }
    this.listed = undefined;
    if (old) await rm(old, { recursive: true, force: true });
    const info = await describeModel(id, target, false, this.checks);
    if (!info) throw new ParlaError('MODEL_INVALID', `installed ${id} but cannot read it back`);
    return info;
  }
}

/** The model, unless it failed its checks: then an error saying what is wrong and what to do. */
function usable(model: ModelInfo): ModelInfo {
  if (!model.problem) return model;
  const fix = model.bundled ? 'reinstall Parla' : `run: parla models remove ${model.id}, then install it again`;
  throw new ParlaError('MODEL_INVALID', `model ${model.id} is broken (${model.problem}); ${fix}`);
}

async function safeReaddir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** What to run for a missing pair: a catalog id when one is published, else where to look. */
export function downloadHint(from: string, to: string): string {
  const model = catalogModelFor(from, to);
  if (model) return `run: parla models download ${model.id}`;
  return `Parla's catalog has no OPUS-MT model for ${from}→${to}; see parla models search ${to}, or import a Marian ONNX folder with parla models import DIR`;
}
