#!/usr/bin/env node
// `npm run bench:api`: a burst of 100 concurrent cached translations against `parla serve`;
// p50/p95/max latency and throughput into bench/results/api.json and api.md.
// Server: PARLA_URL + PARLA_TOKEN for one already running, else it starts `parla serve --port 0`
// on a temporary data dir (the real services) and stops it afterwards.
import { spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
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
const floor = await startFloorServer();
const BURSTS = Number(process.env.BENCH_BURSTS ?? 7);

// A plain keep-alive client, like any API consumer that talks to a local service: the burst's
// connections are opened by a warm-up burst, so the measured ones time requests, not TCP
// handshakes. (fetch/undici costs this process ~1 ms of CPU per request on 2 cores, enough to
// be the bottleneck it would be measuring.)
function client(target) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const base = new URL(target.url);
  const translate = (texts) =>
    new Promise((resolve, reject) => {
      const payload = JSON.stringify({ texts, to: TO });
      const t0 = performance.now();
      const req = httpRequest(
        {
          agent,
          host: base.hostname,
          port: base.port,
          path: '/api/v1/translate',
          method: 'POST',
          headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const serverMs = Number(/dur=([\d.]+)/.exec(String(res.headers['server-timing'] ?? ''))?.[1] ?? NaN);
            resolve({ ms: performance.now() - t0, serverMs, status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const burst = () => Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => translate([SENTENCES[i % SENTENCES.length]])));
  return { translate, burst, close: () => agent.destroy() };
}

/**
 * The floor: a bare node:http server in its own process that answers every POST with a canned
 * body of the same shape, no framework, no auth, no cache. The same client bursts at it, so its
 * p50 is what this machine's network stack and client cost before any server work at all.
 */
async function startFloorServer() {
  const code = `
    const body = JSON.stringify({ translations: [{ source: 'Hello world', text: 'Hola mundo', model: 'parla/tiny-en-es', cached: true, ms: 0.1 }] });
    const srv = require('node:http').createServer((req, res) => {
      req.resume();
      req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); });
    });
    srv.listen(0, '127.0.0.1', () => process.stdout.write(String(srv.address().port) + '\\n'));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(Number(String(d).trim())));
    child.once('exit', (c) => reject(new Error(`floor server exited with ${c}`)));
  });
  return { url: `http://127.0.0.1:${port}`, token: 'none', stop: async () => { child.kill(); } };
}

const round = (n) => Math.round(n * 10) / 10;
const round2 = (n) => Math.round(n * 100) / 100;
function summarize(runs) {
  // The burst with the median p50 stands for the side (the machine is shared: one burst can
  // land on a busy moment); every burst's p50 is kept too.
  const byP50 = runs.slice().sort((a, c) => a.p50 - c.p50);
  const { results, wallMs, sorted } = byP50[Math.floor(byP50.length / 2)];
  const serverSorted = results.map((r) => r.serverMs).filter((x) => Number.isFinite(x)).sort((a, c) => a - c);
  return {
    ok: results.filter((r) => r.status === 200).length,
    cached: results.filter((r) => r.status === 200 && r.body.translations.every((t) => t.cached)).length,
    statuses: Object.fromEntries([...new Set(results.map((r) => r.status))].map((st) => [st, results.filter((r) => r.status === st).length])),
    latencyMs: { p50: round(percentile(sorted, 0.5)), p95: round(percentile(sorted, 0.95)), max: round(sorted.at(-1)) },
    serverMs: serverSorted.length ? { p50: round2(percentile(serverSorted, 0.5)), p95: round2(percentile(serverSorted, 0.95)) } : null,
    wallMs: round(wallMs),
    requestsPerSecond: round((CONCURRENCY / wallMs) * 1000),
    burstP50s: runs.map((r) => round(r.p50)),
  };
}

const parla = client(server);
const bare = client(floor);
try {
  const warm = await parla.translate(SENTENCES); // fills the cache (and loads the model)
  if (warm.status !== 200) throw new Error(`warm-up failed: ${warm.status} ${JSON.stringify(warm.body)}`);
  await parla.burst(); // opens the connections
  await bare.burst();
  // Bursts alternate between Parla and the floor, a pause before each, so drifting load on the
  // machine hits both sides alike.
  const runs = { parla: [], floor: [] };
  for (let b = 0; b < BURSTS; b++) {
    for (const [side, c] of [['parla', parla], ['floor', bare]]) {
      await new Promise((r) => setTimeout(r, 150));
      const t0 = performance.now();
      const results = await c.burst();
      const wallMs = performance.now() - t0;
      const sorted = results.map((r) => r.ms).sort((a, x) => a - x);
      runs[side].push({ results, wallMs, sorted, p50: percentile(sorted, 0.5) });
    }
  }
  const p = summarize(runs.parla);
  const f = summarize(runs.floor);
  const report = {
    date: new Date().toISOString(),
    server: process.env.PARLA_URL ? 'external (PARLA_URL)' : 'parla serve (spawned)',
    client: 'node:http keep-alive agent in this process, connections opened by a warm-up burst',
    requests: CONCURRENCY,
    bursts: BURSTS,
    parla: p,
    floor: f,
    parlaOverFloorP50: round((p.latencyMs.p50 / f.latencyMs.p50) * 100) / 100,
    warmUpMs: round(warm.ms),
  };
  await mkdir(join(root, 'bench/results'), { recursive: true });
  await writeFile(join(root, 'bench/results/api.json'), JSON.stringify(report, null, 2) + '\n');
  await writeFile(
    join(root, 'bench/results/api.md'),
    `# API burst: ${CONCURRENCY} concurrent cached translations\n\n` +
      `${report.date} · ${report.server} · ${report.client} · ${BURSTS} bursts per side, alternating; the burst with the median p50 is shown\n\n` +
      `| server | ok | cached | client p50 ms | p95 ms | max ms | server-side p50 · p95 ms | wall ms | req/s | every burst's p50 |\n|---|---|---|---|---|---|---|---|---|---|\n` +
      `| Parla (\`parla serve\`) | ${p.ok} | ${p.cached} | ${p.latencyMs.p50} | ${p.latencyMs.p95} | ${p.latencyMs.max} | ${p.serverMs ? `${p.serverMs.p50} · ${p.serverMs.p95}` : '-'} | ${p.wallMs} | ${p.requestsPerSecond} | ${p.burstP50s.join(', ')} |\n` +
      `| floor: bare node:http, canned answer | ${f.ok} | - | ${f.latencyMs.p50} | ${f.latencyMs.p95} | ${f.latencyMs.max} | - | ${f.wallMs} | ${f.requestsPerSecond} | ${f.burstP50s.join(', ')} |\n\n` +
      `Parla ÷ floor, client p50: **${report.parlaOverFloorP50}×**. Server-side time comes from Parla's \`Server-Timing\` header (request parsed → response sent).\n`,
  );
  console.log(`bench:api: Parla p50 ${p.latencyMs.p50} ms (server-side ${p.serverMs?.p50} ms), floor p50 ${f.latencyMs.p50} ms, ratio ${report.parlaOverFloorP50}; ${p.ok}/${CONCURRENCY} ok, ${p.cached} cached`);
  if (p.ok !== CONCURRENCY) process.exitCode = 1;
} finally {
  parla.close();
  bare.close();
  await floor.stop();
  await server.stop();
}
