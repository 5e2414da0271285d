// Review column overhead (`npm run bench:review-batch`): the same 1,000-row CSV through
// `parla batch` with its review columns (the default) and with --no-review, each run on a fresh
// data directory (no cache), alternating, median of REPS runs each. Scoring and flags are
// computed either way (they are part of every translation); this measures what the review column
// and the stored flags add to a batch. --engine real (default when the bundled model and
// dist/ exist): the real engine through bin/parla.js; --engine fake: a simulated model in-process,
// which leaves only the queue and sheet work to compare.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

if (args[0] === '--child') {
  // Fake engine: `parla batch` in-process with a model that answers after 2 ms per text and
  // flags one text in five, as the real engine's review would.
  const [, file, dataDir, ...rest] = args;
  const { batchCommand } = await import(new URL('../dist/cli/commands/batch.js', import.meta.url).href);
const { runCommand } = await import(new URL('../dist/cli/registry.js', import.meta.url).href);
  const model = {
    async translate(req) {
      await new Promise((r) => setTimeout(r, 2 * req.texts.length));
      return req.texts.map((t, i) => ({ source: t, text: `[${req.to}] ${t}`, model: 'fake', cached: false, ms: 0, confidence: 0.7, ...(i % 5 === 0 ? { flags: ['length'] } : {}) }));
    },
  };
  process.exitCode = await runCommand(batchCommand, [file, ...rest], { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, global: () => ({ dataDir, openEngine: async () => model }) });
} else {
  const engine = opt('engine', existsSync(join(root, 'dist/cli/main.js')) && existsSync(join(root, 'resources/models/parla-tiny-en-es/config.json')) ? 'real' : 'fake');
  const reps = Number(opt('reps', '3'));
  const dir = mkdtempSync(join(tmpdir(), 'parla-review-bench-'));
  const input = join(dir, 'in.csv');
  // 1,000 rows, 600 distinct texts (as bench:batch).
  const sentence = (i) => `Sentence number ${i} about the weather and a short trip to town.`;
  writeFileSync(input, 'id,text\n' + Array.from({ length: 1000 }, (_, i) => `${i},"${sentence(i < 600 ? i : (i * 7) % 600)}"`).join('\n') + '\n');

  const run = async (label, n, extra) => {
    const dataDir = join(dir, `data-${label}-${n}`);
    const out = join(dir, `out-${label}-${n}.csv`);
    const command =
      engine === 'real'
        ? [join(root, 'bin/parla.js'), 'batch', input, '--to', 'es', '--from', 'en', '--columns', 'text', '--out', out, '--json', '--data-dir', dataDir, ...extra]
        : [fileURLToPath(import.meta.url), '--child', input, dataDir, '--to', 'es', '--from', 'en', '--columns', 'text', '--out', out, '--json', ...extra];
    const started = performance.now();
    const child = spawn(process.execPath, command, { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const [code] = await once(child, 'exit');
    const ms = performance.now() - started;
    if (code !== 0) throw new Error(`${label} run exited ${code}`);
    return { ms, flagged: JSON.parse(stdout).progress.flagged };
  };

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const withReview = [];
  const without = [];
  let flagged = 0;
  // One warm-up pair (file cache, model files), then alternate so drift hits both alike.
  await run('warm', 0, []);
  for (let n = 1; n <= reps; n++) {
    const a = await run('review', n, []);
    withReview.push(a.ms);
    flagged = a.flagged;
    without.push((await run('plain', n, ['--no-review'])).ms);
  }
  rmSync(dir, { recursive: true, force: true });
  const result = {
    engine,
    rows: 1000,
    reps,
    flaggedRows: flagged,
    withReviewMs: Math.round(median(withReview)),
    noReviewMs: Math.round(median(without)),
    ratio: Number((median(withReview) / median(without)).toFixed(3)),
    runsMs: { withReview: withReview.map(Math.round), noReview: without.map(Math.round) },
  };
  console.log(JSON.stringify(result, null, 2));
  if (opt('save', 'yes') !== 'no') writeFileSync(join(root, `bench/results/review-batch.${engine}.json`), JSON.stringify(result, null, 2) + '\n');
}
