// Batch benchmark (`npm run bench:batch`).
//   1. 1,000 rows with 40% repeats: a sequential one-call-per-row loop vs `parla batch`.
//   2. Cache-hit latency vs model latency for one text.
//   3. Peak RSS of `parla batch` on a 1,000,000-row CSV where only the first 1,000 texts are new
//      (everything after them is a cache hit or a repeat).
// --engine real (default when dist/cli/main.js exists): the real engine through `bin/parla.js`
//   and `openServices()`. --engine fake: the local-state layer alone with a simulated model
//   (FAKE_MS_PER_CALL + FAKE_MS_PER_TEXT), for measuring queue/cache/sheet overhead.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const engine = opt('engine', existsSync(join(root, 'dist/cli/main.js')) ? 'real' : 'fake');
const to = opt('to', 'es');
const from = opt('from', 'en');
const bigRows = Number(opt('rows', '1000000'));
const FAKE_MS_PER_CALL = Number(process.env.FAKE_MS_PER_CALL ?? 20);
const FAKE_MS_PER_TEXT = Number(process.env.FAKE_MS_PER_TEXT ?? 2);

const sentence = (i) => `Sentence number ${i} about the weather and a short trip to town.`;

/** 1,000 rows, 600 distinct texts: rows 600..999 repeat earlier ones. */
function thousandRows() {
  return Array.from({ length: 1000 }, (_, i) => sentence(i < 600 ? i : (i * 7) % 600));
}

async function writeCsv(file, n, textOf) {
  const out = createWriteStream(file);
  out.write('id,text\n');
  for (let i = 0; i < n; i++) {
    if (!out.write(`${i},"${textOf(i)}"\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function fakeModel() {
  let texts = 0;
  return {
    get texts() {
      return texts;
    },
    async translate(req) {
      await new Promise((r) => setTimeout(r, FAKE_MS_PER_CALL + FAKE_MS_PER_TEXT * req.texts.length));
      texts += req.texts.length;
      return req.texts.map((t) => ({ source: t, text: `[${req.to}] ${t}`, model: 'fake', cached: false, ms: 0 }));
    },
  };
}

/** Runs `parla batch` in a child process; reports wall time and peak RSS (VmHWM). */
async function parlaBatch(file, dataDir, extraEnv = {}) {
  const started = performance.now();
  const child =
    engine === 'real'
      ? spawn(process.execPath, [join(root, 'bin/parla.js'), 'batch', file, '--to', to, '--from', from, '--json', '--force', '--data-dir', dataDir], {
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : spawn(process.execPath, [fileURLToPath(import.meta.url), '--child-batch', file, '--data-dir', dataDir], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, ...extraEnv },
        });
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {}
  }, 100);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const [code] = await once(child, 'exit');
  clearInterval(poll);
  if (code !== 0) throw new Error(`parla batch exited ${code}: ${stderr.slice(-2000)}`);
  const job = JSON.parse(stdout.slice(stdout.indexOf('{')));
  return { ms: performance.now() - started, peakMb: peakKb / 1024, job };
}

/** Child mode for --engine fake: the CLI batch command over local state with the fake model. */
async function childBatch() {
  const file = args[1];
  const dataDir = opt('data-dir');
  const { batchCommand } = await import(join(root, 'dist/cli/commands/batch.js'));
  const { runCommand } = await import(join(root, 'dist/cli/registry.js'));
  const model = fakeModel();
  const code = await runCommand(batchCommand, [file, '--to', to, '--from', from, '--json'], { stdin: process.stdin, stdout: process.stdout, stderr: { write: () => true, isTTY: false }, global: () => ({ dataDir, openEngine: async () => model }) });
  const peakMb = process.resourceUsage().maxRSS / 1024;
  process.stderr.write(`child maxRSS ${peakMb.toFixed(1)} MiB\n`);
  process.exitCode = code;
}

async function openEngineInProcess(dataDir) {
  if (engine === 'fake') {
    const { openLocalState } = await import(join(root, 'dist/core/state.js'));
    const model = fakeModel();
    const state = openLocalState({ dataDir, openEngine: async () => model });
    return { translator: state.translator, close: () => state.close() };
  }
  const { openServices } = await import(join(root, 'dist/core/services.js'));
  const services = await openServices({ dataDir });
  return { translator: services.translator, close: () => services.close() };
}

/** The seed's "before": the engine alone, one call per row: no cache, no dedupe, no history. */
async function openBareEngine(dataDir) {
  if (engine === 'fake') return openEngineInProcess(dataDir);
  const { openEngine } = await import(join(root, 'dist/core/services.js'));
  const bare = openEngine({ dataDir });
  return { translator: bare, close: () => bare.close() };
}

async function main() {
  if (args[0] === '--child-batch') return childBatch();
  const dir = mkdtempSync(join(tmpdir(), 'parla-bench-'));
  const results = { engine };
  try {
    // 1. Sequential loop vs parla batch on 1,000 rows with 40% repeats.
    const rows = thousandRows();
    const small = join(dir, 'thousand.csv');
    await writeCsv(small, rows.length, (i) => rows[i]);
    // Two `parla batch` runs (fresh data dirs) bracket the sequential loop, so load from other
    // processes that drifts during the run hits both sides alike; the batch time is their mean.
    const batch = await parlaBatch(small, join(dir, 'batch'));
    const seqDir = join(dir, 'seq');
    const seq = await openBareEngine(seqDir);
    let t = performance.now();
    for (const text of rows) await seq.translator.translate({ texts: [text], to, from });
    results.sequentialMs = Math.round(performance.now() - t);
    await seq.close();
    const batchAgain = await parlaBatch(small, join(dir, 'batch-again'));
    results.batchRunsMs = [Math.round(batch.ms), Math.round(batchAgain.ms)];
    results.batchMs = Math.round((batch.ms + batchAgain.ms) / 2);
    results.batchModelCalls = batch.job.progress.modelCalls;
    results.speedup = +(results.sequentialMs / results.batchMs).toFixed(2);

    // 2. Cache-hit latency vs model latency (same data dir as the batch: its texts are cached).
    const warm = await openEngineInProcess(join(dir, 'batch'));
    const hit = [];
    const miss = [];
    // Misses first, then hits in a loop of their own: a hit measured right after a model call
    // mostly measures the cold CPU caches the model left behind.
    for (let i = 0; i < 50; i++) {
      t = performance.now();
      await warm.translator.translate({ texts: [`${rows[i]} (${i})`], to, from, noCache: true });
      miss.push(performance.now() - t);
    }
    for (let i = 0; i < 500; i++) {
      t = performance.now();
      await warm.translator.translate({ texts: [rows[i % 100]], to, from });
      hit.push(performance.now() - t);
    }
    await warm.close();
    const p50 = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    results.cacheHitP50Ms = +p50(hit).toFixed(3);
    results.modelP50Ms = +p50(miss).toFixed(1);

    // 3. Peak RSS on a big CSV: the first 1,000 texts are new, the rest repeat them.
    const big = join(dir, 'big.csv');
    await writeCsv(big, bigRows, (i) => sentence(i % 1000));
    const bigRun = await parlaBatch(big, join(dir, 'big'));
    results.bigRows = bigRows;
    results.bigMs = Math.round(bigRun.ms);
    results.bigPeakRssMb = Math.round(bigRun.peakMb);
    results.bigModelCalls = bigRun.job.progress.modelCalls;
    results.cacheHitSpeedup = +(results.modelP50Ms / results.cacheHitP50Ms).toFixed(1);
    console.log(JSON.stringify(results, null, 2));
    writeResults(results);
  } finally {
    if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}

await main();

function writeResults(r) {
  const out = join(root, 'bench/results');
  mkdirSync(out, { recursive: true });
  const stamp = new Date().toISOString();
  writeFileSync(join(out, 'batch.json'), JSON.stringify({ at: stamp, ...r }, null, 2) + '\n');
  const md = `# Batch benchmark

${stamp} · engine ${r.engine} · ${os.availableParallelism()} CPUs · Node ${process.version}

| measure | result | goal |
|---|---:|---:|
| 1,000 rows, 40 % repeats: sequential one call per row (bare engine, no cache) | ${(r.sequentialMs / 1000).toFixed(1)} s | |
| same rows, \`parla batch\` (process start included; mean of runs before and after the loop: ${r.batchRunsMs.map((x) => (x / 1000).toFixed(1)).join(', ')} s) | ${(r.batchMs / 1000).toFixed(1)} s | |
| speed-up | **${r.speedup}×** | ≥ 10× |
| model calls in the batch (unique uncached texts: 600) | ${r.batchModelCalls} | 600 |
| cache hit p50, in-process, through the door translator | ${r.cacheHitP50Ms} ms | ≤ 1 ms |
| model translation p50 (one sentence) | ${r.modelP50Ms} ms | |
| cache hit vs model | **${r.cacheHitSpeedup}×** | ≥ 100× |
| ${r.bigRows.toLocaleString('en')}-row CSV (1,000 distinct texts): time | ${(r.bigMs / 1000).toFixed(1)} s | |
| same: peak RSS of the \`parla batch\` process | **${r.bigPeakRssMb} MB** | ≤ 300 MB |
| same: model calls | ${r.bigModelCalls} | 1,000 |
`;
  writeFileSync(join(out, 'batch.md'), md);
}
