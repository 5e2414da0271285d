// Engine benchmark for any model folder: npm run bench:engine -- --model DIR|realsize [--n 48]
// [--max-length 33] [--variants a,b] [--repeat N] [--out engine-realsize] [--baseline DIR]
//
// --baseline DIR runs every variant on a second model folder in the same rounds (a model release
// against the one before it) and gives the model's median ratio to it.
//
// `realsize` is an OPUS-MT-size model (tools/model/realsize.py: d_model 512, 6 + 6 layers,
// vocabulary 65,001, seeded random weights, fp32 on disk) plus its int8 graphs
// (tools/model/quantize.py), built into bench/scratch/ on first use. Its outputs never end on
// their own, so every sentence decodes exactly max-length − 1 tokens and runs compare.
//
// Each variant (precision × lanes × threads × onnxruntime session options) runs in a fresh
// Node process, as a fresh host would: RSS before loading, model load (the host thread's
// tokenizer and the lanes' sessions, as the host loads them), the first translation, then
// greedy batched decoding of `n` test sentences, and RSS after. With --repeat N the variants run
// N rounds (every other one in reverse order), and each is also given as its median ratio to the host's own setting for
// its precision (`today`) in the same round: on a shared, noisy machine ratios hold where seconds
// do not. Writes bench/results/OUT.{json,md}.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const REALSIZE = join(root, 'bench/scratch/opus-mt-size');

/** Variants by name: precision, lanes × threads, and session options beyond the host's. */
const VARIANTS = {
  'fp32-2x1': { quantized: false, lanes: 2, threads: 1 },
  'fp32-1x2': { quantized: false, lanes: 1, threads: 2 },
  // What the host does today for a large fp32 model (model-pool.ts): one lane, every thread, no prepacking.
  'fp32-1x2-noprepack': { quantized: false, lanes: 1, threads: 2, today: true, load: { sessionConfig: { 'session.disable_prepacking': '1' } } },
  'fp32-1x2-noprepack-nomempattern': { quantized: false, lanes: 1, threads: 2, load: { enableMemPattern: false, sessionConfig: { 'session.disable_prepacking': '1' } } },
  'fp32-1x2-noprepack-basic': { quantized: false, lanes: 1, threads: 2, load: { graphOptimizationLevel: 'basic', sessionConfig: { 'session.disable_prepacking': '1' } } },
  'fp32-1x2-noprepack-envalloc': { quantized: false, lanes: 1, threads: 2, load: { sessionConfig: { 'session.disable_prepacking': '1', 'session.use_env_allocators': '1' } } },
  'fp32-2x1-noprepack': { quantized: false, lanes: 2, threads: 1, load: { sessionConfig: { 'session.disable_prepacking': '1' } } },
  'int8-2x1-noprepack': { quantized: true, lanes: 2, threads: 1, load: { sessionConfig: { 'session.disable_prepacking': '1' } } },
  'fp32-1x2-devalloc': { quantized: false, lanes: 1, threads: 2, load: { sessionConfig: { 'session.use_device_allocator_for_initializers': '1' } } },
  'fp32-1x2-arena-mempattern-off': { quantized: false, lanes: 1, threads: 2, load: { cpuMemArena: true, enableMemPattern: false } },
  'fp32-1x2-basic': { quantized: false, lanes: 1, threads: 2, load: { graphOptimizationLevel: 'basic' } },
  // Graphs onnxruntime optimized once and saved (optimizedModelFilePath, weights external), then
  // loaded with optimizations off.
  'fp32-1x2-cached': { quantized: false, lanes: 1, threads: 2, cached: true, load: { graphOptimizationLevel: 'disabled' } },
  'int8-2x1': { quantized: true, lanes: 2, threads: 1 },
  // What the host does today for an int8 model of this size: one lane, every thread, prepacking on.
  'int8-1x2': { quantized: true, lanes: 1, threads: 2, today: true },
  'int8-1x2-nomempattern': { quantized: true, lanes: 1, threads: 2, load: { enableMemPattern: false } },
  // glibc returns the free top of a heap to the system only above its trim threshold, which
  // grows with the (dynamic) mmap threshold to 64 MiB: onnxruntime's freed per-step buffers stay.
  // Fixed thresholds (the host process's environment): buffers still come from the heap (mmap
  // only above 32 MiB), and a free top above 1 MiB goes back.
  'fp32-1x2-noprepack-trim': { quantized: false, lanes: 1, threads: 2, env: { MALLOC_MMAP_THRESHOLD_: '33554432', MALLOC_TRIM_THRESHOLD_: '1048576' }, load: { sessionConfig: { 'session.disable_prepacking': '1' } } },
  'int8-1x2-trim': { quantized: true, lanes: 1, threads: 2, env: { MALLOC_MMAP_THRESHOLD_: '33554432', MALLOC_TRIM_THRESHOLD_: '1048576' } },
  // jemalloc (Debian's libjemalloc2, which redis-server brings) in place of glibc's malloc, preloaded
  // into the host process: its arenas give freed pages back on their own (dirty pages decay).
  // Measured, not kept (docs/engine.md): 0.74-0.86× the throughput.
  'fp32-1x2-noprepack-jemalloc': { quantized: false, lanes: 1, threads: 2, env: { LD_PRELOAD: '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2' }, load: { sessionConfig: { 'session.disable_prepacking': '1' } } },
  'int8-1x2-jemalloc': { quantized: true, lanes: 1, threads: 2, env: { LD_PRELOAD: '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2' } },
  'fp32-1x2-noprepack-jemalloc-decay0': { quantized: false, lanes: 1, threads: 2, env: { LD_PRELOAD: '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2', MALLOC_CONF: 'dirty_decay_ms:0,muzzy_decay_ms:0' }, load: { sessionConfig: { 'session.disable_prepacking': '1' } } },
  'int8-1x2-jemalloc-decay0': { quantized: true, lanes: 1, threads: 2, env: { LD_PRELOAD: '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2', MALLOC_CONF: 'dirty_decay_ms:0,muzzy_decay_ms:0' } },
  // The host's settings without giving freed memory back once its lanes are idle (release-memory.ts),
  // as hosts ran before it.
  'fp32-1x2-noprepack-keep': { quantized: false, lanes: 1, threads: 2, env: { PARLA_KEEP_FREED_MEMORY: '1' }, load: { sessionConfig: { 'session.disable_prepacking': '1' } } },
  'int8-1x2-keep': { quantized: true, lanes: 1, threads: 2, env: { PARLA_KEEP_FREED_MEMORY: '1' } },
  // The same for a small model's layout (the bundled one: a lane per core).
  'fp32-2x1-keep': { quantized: false, lanes: 2, threads: 1, env: { PARLA_KEEP_FREED_MEMORY: '1' } },
  'int8-2x1-keep': { quantized: true, lanes: 2, threads: 1, env: { PARLA_KEEP_FREED_MEMORY: '1' } },
  'int8-1x2-basic': { quantized: true, lanes: 1, threads: 2, load: { graphOptimizationLevel: 'basic' } },
  'int8-1x2-envalloc': { quantized: true, lanes: 1, threads: 2, load: { sessionConfig: { 'session.use_env_allocators': '1' } } },
  'int8-1x2-noprepack': { quantized: true, lanes: 1, threads: 2, load: { sessionConfig: { 'session.disable_prepacking': '1' } } },
  'int8-1x2-cached': { quantized: true, lanes: 1, threads: 2, cached: true, load: { graphOptimizationLevel: 'disabled' } },
  // Today's settings in a process started without the host's runtime setup (host-runtime.ts:
  // V8's smaller young generation), as hosts ran before it.
  'fp32-1x2-noprepack-bare': { quantized: false, lanes: 1, threads: 2, bare: true, load: { sessionConfig: { 'session.disable_prepacking': '1' } } },
  'int8-1x2-bare': { quantized: true, lanes: 1, threads: 2, bare: true },
};

/**
 * `dir` with its graphs as onnxruntime optimizes them ('extended': no layout-specific kernels),
 * saved by the session itself, weights in one external file per graph; built once.
 */
async function optimizedCopy(dir, quantized) {
  const out = `${dir}-optimized-${quantized ? 'int8' : 'fp32'}`;
  if (existsSync(join(out, 'onnx'))) return out;
  const ort = await import('onnxruntime-node');
  const { copyFile } = await import('node:fs/promises');
  await mkdir(join(out, 'onnx'), { recursive: true });
  for (const f of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json']) await copyFile(join(dir, f), join(out, f));
  for (const base of ['encoder_model', 'decoder_model_merged']) {
    const name = `${base}${quantized ? '_quantized' : ''}.onnx`;
    const session = await ort.InferenceSession.create(join(dir, 'onnx', name), {
      graphOptimizationLevel: 'extended',
      optimizedModelFilePath: join(out, 'onnx', name),
      extra: { session: { optimized_model_external_initializers_file_name: `${name}_data`, optimized_model_external_initializers_min_size_in_bytes: '1024' } },
    });
    await session.release();
  }
  return out;
}

function sentences(n) {
  for (const p of ['tools/data/corpus/test.en', 'test/fixtures/bench-sentences.en']) {
    const full = join(root, p);
    if (existsSync(full)) {
      const lines = readFileSync(full, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
      return { source: p, lines: lines.slice(0, n) };
    }
  }
  throw new Error('no test sentences: need tools/data/corpus/test.en or test/fixtures/bench-sentences.en');
}

/** Resident memory split: anonymous (private copies) and file-backed (mapped weights, shareable). */
function memory() {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: process.memoryUsage.rss(), anon: kb('RssAnon'), file: kb('RssFile') };
}

/** One variant, in this (fresh) process. */
async function child(spec) {
  const { MarianModel } = await import(join(root, 'dist/workers/marian/marian-model.js'));
  const { MarianLanes } = await import(join(root, 'dist/workers/marian/lanes.js'));
  const { ENGINE_DEFAULTS } = await import(join(root, 'dist/shared/engine-settings.js'));
  const { lines } = sentences(spec.n);
  const limits = { maxBatchTokens: ENGINE_DEFAULTS.maxBatchTokens, maxBatchSentences: ENGINE_DEFAULTS.maxBatchSentences };
  const load = { quantized: spec.quantized, intraOpNumThreads: spec.threads, interOpNumThreads: 1, intraOpSpinning: false, cpuMemArena: false, ...spec.load };
  const mem0 = memory();
  const rss0 = mem0.rss;
  let t = performance.now();
  const [front, lanes] = await Promise.all([MarianModel.load(spec.dir, { ...load, sessions: false }), MarianLanes.start(join(root, 'dist/workers/host/main.js'), spec.dir, load, spec.lanes)]);
  const loadS = (performance.now() - t) / 1000;
  const rssLoaded = process.memoryUsage.rss();
  const options = { beam: 1, maxLength: spec.maxLength };
  // The largest RSS seen while translating, sampled (the lanes work on other threads).
  let peak = rssLoaded;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  t = performance.now();
  await front.translate([lines[0]], 'es', options, limits, undefined, lanes);
  const firstS = (performance.now() - t) / 1000;
  const ids = lines.map((l) => front.encode(l));
  t = performance.now();
  const hyps = await front.generateBatched(ids, options, limits, lanes);
  const runS = (performance.now() - t) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  // Memory as the model holds it between batches: a lane collects its dead output buffers
  // right after a batch (src/workers/marian/garbage.ts).
  await new Promise((r) => setTimeout(r, 250));
  const memAfter = memory();
  const rssAfter = memAfter.rss;
  const tokens = hyps.reduce((s, h) => s + h[0].ids.length, 0);
  await lanes.close();
  return { loadS, firstS, coldStartS: loadS + firstS, runS, tokens, tokensPerSec: tokens / runS, rssLoadedGrowth: rssLoaded - rss0, rssPeakGrowth: peak - rss0, rssGrowth: rssAfter - rss0, anonGrowth: memAfter.anon - mem0.anon, fileGrowth: memAfter.file - mem0.file, quantizedLoaded: front.quantized };
}

/** Bytes of the weights a precision loads: fp32 graphs + external data, or the int8 graphs. */
async function weightBytes(dir, quantized) {
  const names = await readdir(join(dir, 'onnx'));
  const graphs = ['encoder_model', 'decoder_model_merged'].map((b) => `${b}${quantized ? '_quantized' : ''}.onnx`);
  // int8: the graphs, their own `_data` files, or the shared model_quantized.onnx_data (quantize.py).
  const wanted = names.filter((n) => graphs.includes(n) || (quantized ? graphs.some((g) => n === `${g}_data`) || n === 'model_quantized.onnx_data' : /\.onnx_data$/.test(n) && !n.includes('_quantized')));
  let total = 0;
  for (const n of wanted) total += (await stat(join(dir, 'onnx', n))).size;
  return total;
}

function ensureRealsize() {
  if (existsSync(join(REALSIZE, 'onnx/decoder_model_merged_quantized.onnx'))) return;
  const py = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  process.stderr.write(`building ${relative(root, REALSIZE)} (tools/model/realsize.py, quantize.py)...\n`);
  execFileSync(py, ['tools/model/realsize.py', '--out', REALSIZE], { cwd: root, stdio: 'inherit' });
  execFileSync(py, ['tools/model/quantize.py', REALSIZE], { cwd: root, stdio: 'inherit' });
}

export async function main(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      n: { type: 'string', default: '48' },
      'max-length': { type: 'string', default: '33' },
      variants: { type: 'string' },
      repeat: { type: 'string', default: '1' },
      out: { type: 'string' },
      baseline: { type: 'string' },
      child: { type: 'string' },
    },
  });
  if (values.child) {
    process.stdout.write(JSON.stringify(await child(JSON.parse(values.child))));
    return;
  }
  const realsize = values.model === 'realsize';
  if (realsize) ensureRealsize();
  const dir = realsize ? REALSIZE : resolve(values.model);
  const models = [{ label: 'model', dir }, ...(values.baseline ? [{ label: 'baseline', dir: resolve(values.baseline) }] : [])];
  const names = values.variants ? values.variants.split(',') : Object.keys(VARIANTS);
  const n = Number(values.n);
  const maxLength = Number(values['max-length']);
  const { source } = sentences(n);
  const rows = [];
  const repeat = Number(values.repeat);
  for (const name of names) if (!VARIANTS[name]) throw new Error(`unknown variant ${name}; one of ${Object.keys(VARIANTS).join(', ')}`);
  for (let round = 1; round <= repeat; round++) {
    // Every other round runs in reverse order, so a machine getting busier or quieter during the
    // run (another job starting or ending) weighs on every variant alike over two rounds.
    const inOrder = (xs) => (round % 2 ? xs : [...xs].reverse());
    for (const name of inOrder(names)) for (const m of inOrder(models)) {
      const variant = VARIANTS[name];
      const spec = { ...variant, dir: variant.cached ? await optimizedCopy(m.dir, variant.quantized) : m.dir, n, maxLength };
      // As the host process starts (host-runtime.ts), unless the variant is about starting without it.
      const { HOST_NODE_ARGS } = await import(join(root, 'dist/core/host/host-runtime.js'));
      const run = spawnSync(process.execPath, [...(variant.bare ? [] : HOST_NODE_ARGS), fileURLToPath(import.meta.url), '--child', JSON.stringify(spec)], {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
        env: { ...process.env, ...variant.env },
      });
      if (run.status !== 0) {
        const why = run.stderr.split('\n').find((l) => /Error: /.test(l)) ?? `exit ${run.status}`;
        rows.push({ name, round, model: m.label, ...variant, error: why.replace(/\u001b\[[0-9;]*m/g, '').trim().slice(0, 400) });
      } else {
        rows.push({ name, round, model: m.label, ...variant, weightBytes: await weightBytes(spec.dir, variant.quantized), ...JSON.parse(run.stdout) });
      }
      process.stderr.write(`${name} on ${m.label} (round ${round}): ${JSON.stringify(rows.at(-1))}\n`);
    }
  }
  const ratios = ratiosToToday(rows.filter((r) => r.model === 'model'));
  const vsBaseline = ratiosToBaseline(rows);
  // Cold start as a user meets it: `parla translate --model DIR --no-cache` (node start, host spawn, model
  // load with the host's own lane layout, one translation), first with a fresh data dir, then
  // with the same data dir once that host has left (a fresh host, as after a reboot).
  const { HostClient } = await import(join(root, 'dist/core/host/host-client.js'));
  const cli = [];
  const translateOnce = (dir, dataDir, quantized) => {
    const t = performance.now();
    const run = spawnSync(process.execPath, [join(root, 'bin/parla.js'), 'translate', 'Open the file and save it.', '--to', 'es', '--model', dir, '--no-cache', '--data-dir', dataDir], {
      encoding: 'utf8',
      env: { ...process.env, PARLA_ENGINE_SETTINGS: JSON.stringify({ quantized: quantized ? 1 : 0 }) },
    });
    return { seconds: (performance.now() - t) / 1000, ok: run.status === 0, ...(run.status === 0 ? {} : { error: run.stderr.trim().slice(0, 300) }) };
  };
  for (const [m, quantized] of models.flatMap((m) => [[m, false], [m, true]])) {
    const dataDir = await mkdtemp(join(tmpdir(), 'parla-bench-cold-'));
    const first = translateOnce(m.dir, dataDir, quantized);
    const client = new HostClient(dataDir);
    const { pid } = await client.call('stats', {});
    await client.close();
    process.kill(pid, 'SIGTERM'); // the host shuts down (exit-on-signal.ts)
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
        await new Promise((r) => setTimeout(r, 100));
      } catch {
        break;
      }
    }
    const again = translateOnce(m.dir, dataDir, quantized);
    cli.push({ model: m.label, quantized, seconds: first.seconds, freshHostSeconds: again.seconds, ok: first.ok && again.ok, ...(first.error || again.error ? { error: first.error ?? again.error } : {}) });
    await rm(dataDir, { recursive: true, force: true }); // the host leaves once its data dir is gone
    process.stderr.write(`cli cold start: ${JSON.stringify(cli.at(-1))}\n`);
  }
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, availableParallelism: availableParallelism(), node: process.version, loadAverage: loadavg() },
    model: { dir: relative(root, dir), baseline: values.baseline ? relative(root, resolve(values.baseline)) : null, realsize: realsize ? JSON.parse(readFileSync(join(dir, 'realsize.json'), 'utf8')) : null },
    sentences: { source, count: n, maxLength, note: realsize ? 'every output is max-length − 1 tokens (end of sentence suppressed)' : 'outputs end where the model ends them, at most max-length − 1 tokens' },
    variants: rows,
    ratiosToToday: ratios,
    ratiosToBaseline: vsBaseline,
    cliColdStart: cli,
  };
  const out = values.out ?? (realsize ? 'engine-realsize' : 'engine-model');
  await mkdir(join(root, 'bench/results'), { recursive: true });
  await writeFile(join(root, `bench/results/${out}.json`), JSON.stringify(result, null, 2) + '\n');
  const mb = (b) => (b / 1e6).toFixed(0);
  const f = (x, d = 2) => (typeof x === 'number' ? x.toFixed(d) : '–');
  const table = rows
    .map((r) =>
      r.error
        ? `| ${r.name} | ${r.lanes} × ${r.threads} | failed: ${r.error.slice(0, 160)} |||||||||`
        : `| ${r.name}${models.length > 1 ? ` · ${r.model}` : ''}${repeat > 1 ? ` (${r.round})` : ''}${r.today ? ' · today' : ''} | ${r.lanes} × ${r.threads} | ${mb(r.weightBytes)} | ${f(r.loadS)} | ${f(r.firstS)} | **${f(r.coldStartS)}** | ${f(r.tokensPerSec, 0)} | ${mb(r.rssLoadedGrowth)} | ${r.rssPeakGrowth ? mb(r.rssPeakGrowth) : '–'} | **${mb(r.rssGrowth)}** (${f(r.rssGrowth / r.weightBytes, 2)}×) | ${mb(r.anonGrowth)} / ${mb(r.fileGrowth)} |`,
    )
    .join('\n');
  const md = `# Engine on ${result.model.dir}

${result.date} · ${result.machine.cpus} CPUs (load average at the end ${result.machine.loadAverage.map((x) => x.toFixed(1)).join(' ')}) · Node ${result.machine.node}
${n} sentences from \`${source}\`, greedy, batched as the host batches, max length ${maxLength}: ${result.sentences.note}.
Each variant in a fresh process started as the host is (host-runtime.ts; \`bare\`: without that): load = the host thread's tokenizer + the lanes' sessions; first = one sentence right after; cold start = both; RSS growth over the process before loading (all lanes' threads live in it): once loaded, the largest sampled during the run, and 250 ms after it (as held between batches).

| variant | lanes × threads | weights on disk (MB) | load (s) | first (s) | cold start (s) | tokens/s | RSS growth loaded (MB) | RSS growth peak (MB) | RSS growth after the run (MB, × weights) | of which anonymous / file-mapped (MB) |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|
${table}

${ratios.length ? `Against the host's own setting for the precision (\`today\`), median over the ${repeat} rounds of each round's ratio (below 1 = less):

| variant | cold start × today | RSS growth after the run × today | tokens/s × today |
|---|---:|---:|---:|
${ratios.map((r) => `| ${r.name} | ${f(r.coldStart)} | ${f(r.rssGrowth)} | ${f(r.tokensPerSec)} |`).join('\n')}

` : ''}${vsBaseline.length ? `The model against the baseline (\`${result.model.baseline}\`), same variant, median over the ${repeat} rounds of each round's ratio:

| variant | cold start × baseline | RSS growth after the run × baseline | tokens/s × baseline | weights on disk × baseline |
|---|---:|---:|---:|---:|
${vsBaseline.map((r) => `| ${r.name} | ${f(r.coldStart)} | ${f(r.rssGrowth)} | ${f(r.tokensPerSec)} | ${f(r.weightBytes)} |`).join('\n')}

` : ''}Cold start through the CLI (\`parla translate --model DIR\`: Node start, host spawn, load with the host's lane layout, one translation), with a fresh data dir / with the same data dir once its host has left: ${cli.map((c) => `${models.length > 1 ? `${c.model} ` : ''}${c.quantized ? 'int8' : 'fp32'} ${c.ok ? `**${f(c.seconds)} s** / **${f(c.freshHostSeconds)} s**` : `failed (${c.error})`}`).join(', ')}.
`;
  await writeFile(join(root, `bench/results/${out}.md`), md);
  process.stdout.write(md);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

/** Each variant against the `today` variant of its precision in the same round: median ratios. */
function ratiosToToday(rows) {
  const ok = rows.filter((r) => !r.error);
  const today = (r) => ok.find((t) => t.today && t.quantized === r.quantized && t.round === r.round);
  const names = [...new Set(ok.filter((r) => today(r)).map((r) => r.name))];
  return names.map((name) => {
    const runs = ok.filter((r) => r.name === name && today(r));
    const ratio = (key) => median(runs.map((r) => r[key] / today(r)[key]));
    return { name, rounds: runs.length, coldStart: ratio('coldStartS'), rssGrowth: ratio('rssGrowth'), tokensPerSec: ratio('tokensPerSec') };
  });
}

/** Each variant on the model against the same variant on the baseline in the same round: median ratios. */
function ratiosToBaseline(rows) {
  const ok = rows.filter((r) => !r.error);
  const base = (r) => ok.find((b) => b.model === 'baseline' && b.name === r.name && b.round === r.round);
  const names = [...new Set(ok.filter((r) => r.model === 'model' && base(r)).map((r) => r.name))];
  return names.map((name) => {
    const runs = ok.filter((r) => r.model === 'model' && r.name === name && base(r));
    const ratio = (key) => median(runs.map((r) => r[key] / base(r)[key]));
    return { name, rounds: runs.length, coldStart: ratio('coldStartS'), rssGrowth: ratio('rssGrowth'), tokensPerSec: ratio('tokensPerSec'), weightBytes: ratio('weightBytes') };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
