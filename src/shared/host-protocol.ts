// The model-host protocol: every message between a client (CLI, server, Electron main) and the
// model host. One `HostApi` map gives both ends their types; messages are a discriminated union
// with a sequence id so replies, timeouts and cancellation can be matched to calls.
import type { ErrorInfo } from './errors.js';
import type { DecodeOptions } from './translation.js';

export interface HostTranslateParams {
  /** The model's id (for stats and results) and its resolved folder (what the host loads). */
  modelId: string;
  modelDir: string;
  texts: string[];
  to: string;
  from?: string;
  options?: DecodeOptions;
}

export interface HostTranslation {
  text: string;
  alternatives?: { text: string; score: number }[];
  /** Mean log-probability per output token (the model's own score); see Translation.confidence. */
  score?: number;
  truncated?: boolean;
}

export interface LoadedModelStats {
  modelId: string;
  modelDir: string;
  quantized: boolean;
  /** `loading` until its sessions are ready (a request for it waits meanwhile). */
  state: 'loading' | 'ready';
  lastUsedMs: number;
  /** Decoding lanes (worker threads with their own sessions) and onnxruntime threads in each; absent while loading. */
  lanes?: number;
  threadsPerLane?: number;
  /** Its memory as the host measured it (see ModelInfo.memory); absent until known. */
  memoryBytes?: number;
}

export interface HostStats {
  pid: number;
  clients: number;
  modelsLoaded: LoadedModelStats[];
  /** Model loads since the host started (a second client reusing a model does not add one). */
  loadCount: number;
  /** Batches run and texts translated since start (a batch may serve several clients). */
  batches: number;
  texts: number;
  rssBytes: number;
  uptimeMs: number;
}

export interface HostApi {
  translate: { params: HostTranslateParams; result: HostTranslation[] };
  stats: { params: Record<string, never>; result: HostStats };
  /** Stop accepting work, finish pending calls, then exit. */
  shutdown: { params: Record<string, never>; result: { ok: true } };
}

export type HostMethod = keyof HostApi;

export type HostRequest = {
  [M in HostMethod]: { kind: 'request'; seq: number; method: M; params: HostApi[M]['params'] };
}[HostMethod];

export interface HostCancel {
  kind: 'cancel';
  seq: number;
  /** The seq of the request to cancel. */
  target: number;
}

export type ClientMessage = HostRequest | HostCancel;

/*
 * The handshake: both ends prove they know the data dir's secret (`host-secret`, readable by its
 * user only) before a text crosses the socket. A client that meets a host without the secret
 * (another user's process on the socket) sends it nothing; a host drops a client without it.
 *   client → host  ClientHello { nonce: Nc }
 *   host → client  HostHello   { pid, nonce: Nh, proof: HMAC(secret, host|Nc|Nh) }
 *   client → host  ClientAuth  { proof: HMAC(secret, client|Nc|Nh) }, then requests
 */

/** A client's first line: a fresh nonce the host must sign. */
export interface ClientHello {
  kind: 'hello';
  nonce: string;
}

/** The host's answer; clients trust a connection only once its proof checks out. */
export interface HostHello {
  kind: 'hello';
  pid: number;
  nonce: string;
  proof: string;
}

/** A client's second line: its own proof; only then does the host take its requests. */
export interface ClientAuth {
  kind: 'auth';
  proof: string;
}

export type HostResponse =
  | { kind: 'response'; seq: number; ok: true; result: HostApi[HostMethod]['result'] }
  | { kind: 'response'; seq: number; ok: false; error: ErrorInfo };

const METHODS: ReadonlySet<string> = new Set<HostMethod>(['translate', 'stats', 'shutdown']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Shape-checks a decoded message from a client; anything else is dropped by the host. */
export function isClientMessage(value: unknown): value is ClientMessage {
  if (!isRecord(value) || typeof value.seq !== 'number') return false;
  if (value.kind === 'cancel') return typeof value.target === 'number';
  return value.kind === 'request' && typeof value.method === 'string' && METHODS.has(value.method) && isRecord(value.params);
}

export function isHostResponse(value: unknown): value is HostResponse {
  return isRecord(value) && value.kind === 'response' && typeof value.seq === 'number' && typeof value.ok === 'boolean';
}

const NONCE = /^[A-Za-z0-9_-]{16,128}$/;

export function isClientHello(value: unknown): value is ClientHello {
  return isRecord(value) && value.kind === 'hello' && typeof value.nonce === 'string' && NONCE.test(value.nonce);
}

export function isHostHello(value: unknown): value is HostHello {
  return isRecord(value) && value.kind === 'hello' && typeof value.pid === 'number' && typeof value.nonce === 'string' && NONCE.test(value.nonce) && typeof value.proof === 'string';
}

export function isClientAuth(value: unknown): value is ClientAuth {
  return isRecord(value) && value.kind === 'auth' && typeof value.proof === 'string';
}

/*
 * The host's lifecycle when the desktop app starts it as an Electron utilityProcess: the app
 * talks to it over `process.parentPort` (messages arrive there as `{data}` events), besides the
 * socket every client uses. The host says when it serves and why it leaves, so the app can tell
 * a normal stop from a crash.
 */

/** App → host. `shutdown`: finish pending calls, unload models, exit 0. */
export type HostParentMessage = { type: 'shutdown' };

/** Why a host left normally (exit code 0); any other exit is a crash. */
export type HostExitReason = 'shutdown' | 'idle' | 'served-elsewhere';

/** Host → app. `served-elsewhere`: another host already answers on the socket; use that one. */
export type HostLifecycleMessage = { type: 'ready'; pid: number; socket: string } | { type: 'exiting'; reason: HostExitReason; socket: string };

const EXIT_REASONS: ReadonlySet<string> = new Set<HostExitReason>(['shutdown', 'idle', 'served-elsewhere']);

export function isHostParentMessage(value: unknown): value is HostParentMessage {
  return isRecord(value) && value.type === 'shutdown';
}

export function isHostLifecycleMessage(value: unknown): value is HostLifecycleMessage {
  if (!isRecord(value) || typeof value.socket !== 'string') return false;
  if (value.type === 'ready') return typeof value.pid === 'number';
  return value.type === 'exiting' && typeof value.reason === 'string' && EXIT_REASONS.has(value.reason);
}
