// Reading what a model folder is: its language pair, size, quantized files, and the
// `parla.json` record Parla writes when it installs one.
import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jsonFileLimit, pairFromModelName, selectOnnxFiles } from '../../shared/model-layout.js';
import type { ModelInfo } from '../../shared/translation.js';
import { modelFiles, modelProblem, readModelJson, type ModelCheckRecords, type ModelFile } from './model-check.js';

export interface InstallRecord {
  id: string;
  from: string;
  to: string[];
  revision: string;
  source: string;
  installedAt: string;
}

export const RECORD_FILE = 'parla.json';

/** Target-language tokens (`>>es<<`) of a multilingual tokenizer, as language codes. */
export async function languageTokens(dir: string, files: readonly ModelFile[]): Promise<string[]> {
  const json = (await readModelJson(dir, files, 'tokenizer.json', dir)) as { model?: { vocab?: unknown }; added_tokens?: { content: string }[] };
  const vocab = json.model?.vocab;
  const names = Array.isArray(vocab) ? vocab.map((v) => (Array.isArray(v) ? String(v[0]) : '')) : Object.keys(vocab ?? {});
  for (const t of json.added_tokens ?? []) names.push(t.content);
  return [...new Set(names.map((n) => /^>>([A-Za-z_]+)<<$/.exec(n)?.[1]).filter((x): x is string => !!x))];
}

export async function readRecord(dir: string, files: readonly ModelFile[]): Promise<InstallRecord | undefined> {
  const file = files.find((f) => f.path === RECORD_FILE);
  if (!file || file.size > jsonFileLimit(RECORD_FILE)) return undefined;
  try {
    const record = JSON.parse(await readFile(join(dir, RECORD_FILE), 'utf8')) as Partial<InstallRecord>;
    const valid = typeof record.from === 'string' && Array.isArray(record.to) && record.to.every((t) => typeof t === 'string') && typeof record.revision === 'string';
    return valid ? (record as InstallRecord) : undefined;
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

/**
 * A model folder as the store lists it; undefined when `dir` is not a folder. A folder that
 * fails the checks (files missing or cut short, config out of range) is still listed, with its
 * `problem`: it is reported and never routed to.
 */
export async function describeModel(id: string, dir: string, bundled: boolean, checks?: ModelCheckRecords): Promise<ModelInfo | undefined> {
  let files: ModelFile[];
  try {
    files = await modelFiles(dir);
  } catch {
    return undefined;
  }
  const problem = await modelProblem(dir, files, checks);
  const record = await readRecord(dir, files);
  const pair = pairFor(id, record) ?? { from: '', to: [] };
  return {
    id,
    from: pair.from,
    to: pair.to,
    dir,
    bundled,
    sizeBytes: files.reduce((s, f) => s + f.size, 0),
    revision: record?.revision && record.revision !== 'local' ? record.revision : await contentRevision(dir, files),
    hasQuantized: !!selectOnnxFiles(files.map((f) => f.path), true),
    ...(problem ? { problem } : {}),
  };
}

/**
 * A revision for models that have none from a hub (bundled, imported): changes whenever a file
 * changes, so cached translations of older weights stop matching. Reads only each file's size
 * and first 64 KiB, which differ between any two trainings.
 */
async function contentRevision(dir: string, files: readonly ModelFile[]): Promise<string> {
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
