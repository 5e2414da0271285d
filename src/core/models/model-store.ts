// Installed models: `<dataDir>/models/<org>/<name>/` plus the bundled ones under the package's
// resources/models/. Lists, installs (download or import, always atomically), removes, and
// routes a language pair to the best installed model.
import { randomUUID } from 'node:crypto';
import { cp, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ParlaError } from '../../shared/errors.js';
import type { ModelInfo } from '../../shared/translation.js';
import { bundledModelsDir, modelsDir } from '../paths.js';
import { inside } from '../safe-path.js';
import { downloadToStaging, type DownloadOptions } from './hub-download.js';
import { RECORD_FILE, describeModel, languageTokens, pairFor, validateModelDir, type InstallRecord } from './model-info.js';

/** The bundled default: folder name under resources/models/ → model id. */
const BUNDLED: Record<string, string> = { 'parla-tiny-en-es': 'parla/tiny-en-es' };
export const FALLBACK_MODEL = 'parla/tiny-en-es';

const ID = /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/;

export interface ModelStoreOptions {
  /** Overrides the package's resources/models (tests). */
  bundledDir?: string;
}

/** How long a folder scan answers list() before the next one. */
const LIST_MEMO_MS = 2000;

export class ModelStore {
  readonly root: string;
  private readonly bundledDir: string;

  constructor(
    readonly dataDir: string,
    options: ModelStoreOptions = {},
  ) {
    this.root = modelsDir(dataDir);
    this.bundledDir = options.bundledDir ?? bundledModelsDir();
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
    for (const [folder, id] of Object.entries(BUNDLED)) {
      const info = await describeModel(id, join(this.bundledDir, folder), true);
      if (info) out.push(info);
    }
    for (const org of await safeReaddir(this.root)) {
      if (org.startsWith('.')) continue;
      for (const name of await safeReaddir(join(this.root, org))) {
        if (name.startsWith('.')) continue;
        const info = await describeModel(`${org}/${name}`, join(this.root, org, name), false);
        if (info) out.push(info);
      }
    }
    return out;
  }

  /** A model by id, or a folder path (anything with a path separator that exists). */
  async resolve(idOrDir: string): Promise<ModelInfo> {
    const models = await this.list();
    const byId = models.find((m) => m.id === idOrDir);
    if (byId) return byId;
    if (await isDir(idOrDir)) {
      const dir = resolve(idOrDir);
      await validateModelDir(dir);
      const info = await describeModel(basename(dir), dir, false);
      // A folder whose name says no pair still translates; the caller's --to decides.
      return info ?? { id: dir, from: '', to: [], dir, bundled: false, sizeBytes: 0, revision: 'local', hasQuantized: false };
    }
    throw new ParlaError('NOT_FOUND', `model "${idOrDir}" is not installed; run: parla models download ${idOrDir}`);
  }

  /** The model a request names (id or folder), else the best installed one for its pair. */
  forRequest(request: { model?: string; from?: string; to: string }): Promise<ModelInfo> {
    return request.model ? this.resolve(request.model) : this.route(request.from, request.to);
  }

  /** The best installed model for from→to: downloaded before bundled, exact pairs only. */
  async route(from: string | undefined, to: string): Promise<ModelInfo> {
    const source = from ?? 'en';
    const models = await this.list();
    const fits = models.filter((m) => m.from === source && m.to.includes(to));
    fits.sort((a, b) => Number(a.bundled) - Number(b.bundled) || Number(b.id.includes('opus-mt')) - Number(a.id.includes('opus-mt')));
    if (fits[0]) return fits[0];
    throw new ParlaError('UNKNOWN_PAIR', `no model for ${source}→${to}; run: parla models download Xenova/opus-mt-${source}-${to}`);
  }

  async download(id: string, options: DownloadOptions = {}): Promise<ModelInfo> {
    if (!ID.test(id)) throw new ParlaError('BAD_INPUT', `"${id}" is not a model id like Xenova/opus-mt-en-de`);
    // Stable staging name so an interrupted download resumes on the next call.
    const staging = inside(this.root, '.incoming', id.replace('/', '--'));
    await downloadToStaging(id, staging, options);
    const pair = pairFor(id) ?? { from: '', to: [] };
    const langs = await languageTokens(staging);
    return this.install(id, staging, { id, from: pair.from, to: langs.length ? langs : pair.to, revision: 'main', source: 'hub', installedAt: new Date().toISOString() });
  }

  /** Copies a local model folder in as `local/<folder name>` (or `id` when given). */
  async import(dir: string, id?: string): Promise<ModelInfo> {
    await validateModelDir(dir);
    const modelId = id ?? `local/${basename(resolve(dir))}`;
    if (!ID.test(modelId)) throw new ParlaError('BAD_INPUT', `cannot derive a model id from ${dir}; pass one`);
    const staging = join(this.root, '.incoming', `${modelId.replace('/', '--')}-${randomUUID()}`);
    await mkdir(join(this.root, '.incoming'), { recursive: true });
    try {
      await cp(dir, staging, { recursive: true });
    } catch (e) {
      await rm(staging, { recursive: true, force: true });
      throw new ParlaError('BAD_FILE', `cannot copy ${dir}: ${(e as Error).message}`);
    }
    const pair = pairFor(modelId) ?? pairFor(basename(resolve(dir))) ?? { from: '', to: [] };
    const langs = await languageTokens(staging);
    return this.install(modelId, staging, { id: modelId, from: pair.from, to: langs.length ? langs : pair.to, revision: 'local', source: resolve(dir), installedAt: new Date().toISOString() });
  }

  async remove(id: string): Promise<void> {
    if (Object.values(BUNDLED).includes(id)) throw new ParlaError('BAD_INPUT', `${id} is bundled with Parla and cannot be removed`);
    if (!ID.test(id) || !(await isDir(this.dirOf(id)))) throw new ParlaError('NOT_FOUND', `model "${id}" is not installed`);
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
    const info = await describeModel(id, target, false);
    if (!info) throw new ParlaError('MODEL_INVALID', `installed ${id} but cannot read it back`);
    return info;
  }
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
