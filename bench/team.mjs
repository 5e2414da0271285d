// Team benchmark (`npm run bench:team`), on a throwaway loopback redis-server:
//   1. Throughput of 2 workers ÷ 1 worker (each worker one model lane of one ORT thread: one member machine of one core): goal ≥ 1.6 on 2 cores.
//      Uses the real engine (dist/core/services.js, the model host client) when it is built;
//      otherwise a CPU-bound stand-in, and the report says so: the ratio then measures the
//      team machinery and core contention, not the model.
//   2. Redis cache hit latency p50 (goal ≤ 1 ms) and the tiered (SQLite L1) hit p50.
//   3. A second member translating texts the first already did makes zero model calls.
// Writes bench/results/team.json and bench/results/team.md.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (p) => join(root, 'dist', p);
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : dflt);
const realAvailable = existsSync(dist('core/services.js')) && existsSync(dist('core/host/host-client.js'));
const engine = opt('engine', realAvailable ? 'real' : 'standin');
if (engine === 'real' && !realAvailable) {
  console.error('bench:team: --engine real needs the engine build (dist/core/services.js, dist/core/host/); run after the engine merge');
  process.exit(1);
}
const TEXTS = Number(opt('texts', engine === 'real' ? '400' : '1500'));
const redisBin = process.env.PARLA_TEST_REDIS_BIN ?? '/usr/bin/redis-server';
if (!existsSync(redisBin)) {
  console.error(`bench:team: redis-server not found at ${redisBin}`);
  process.exit(1);
}

const { openTeamState } = await import(dist('core/team/team-state.js'));
const { RedisCache } = await import(dist('core/team/redis-cache.js'));
const { connectRedis, resolveTeamOptions, teamPrefix } = await import(dist('core/team/connection.js'));
const { cacheKey } = await import(dist('core/cache/key.js'));

const work = mkdtempSync(join(tmpdir(), 'parla-bench-team-'));
const sentence = (i, salt) => `${salt} sentence number ${i} about the weather and a short trip to town.`;
const p50 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  const port = await freePort();
  const dir = join(work, 'redis');
  mkdirSync(dir);
  const child = spawn(redisBin, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => child.stdout.on('data', (d) => d.toString().includes('Ready to accept') && resolve()));
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

function startWorker(url, team) {
  const dataDir = mkdtempSync(join(work, 'worker-'));
  const child = spawn(process.execPath, [join(root, 'bench/team-worker.mjs')], {
    env: {
      ...process.env, PARLA_REDIS_URL: url, PARLA_TEAM: team, PARLA_DATA_DIR: dataDir, BENCH_ENGINE: engine,
      PARLA_ENGINE_SETTINGS: JSON.stringify({ ...JSON.parse(process.env.PARLA_ENGINE_SETTINGS ?? '{}'), intraOpNumThreads: 1, engineLanes: 1 }),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const ready = new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d.toString();
      if (out.includes('worker ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited ${code}: ${out.slice(-500)}`)));
  });
  return { ready, stop: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))) };
}

/** Items per second for one job of `TEXTS` fresh texts on `n` workers (after a warm-up job). */
async function throughput(url, n) {
  const team = `bench-${randomUUID()}`;
  const workers = Array.from({ length: n }, () => startWorker(url, team));
  await Promise.all(workers.map((w) => w.ready));
  const state = await openTeamState({ dataDir: mkdtempSync(join(work, 'submitter-')), redis: { url, team }, openEngine: async () => ({ translate: async () => [] }), workConcurrency: 0, pollMs: 100 });
  const run = async (salt, count) => {
    const texts = Array.from({ length: count }, (_, i) => sentence(i, salt));
    const job = await state.teamQueue.create({ from: 'en', to: ['es'], spec: { kind: 'texts', texts }, });
    const t0 = performance.now();
    const record = await state.teamRunner.run(job.id);
    if (record.status !== 'done') throw new Error(`bench job ${record.status}: ${record.error?.message}`);
    return count / ((performance.now() - t0) / 1000);
  };
  await run('warm-up', 40 * n); // loads the model in every worker
  const rate = await run(`measured-${n}`, TEXTS);
  await state.close();
  await Promise.all(workers.map((w) => w.stop()));
  return rate;
}

async function cacheLatency(url) {
  const o = resolveTeamOptions({ url, team: `bench-${randomUUID()}` });
  const cache = new RedisCache({ client: await connectRedis(o, 'cache'), prefix: teamPrefix(o.team), ownsClient: true });
  const keys = Array.from({ length: 20_000 }, (_, i) => cacheKey({ model: 'm', revision: 'r', to: 'es', text: sentence(i, 'c') }));
  for (let i = 0; i < keys.length; i += 1000) await cache.setMany(keys.slice(i, i + 1000).map((k, j) => [k, { text: `t${i + j}`, model: 'm' }]));
  const single = [];
  const batch = [];
  for (let i = 0; i < 1000; i++) {
    let t = performance.now();
    await cache.get(keys[(i * 7919) % keys.length]);
    single.push(performance.now() - t);
    const slice = Array.from({ length: 64 }, (_, j) => keys[(i * 131 + j * 977) % keys.length]);
    t = performance.now();
    await cache.getMany(slice);
    batch.push(performance.now() - t);
  }
  await cache.close();
  return { getP50Ms: p50(single), getMany64P50Ms: p50(batch) };
}

async function secondMember(url) {
  const team = `bench-${randomUUID()}`;
  const counting = () => {
    const engineCalls = { calls: 0, texts: 0 };
    return {
      engineCalls,
      open: async () => ({
        async translate(r) {
          engineCalls.calls += 1;
          engineCalls.texts += r.texts.length;
          return r.texts.map((s) => ({ source: s, text: `${r.to}:${s}`, model: 'standin', cached: false, ms: 1 }));
        },
      }),
    };
  };
  const [ea, eb] = [counting(), counting()];
  const a = await openTeamState({ dataDir: mkdtempSync(join(work, 'a-')), redis: { url, team }, openEngine: ea.open, workConcurrency: 0 });
  const b = await openTeamState({ dataDir: mkdtempSync(join(work, 'b-')), redis: { url, team }, openEngine: eb.open, workConcurrency: 0 });
  const texts = Array.from({ length: 500 }, (_, i) => sentence(i, 'shared'));
  for (let i = 0; i < texts.length; i += 50) await a.translator.translate({ texts: texts.slice(i, i + 50), to: 'es', from: 'en' });
  const t0 = performance.now();
  let hits = 0;
  for (let i = 0; i < texts.length; i += 50) hits += (await b.translator.translate({ texts: texts.slice(i, i + 50), to: 'es', from: 'en' })).filter((t) => t.cached).length;
  const ms = performance.now() - t0;
  await a.close();
  await b.close();
  return { texts: texts.length, firstMemberModelTexts: ea.engineCalls.texts, secondMemberModelCalls: eb.engineCalls.calls, secondMemberHits: hits, secondMemberMs: ms };
}

const redis = await startRedis();
try {
  console.error(`bench:team: engine ${engine}${engine === 'real' ? '' : ' (the real engine is not built: CPU-bound stand-in)'}, ${TEXTS} texts per job`);
  const one = await throughput(redis.url, 1);
  console.error(`  1 worker: ${one.toFixed(1)} texts/s`);
  const two = await throughput(redis.url, 2);
  console.error(`  2 workers: ${two.toFixed(1)} texts/s`);
  const latency = await cacheLatency(redis.url);
  console.error(`  redis cache hit p50: get ${latency.getP50Ms.toFixed(3)} ms, getMany(64) ${latency.getMany64P50Ms.toFixed(3)} ms`);
  const member = await secondMember(redis.url);
  console.error(`  second member: ${member.secondMemberModelCalls} model calls for ${member.texts} texts the first already did`);

  const ratio = two / one;
  const result = {
    date: new Date().toISOString(),
    engine,
    note: engine === 'real' ? 'real engine (model host), one lane of one ORT thread per worker: each worker stands for one member machine of one core' : 'REAL ENGINE NOT BUILT: CPU-bound stand-in per text; rerun after the engine merge for the model figure',
    cores: (await import('node:os')).availableParallelism(),
    throughput: { textsPerJob: TEXTS, oneWorkerTextsPerS: one, twoWorkersTextsPerS: two, ratio, goal: 1.6, met: ratio >= 1.6 },
    cacheHit: { ...latency, goalMs: 1, met: latency.getP50Ms <= 1 },
    secondMember: { ...member, met: member.secondMemberModelCalls === 0 },
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/team.json'), JSON.stringify(result, null, 2) + '\n');
  const md = `# Team benchmark

${result.date} · engine: **${engine}** · ${result.cores} cores${engine === 'real' ? '' : '\n\n> The real engine was not built, so workers ran a CPU-bound stand-in (busy loop per text). The ratio shows the team machinery and core sharing, not the model.'}

| measure | value | goal |
|---|---|---|
| 1 worker | ${one.toFixed(1)} texts/s | |
| 2 workers | ${two.toFixed(1)} texts/s | |
| 2 ÷ 1 | **${ratio.toFixed(2)}** | ≥ 1.6 ${result.throughput.met ? '✓' : '✗'} |
| Redis cache hit p50 (get) | ${latency.getP50Ms.toFixed(3)} ms | ≤ 1 ms ${result.cacheHit.met ? '✓' : '✗'} |
| Redis cache hit p50 (getMany 64) | ${latency.getMany64P50Ms.toFixed(3)} ms | |
| second member: model calls for ${member.texts} texts already done | ${member.secondMemberModelCalls} (${member.secondMemberHits} cache hits) | 0 ${result.secondMember.met ? '✓' : '✗'} |
`;
  writeFileSync(join(root, 'bench/results/team.md'), md);
  console.log(md);
} finally {
  redis.stop();
  rmSync(work, { recursive: true, force: true });
}
