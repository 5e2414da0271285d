#!/usr/bin/env node
// `npm run bench:api`: a burst of 100 concurrent cached translations against `parla serve`;
// p50/p95/max latency and throughput into bench/results/api.json and api.md.
// Server: PARLA_URL + PARLA_TOKEN for one already running, else it starts `parla serve --port 0`
// on a temporary data dir (the real services) and stops it afterwards.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
const TO = process.env.BENCH_TO ?? 'es';
const SENTENCES = ['Hello world', 'Good morning', 'The cat is in the house', 'Thank you very much', 'Where is the station?', 'The book is red', 'I would like a coffee', 'See you tomorrow', 'How much does it cost?', 'The weather is nice today'];

async function startServer() {
  if (process.env.PARLA_URL && process.env.PARLA_TOKEN) return { url: process.env.PARLA_URL.replace(/\/$/, ''), token: process.env.PARLA_TOKEN, stop: async () => {} };
  if (!existsSync(join(root, 'dist/cli/main.js'))) {
    process.stderr.write('bench:api: no server: build the CLI (npm run build:node) or set PARLA_URL and PARLA_TOKEN\n');
    process.exit(2);
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'parla-bench-api-'));
  const child = spawn(process.execPath, [join(root, 'bin/parla.js'), 'serve', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const uiUrl = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('parla serve printed no URL within 120 s')), 120_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('http'));
      if (line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    child.on('exit', (code) => reject(new Error(`parla serve exited with ${code}`)));
  });
  const parsed = new URL(uiUrl);
  return {
    url: parsed.origin,
    token: parsed.searchParams.get('token'),
    stop: async () => {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

const server = await startServer();
const translate = async (texts) => {
  const t0 = performance.now();
  const res = await fetch(`${server.url}/api/v1/translate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ texts, to: TO }),
  });
  const body = await res.json();
  return { ms: performance.now() - t0, status: res.status, body };
};

try {
  const warm = await translate(SENTENCES); // fills the cache (and loads the model)
  if (warm.status !== 200) throw new Error(`warm-up failed: ${warm.status} ${JSON.stringify(warm.body)}`);
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => translate([SENTENCES[i % SENTENCES.length]])));
  const wallMs = performance.now() - t0;
  const ok = results.filter((r) => r.status === 200);
  const cached = ok.filter((r) => r.body.translations.every((t) => t.cached)).length;
  const sorted = results.map((r) => r.ms).sort((a, b) => a - b);
  const round = (n) => Math.round(n * 10) / 10;
  const report = {
    date: new Date().toISOString(),
    server: process.env.PARLA_URL ? 'external (PARLA_URL)' : 'parla serve (spawned)',
    requests: CONCURRENCY,
    ok: ok.length,
    cached,
    statuses: Object.fromEntries([...new Set(results.map((r) => r.status))].map((s) => [s, results.filter((r) => r.status === s).length])),
    latencyMs: { p50: round(percentile(sorted, 0.5)), p95: round(percentile(sorted, 0.95)), max: round(sorted.at(-1)) },
    wallMs: round(wallMs),
    requestsPerSecond: round((CONCURRENCY / wallMs) * 1000),
    warmUpMs: round(warm.ms),
  };
  await mkdir(join(root, 'bench/results'), { recursive: true });
  await writeFile(join(root, 'bench/results/api.json'), JSON.stringify(report, null, 2) + '\n');
  await writeFile(
    join(root, 'bench/results/api.md'),
    `# API burst: ${CONCURRENCY} concurrent cached translations\n\n` +
      `${report.date} · ${report.server}\n\n` +
      `| requests | ok | cached | p50 ms | p95 ms | max ms | wall ms | req/s |\n|---|---|---|---|---|---|---|---|\n` +
      `| ${report.requests} | ${report.ok} | ${report.cached} | ${report.latencyMs.p50} | ${report.latencyMs.p95} | ${report.latencyMs.max} | ${report.wallMs} | ${report.requestsPerSecond} |\n`,
  );
  console.log(`bench:api: ${report.ok}/${report.requests} ok, ${report.cached} cached, p50 ${report.latencyMs.p50} ms, p95 ${report.latencyMs.p95} ms, ${report.requestsPerSecond} req/s`);
  if (report.ok !== CONCURRENCY) process.exitCode = 1;
} finally {
  await server.stop();
}
