// Downloading a model from a Hugging Face Hub-compatible endpoint: list the repo, fetch only
// the files Parla needs, resume cut transfers with HTTP Range, verify sha256 (LFS files) or
// size, then install by renaming a finished staging folder into place.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ParlaError } from '../../shared/errors.js';
import { filesToFetch } from '../../shared/model-layout.js';
import type { ModelDownloadSizes } from '../../shared/translation.js';

export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

export interface HubEntry {
  type: string;
  path: string;
  size: number;
  oid?: string;
  lfs?: { oid: string; size: number };
}

export interface DownloadProgress {
  file: string;
  fileBytes: number;
  fileTotal: number;
  /** Bytes done and expected across all files of the model. */
  bytes: number;
  total: number;
}

export interface DownloadOptions {
  endpoint?: string;
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Attempts per file when a transfer is cut (each resumes where the last stopped). */
  attempts?: number;
  /** Fetch the int8 `*_quantized.onnx` graphs only (about a quarter of the fp32 bytes). */
  quantized?: boolean;
}

/** A file's size: an LFS file's own, not its pointer's. */
const entryBytes = (e: HubEntry) => e.lfs?.size ?? e.size;

function isHubEntry(v: unknown): v is HubEntry {
  const e = v as HubEntry;
  return !!e && typeof e.path === 'string' && typeof e.type === 'string';
}

export async function listHubFiles(endpoint: string, id: string, signal?: AbortSignal): Promise<HubEntry[]> {
  const url = `${endpoint}/api/models/${id}/tree/main?recursive=true`;
  let res: Response;
  try {
    res = await fetch(url, { signal });
  } catch (e) {
    throw new ParlaError('DOWNLOAD_FAILED', `cannot reach ${endpoint} (${(e as Error).message}); check your connection or PARLA_HUB_ENDPOINT`);
  }
  if (res.status === 404 || res.status === 401) throw new ParlaError('NOT_FOUND', `no model "${id}" on ${endpoint}`);
  if (!res.ok) throw new ParlaError('DOWNLOAD_FAILED', `listing ${id} on ${endpoint} failed: HTTP ${res.status}`);
  const body: unknown = await res.json();
  if (!Array.isArray(body)) throw new ParlaError('DOWNLOAD_FAILED', `unexpected listing for ${id} from ${endpoint}`);
  return body.filter(isHubEntry).filter((e) => e.type === 'file');
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

async function verify(path: string, entry: HubEntry): Promise<boolean> {
  const expected = entryBytes(entry);
  if ((await sizeOf(path)) !== expected) return false;
  return entry.lfs ? (await sha256File(path)) === entry.lfs.oid : true;
}

/** One file into `dest`, through `dest.partial`; resumes a partial left by an earlier cut. */
async function downloadFile(
  url: string,
  dest: string,
  entry: HubEntry,
  options: DownloadOptions,
  report: (fileBytes: number) => void,
): Promise<void> {
  if (await verify(dest, entry)) return report(entryBytes(entry));
  await mkdir(dirname(dest), { recursive: true });
  const partial = `${dest}.partial`;
  const total = entryBytes(entry);
  const attempts = options.attempts ?? 5;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    let have = (await sizeOf(partial)) ?? 0;
    if (have > total) {
      await rm(partial, { force: true });
      have = 0;
    }
    if (have < total || total === 0) {
      try {
        const res = await fetch(url, { signal: options.signal, headers: have ? { Range: `bytes=${have}-` } : {} });
        if (!res.ok || !res.body) throw new ParlaError('DOWNLOAD_FAILED', `GET ${url}: HTTP ${res.status}`);
        // A server that ignores Range answers 200 with the whole file: start over.
        if (have && res.status !== 206) have = 0;
        const fh = await open(partial, have ? 'a' : 'w');
        try {
          // Node's web streams are async iterable; the cast keeps that true in every compilation
          // (the DOM lib that a test dependency's types pull in declares no iterator).
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
            await fh.write(chunk);
            have += chunk.byteLength;
            report(have);
          }
        } finally {
          await fh.close();
        }
      } catch (e) {
        if (options.signal?.aborted) throw new ParlaError('CANCELED', 'download canceled');
        if (e instanceof ParlaError && !/HTTP 5\d\d/.test(e.message)) throw e;
        lastError = e;
        continue;
      }
    }
    if (await verify(partial, entry)) {
      await rename(partial, dest);
      return;
    }
    await rm(partial, { force: true });
    throw new ParlaError('INTEGRITY', `${entry.path} failed its ${entry.lfs ? 'sha256' : 'size'} check; the download was discarded, try again`);
  }
  throw new ParlaError('DOWNLOAD_FAILED', `${entry.path}: transfer kept failing (${(lastError as Error)?.message ?? 'unknown error'})`);
}

function hubEndpoint(endpoint?: string): string {
  // Every door (CLI, app, HTTP) honours PARLA_HUB_ENDPOINT: a mirror or a company proxy.
  return (endpoint ?? (process.env.PARLA_HUB_ENDPOINT || DEFAULT_HUB_ENDPOINT)).replace(/\/+$/, '');
}

/**
 * What a full and an int8-only download of `id` would fetch, from its listing (the same choice
 * of files downloadToStaging makes). MODEL_INVALID when the repo is not a model Parla can run.
 */
export async function hubDownloadSizes(id: string, options: Pick<DownloadOptions, 'endpoint' | 'signal'> = {}): Promise<ModelDownloadSizes> {
  const entries = await listHubFiles(hubEndpoint(options.endpoint), id, options.signal);
  const paths = entries.map((e) => e.path);
  const bytesOf = (wanted: string[]) => entries.filter((e) => wanted.includes(e.path)).reduce((s, e) => s + entryBytes(e), 0);
  const full = filesToFetch(paths);
  if (!full) throw new ParlaError('MODEL_INVALID', `${id} is not an ONNX Marian model (needs config/tokenizer files and onnx/encoder_model.onnx + decoder)`);
  const int8 = filesToFetch(paths, true);
  return { id, fullBytes: bytesOf(full), ...(int8 ? { int8Bytes: bytesOf(int8) } : {}) };
}

/**
 * Downloads model `id` into `staging` (kept across runs so a later call resumes) and returns
 * the Hub entries fetched. Installing (the rename into place) is the caller's job.
 */
export async function downloadToStaging(id: string, staging: string, options: DownloadOptions = {}): Promise<HubEntry[]> {
  const endpoint = hubEndpoint(options.endpoint);
  const entries = await listHubFiles(endpoint, id, options.signal);
  const paths = entries.map((e) => e.path);
  const wanted = filesToFetch(paths, options.quantized);
  if (!wanted && options.quantized && filesToFetch(paths)) {
    throw new ParlaError('NOT_FOUND', `${id} offers no quantized (int8) graphs; download it without --quantized`);
  }
  if (!wanted) {
    throw new ParlaError('MODEL_INVALID', `${id} is not an ONNX Marian model (needs config/tokenizer files and onnx/encoder_model.onnx + decoder)`);
  }
  const chosen = entries.filter((e) => wanted.includes(e.path));
  const total = chosen.reduce((s, e) => s + entryBytes(e), 0);
  let before = 0;
  for (const entry of chosen) {
    const fileTotal = entryBytes(entry);
    const url = `${endpoint}/${id}/resolve/main/${entry.path.split('/').map(encodeURIComponent).join('/')}`;
    await downloadFile(url, join(staging, entry.path), entry, options, (fileBytes) =>
      options.onProgress?.({ file: entry.path, fileBytes, fileTotal, bytes: before + fileBytes, total }),
    );
    before += fileTotal;
  }
  return chosen;
}
