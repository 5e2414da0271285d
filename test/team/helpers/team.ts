// Multi-process helpers: worker processes run the compiled code (dist/), so the build is brought
// up to date first; a temp dir per test; CSV inputs.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useTmpDirs } from '../../state/helpers/tmp.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ENTRY = join(ROOT, 'test/team/fixtures/worker-entry.mjs');

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, name.name);
    t = Math.max(t, name.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Compiles src/ to dist/ when any source is newer than the compiled worker. */
export function ensureBuilt(): void {
  const out = join(ROOT, 'dist/core/team/worker.js');
  if (existsSync(out) && statSync(out).mtimeMs >= newest(join(ROOT, 'src'))) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.node.json')], { stdio: 'inherit' });
}

export function useTmp(): () => string {
  return useTmpDirs('parla-team-');
}

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves at the next stdout line matching `re`. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

export function spawnWorker(env: { url: string; team: string; dataDir: string; delayMs?: number; lockMs?: number; concurrency?: number }): WorkerProcess {
  const child = spawn(process.execPath, [ENTRY], {
    env: {
      ...process.env,
      PARLA_REDIS_URL: env.url,
      PARLA_TEAM: env.team,
      PARLA_DATA_DIR: env.dataDir,
      WORKER_DELAY_MS: String(env.delayMs ?? 0),
      WORKER_LOCK_MS: String(env.lockMs ?? 30_000),
      WORKER_CONCURRENCY: String(env.concurrency ?? 1),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters: { re: RegExp; resolve: (line: string) => void }[] = [];
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const line of d.toString().split('\n')) {
      for (const w of [...waiters]) {
        if (w.re.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    output: () => out,
    exited,
    waitFor(re, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker did not log ${re} within ${timeoutMs} ms:\n${out.slice(-2000)}`)), timeoutMs);
        waiters.push({ re, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      });
    },
  };
}

/** A CSV with `rows` rows; texts repeat every `distinct` rows (repeats are one item each). */
export function writeCsv(dir: string, rows: number, distinct = Math.ceil(rows * 0.75)): string {
  const file = join(dir, 'input.csv');
  const lines = ['id,text,note'];
  for (let i = 0; i < rows; i++) lines.push(`${i},"row ${i % distinct}, said ""hi""",n${i}`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}
