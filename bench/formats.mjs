// Format benchmark (`npm run bench:formats`): a 20,000-entry PO catalog against the same texts
// as a CSV batch (one text column; a plural entry gives two rows), through the same engine and
// `parla batch` in a child process each. Entries (rows) per second for both, the PO run's
// overhead over the CSV run (goal ≤ 10 %), and each process's peak RSS. Both files hold the same
// distinct texts, so both make the same model calls; what differs is the format's own work.
// --engine real (default when dist/ is built): the bundled model through bin/parla.js (its host
//   start included in both runs). --engine fake: a simulated model in the batch process, which
//   leaves only the format, queue and cache work.
// --entries N (20000) --unique N (distinct texts; 300 real, 2000 fake)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCsv, makePo } from '../test/fixtures/make-po.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const engine = opt('engine', existsSync(join(root, 'resources/models/parla-tiny-en-es/config.json')) ? 'real' : 'fake');
const entries = Number(opt('entries', '20000'));
const unique = Number(opt('unique', engine === 'real' ? '300' : '2000'));
const FAKE_MS_PER_CALL = 20;
const FAKE_MS_PER_TEXT = 2;

/** `parla batch FILE` in a child process: wall time, peak RSS (VmHWM, polled), the job record. */
async function parlaBatch(file, dataDir) {
  const batchArgs = [file, '--to', 'es', '--from', 'en', '--json', '--data-dir', dataDir];
  const child =
    engine === 'real'
      ? spawn(process.execPath, [join(root, 'bin/parla.js'), 'batch', ...batchArgs], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, [fileURLToPath(import.meta.url), '--child-batch', ...batchArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  const started = performance.now();
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+)/u.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      // the process just ended
    }
  }, 50);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const [code] = await once(child, 'exit');
  clearInterval(poll);
  if (code !== 0) throw new Error(`parla batch exited ${code}: ${stderr.slice(-2000)}`);
  return { ms: performance.now() - started, peakMb: peakKb / 1024, job: JSON.parse(stdout.slice(stdout.indexOf('{'))) };
}

/** Child mode for --engine fake: the CLI's batch command over local state with a simulated model. */
async function childBatch() {
  const [file, ...rest] = args.slice(1);
  const dataDir = rest[rest.indexOf('--data-dir') + 1];
  const { batchCommand } = await import(join(root, 'dist/cli/commands/batch.js'));
  const { runCommand } = await import(join(root, 'dist/cli/registry.js'));
  const model = {
    async translate(req) {
      await new Promise((r) => setTimeout(r, FAKE_MS_PER_CALL + FAKE_MS_PER_TEXT * req.texts.length));
      return req.texts.map((t) => ({ source: t, text: `[${req.to}] ${t}`, model: 'fake', cached: false, ms: 0 }));
    },
  };
  process.exitCode = await runCommand(batchCommand, [file, ...rest.filter((a, i) => a !== '--data-dir' && rest[i - 1] !== '--data-dir')], { stdin: process.stdin, stdout: process.stdout, stderr: { write: () => true, isTTY: false }, global: () => ({ dataDir, openEngine: async () => model }) });
}

async function main() {
  if (args[0] === '--child-batch') return childBatch();
  const dir = mkdtempSync(join(tmpdir(), 'parla-bench-formats-'));
  try {
    const po = join(dir, 'big.pot');
    const csv = join(dir, 'big.csv');
    writeFileSync(po, makePo(entries, unique));
    writeFileSync(csv, makeCsv(entries, unique));
    const poRun = await parlaBatch(po, join(dir, 'data-po'));
    const csvRun = await parlaBatch(csv, join(dir, 'data-csv'));
    const rows = csvRun.job.progress.total;
    const r = {
      engine,
      entries,
      unique,
      csvRows: rows,
      poMs: Math.round(poRun.ms),
      csvMs: Math.round(csvRun.ms),
      poEntriesPerSecond: Math.round(entries / (poRun.ms / 1000)),
      csvRowsPerSecond: Math.round(rows / (csvRun.ms / 1000)),
      // Per text: the PO's texts (entries and plural forms) are the CSV's rows.
      overheadPercent: +(((poRun.ms - csvRun.ms) / csvRun.ms) * 100).toFixed(1),
      poModelCalls: poRun.job.progress.modelCalls,
      csvModelCalls: csvRun.job.progress.modelCalls,
      poPeakRssMb: Math.round(poRun.peakMb),
      csvPeakRssMb: Math.round(csvRun.peakMb),
      poEntries: poRun.job.entries,
    };
    console.log(JSON.stringify(r, null, 2));
    writeResults(r);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function writeResults(r) {
  const out = join(root, 'bench/results');
  mkdirSync(out, { recursive: true });
  const stamp = new Date().toISOString();
  writeFileSync(join(out, 'formats.json'), JSON.stringify({ at: stamp, ...r }, null, 2) + '\n');
  writeFileSync(
    join(out, 'formats.md'),
    `# Format benchmark

${stamp} · engine ${r.engine} · ${os.availableParallelism()} CPUs · Node ${process.version}

A ${r.entries.toLocaleString('en')}-entry PO catalog (${r.unique} distinct texts, plurals every 25th entry) and the same
texts as a ${r.csvRows.toLocaleString('en')}-row CSV, each through \`parla batch\` (a process each, engine start included).

| measure | PO | CSV | goal |
|---|---:|---:|---:|
| wall time | ${(r.poMs / 1000).toFixed(1)} s | ${(r.csvMs / 1000).toFixed(1)} s | |
| entries (rows) per second | ${r.poEntriesPerSecond} | ${r.csvRowsPerSecond} | |
| model calls (distinct texts) | ${r.poModelCalls} | ${r.csvModelCalls} | equal |
| peak RSS of the batch process | ${r.poPeakRssMb} MB | ${r.csvPeakRssMb} MB | |
| PO's overhead over CSV | **${r.overheadPercent} %** | | ≤ 10 % |
`,
  );
}

await main();
