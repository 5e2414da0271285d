// One `parla worker` for bench/team.mjs: the compiled TeamWorker with either the real engine
// (dist/core/services.js, one ORT thread via PARLA_ENGINE_SETTINGS) or a CPU-bound stand-in.
// Env: PARLA_REDIS_URL, PARLA_TEAM, PARLA_DATA_DIR, BENCH_ENGINE=real|standin, STANDIN_MS_PER_TEXT.
import { TeamWorker, stopOnSignals } from '../dist/core/team/worker.js';

const env = process.env;
const msPerText = Number(env.STANDIN_MS_PER_TEXT ?? 4);

/** Burns CPU like a model would (so two workers compete for the two cores), deterministic output. */
function standin() {
  return {
    async translate(request) {
      const until = performance.now() + msPerText * request.texts.length;
      let x = 0;
      while (performance.now() < until) x += Math.sqrt(x + 1);
      return request.texts.map((source) => ({ source, text: `${request.to}:${source.toUpperCase()}`, model: 'standin', cached: false, ms: msPerText + (x % 1) }));
    },
  };
}

async function openEngine() {
  if (env.BENCH_ENGINE !== 'real') return standin();
  const { openServices } = await import('../dist/core/services.js');
  const services = await openServices({ dataDir: env.PARLA_DATA_DIR });
  return { translate: (r, s) => services.translator.translate(r, s), close: () => services.close() };
}

const log = (line) => process.stdout.write(`${line}\n`);
const worker = await TeamWorker.start({
  url: env.PARLA_REDIS_URL,
  team: env.PARLA_TEAM,
  dataDir: env.PARLA_DATA_DIR,
  openEngine,
  concurrency: 1,
  log,
});
await stopOnSignals(worker, log, 10_000);
process.exit(0);
