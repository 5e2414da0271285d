// Reading what a model folder is: its language pair, size, quantized files, and the
// `parla.json` record Parla writes when it installs one.
import { createHash } from 'node:crypto';
import { open, readFile, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ParlaError } from '../../shared/errors.js';
import { REQUIRED_JSON_FILES, pairFromModelName, selectOnnxFiles } from '../../shared/model-layout.js';
import type { ModelInfo } from '../../shared/translation.js';

export interface InstallRecord {
  id: string;
  from: string;
  to: string[];
  revision: string;
  source: string;
  installedAt: string;
}

export const RECORD_FILE = 'parla.json';

export async function listFilesRecursive(dir: string, root = dir): Promise<{ path: string; size: number }[]> {
  const out: { path: string; size: number }[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFilesRecursive(full, root)));
    else if (e.isFile()) out.push({ path: relative(root, full).split('\\').join('/'), size: (await stat(full)).size });
  }
  return out;
}

/** Throws MODEL_INVALID naming what is missing; returns the folder's files otherwise. */
export async function validateModelDir(dir: string): Promise<{ path: string; size: number }[]> {
  let files: { path: string; size: number }[];
  try {
    files = await listFilesRecursive(dir);
  } catch {
    throw new ParlaError('MODEL_INVALID', `not a folder: ${dir}`);
  }
  const paths = files.map((f) => f.path);
  const missing = REQUIRED_JSON_FILES.filter((f) => !paths.includes(f));
  if (missing.length) throw new ParlaError('MODEL_INVALID', `${dir} is not a model folder: missing ${missing.join(', ')}`);
  if (!selectOnnxFiles(paths)) {
    throw new ParlaError('MODEL_INVALID', `${dir} is not a model folder: needs onnx/encoder_model.onnx and onnx/decoder_model_merged.onnx (or decoder_model + decoder_with_past_model)`);
  }
  return files;
}

/** Target-language tokens (`>>es<<`) of a multilingual tokenizer, as language codes. */
export async function languageTokens(dir: string): Promise<string[]> {
  const json = JSON.parse(await readFile(join(dir, 'tokenizer.json'), 'utf8')) as { model?: { vocab?: unknown }; added_tokens?: { content: string }[] };
  const vocab = json.model?.vocab;
  const names = Array.isArray(vocab) ? vocab.map((v) => (Array.isArray(v) ? String(v[0]) : '')) : Object.keys(vocab ?? {});
  for (const t of json.added_tokens ?? []) names.push(t.content);
  return [...new Set(names.map((n) => /^>>([A-Za-z_]+)<<$/.exec(n)?.[1]).filter((x): x is string => !!x))];
}

export async function readRecord(dir: string): Promise<InstallRecord | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, RECORD_FILE), 'utf8')) as InstallRecord;
  } catch {
    return undefined;
  }
}

/** Pair from parla.json, else from the name (`opus-mt-en-es`, `tiny-en-es`). */
export function pairFor(id: string, record?: InstallRecord): { from: string; to: string[] } | undefined {
  if (record) return { from: record.from, to: record.to };
  const name = id.split('/').pop() ?? id;
  const fromName = pairFromModelName(name);
  if (fromName) return fromName;
  const tail = /([a-z]{2,3})-([a-z]{2,3})$/.exec(name);
  return tail ? { from: tail[1]!, to: [tail[2]!] } : undefined;
}

export async function describeModel(id: string, dir: string, bundled: boolean): Promise<ModelInfo | undefined> {
  let files: { path: string; size: number }[];
  try {
    files = await validateModelDir(dir);
  } catch {
    return undefined;
  }
  const record = await readRecord(dir);
  const pair = pairFor(id, record);
  if (!pair) return undefined;
  return {
    id,
    from: pair.from,
    to: pair.to,
    dir,
    bundled,
    sizeBytes: files.reduce((s, f) => s + f.size, 0),
    revision: record?.revision && record.revision !== 'local' ? record.revision : await contentRevision(dir, files),
    hasQuantized: !!selectOnnxFiles(files.map((f) => f.path), true),
  };
}

/**
 * A revision for models that have none from a hub (bundled, imported): changes whenever a file
 * changes, so cached translations of older weights stop matching. Reads only each file's size
 * and first 64 KiB, which differ between any two trainings.
 */
async function contentRevision(dir: string, files: { path: string; size: number }[]): Promise<string> {
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    if (f.path === RECORD_FILE) continue;
    hash.update(`${f.path}\0${f.size}\0`);
    const handle = await open(join(dir, f.path), 'r');
    try {
      const head = Buffer.alloc(Math.min(f.size, 64 * 1024));
      await handle.read(head, 0, head.length, 0);
      hash.update(head);
    } finally {
      await handle.close();
    }
  }
  return `content-${hash.digest('hex').slice(0, 16)}`;
}
