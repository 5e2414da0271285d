// Translation memory overhead on a real batch (`npm run bench:memory-batch`): the same 1,000-row
// CSV (600 distinct texts) through `parla batch` with the bundled model, on a data dir whose
// memory holds 100,000 entries (none matching these rows: every row still reaches the model, so
// the lookups are pure cost) against one with an empty memory; fresh cache each run,
// alternating, median of REPS runs each. Results to bench/results/memory-batch.{json,md}.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/parla.js');
const reps = Number(process.argv[process.argv.indexOf('--reps') + 1] || 3) || 3;
const dir = mkdtempSync(join(tmpdir(), 'parla-memory-batch-'));

const parla = async (args) => {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`parla ${args[0]} exited ${code}: ${err.trim()}`);
  return out;
};

try {
  const input = join(dir, 'in.csv');
  const sentence = (i) => `Sentence number ${i} about the weather and a short trip to town.`;
  writeFileSync(input, 'id,text\n' + Array.from({ length: 1000 }, (_, i) => `${i},"${sentence(i < 600 ? i : (i * 7) % 600)}"`).join('\n') + '\n');

  // A memory of 100,000 entries none of these rows matches, imported once and copied per run.
  const tmx = join(dir, 'memory.tmx');
  const units = Array.from({ length: 100_000 }, (_, i) => `<tu><tuv xml:lang="en"><seg>Stored phrase ${i} for the shop window and its ${i % 97} lights</seg></tuv><tuv xml:lang="es"><seg>Frase guardada ${i}</seg></tuv></tu>`);
  writeFileSync(tmx, `<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="bench" creationtoolversion="1" segtype="sentence" o-tmf="none" adminlang="en" srclang="en" datatype="plaintext"/><body>\n${units.join('\n')}\n</body></tmx>\n`);
  const full = join(dir, 'template-full');
  const empty = join(dir, 'template-empty');
  mkdirSync(empty);
  await parla(['memory', 'import', tmx, '--data-dir', full]);

  const run = async (label, template, n) => {
    const dataDir = join(dir, `data-${label}-${n}`);
    cpSync(template, dataDir, { recursive: true });
    const out = join(dir, `out-${label}-${n}.csv`);
    const started = performance.now();
    const json = await parla(['batch', input, '--to', 'es', '--from', 'en', '--columns', 'text', '--out', out, '--json', '--data-dir', dataDir]);
    const ms = performance.now() - started;
    rmSync(dataDir, { recursive: true, force: true });
    return { ms, memory: JSON.parse(json).progress.memory ?? 0 };
  };
  const on = [];
  const off = [];
  for (let i = 0; i < reps; i++) {
    off.push(await run('off', empty, i));
    on.push(await run('on', full, i));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const result = {
    measuredAt: new Date().toISOString(),
    rows: 1000,
    distinctTexts: 600,
    memoryEntries: 100_000,
    reps,
    msMemory100k: on.map((r) => Math.round(r.ms)),
    msMemoryEmpty: off.map((r) => Math.round(r.ms)),
    memoryHits: on[0].memory,
    ratio: Math.round((median(on.map((r) => r.ms)) / median(off.map((r) => r.ms))) * 1000) / 1000,
    loadAverage: Math.round(loadavg()[0] * 10) / 10,
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/memory-batch.json'), JSON.stringify(result, null, 1) + '\n');
  writeFileSync(
    join(root, 'bench/results/memory-batch.md'),
    `# bench:memory-batch (real engine, bundled model)\n\n1,000-row CSV (600 distinct texts) through \`parla batch\`, memory of 100,000 non-matching entries vs empty, median of ${reps} alternating runs.\n\n| | ms per run |\n|---|---|\n| memory empty | ${result.msMemoryEmpty.join(', ')} |\n| memory 100,000 entries | ${result.msMemory100k.join(', ')} |\n| with ÷ without (median) | ${result.ratio} (goal ≤ 1.05) |\n\nMemory hits: ${result.memoryHits}. Load average ${result.loadAverage} on 2 shared cores.\n`,
  );
  console.log(JSON.stringify(result));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
