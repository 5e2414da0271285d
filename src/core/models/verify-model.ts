// The full check a model passes before it is installed: the cheap file and config checks
// (model-check.ts), then, in a short-lived child process, loading every ONNX graph and one
// smoke translation. The child has a deadline and is killed past it, so a model that makes
// onnxruntime hang or grow without end costs the caller that deadline, not its process.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ParlaError } from '../../shared/errors.js';
import { packageRoot } from '../paths.js';
import { checkModelFiles, modelFiles } from './model-check.js';

export function verifyEntry(): string {
  return join(packageRoot(), 'dist', 'workers', 'host', 'verify-model.js');
}

export interface VerifyOptions {
  /** Target language for the smoke translation (a multilingual model needs one it knows). */
  to: string;
  /** How long loading and the smoke translation may take (a big model loads in seconds). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;
/** The child's answer is one short JSON line; anything longer is not from it. */
const MAX_OUTPUT = 64 * 1024;

/** Throws MODEL_INVALID (one line, starting with `where`) unless the model in `dir` loads and translates. */
export async function verifyModel(dir: string, where: string, options: VerifyOptions): Promise<void> {
  await checkModelFiles(dir, await modelFiles(dir), where);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const child = spawn(process.execPath, [verifyEntry(), dir, options.to], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Inside Electron, execPath is the Electron binary: run it as plain Node.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout = (stdout + d).slice(-MAX_OUTPUT)));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-MAX_OUTPUT)));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  }).finally(() => clearTimeout(timer));
  if (timedOut) throw new ParlaError('MODEL_INVALID', `${where}: did not load and translate within ${Math.round(timeoutMs / 1000)} s`);
  const answer = parseAnswer(stdout);
  if (answer?.ok) return;
  if (answer?.error) {
    // The child names the staging folder; the person knows the model by `where`.
    const message = answer.error.message.split(dir).join(where);
    throw new ParlaError('MODEL_INVALID', message.startsWith(where) ? message : `${where}: ${message}`);
  }
  const why = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const last = stderr.trim().split('\n').at(-1)?.slice(0, 200);
  throw new ParlaError('MODEL_INVALID', `${where}: loading it crashed onnxruntime (the check ${why}${last ? `: ${last}` : ''})`);
}

function parseAnswer(stdout: string): { ok: boolean; error?: { message: string } } | undefined {
  const line = stdout.trim().split('\n').at(-1);
  if (!line) return undefined;
  try {
    const value = JSON.parse(line) as { ok?: unknown; error?: { message?: unknown } };
    if (value.ok === true) return { ok: true };
    if (value.ok === false && typeof value.error?.message === 'string') return { ok: false, error: { message: value.error.message } };
  } catch {
    // not the child's answer
  }
  return undefined;
}
