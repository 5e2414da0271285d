// A local stand-in for the Hugging Face Hub: the tree API and resolve URLs, with switches to
// cut a transfer halfway, serve corrupted bytes, or fail outright.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { MODEL_DIR } from './model-fixture.js';

export interface FakeRepo {
  [path: string]: Buffer;
}

export interface HubBehaviour {
  /** Paths whose next N responses are cut after half the body. */
  cut: Map<string, number>;
  /** Paths served with flipped bytes (same size). */
  corrupt: Set<string>;
  /** Paths that always answer 500. */
  fail: Set<string>;
  /** Range headers seen, per path. */
  ranges: Map<string, string[]>;
}

/** ModelProto.doc_string (field 6) appended to a graph: a different file that loads the same. */
function withDocString(graph: Buffer, text: string): Buffer {
  const bytes = Buffer.from(text);
  if (bytes.length > 127) throw new Error('keep the seed short: one length byte');
  return Buffer.concat([graph, Buffer.from([0x32, bytes.length]), bytes]);
}

/**
 * The bundled model's files as a Hub repo (model downloads are verified by loading them and
 * translating, so the repo must hold a real model); `seed` makes each version's bytes differ.
 * `quantized` adds the int8 graphs, as Xenova's repos hold them.
 */
export function fakeModelRepo(seed = 'v1', quantized = false): FakeRepo {
  const file = (rel: string) => readFileSync(join(MODEL_DIR, rel));
  const config = JSON.parse(file('config.json').toString('utf8')) as Record<string, unknown>;
  return {
    'config.json': Buffer.from(JSON.stringify({ ...config, parla_test_seed: seed })),
    'generation_config.json': file('generation_config.json'),
    'tokenizer.json': file('tokenizer.json'),
    'tokenizer_config.json': file('tokenizer_config.json'),
    'README.md': Buffer.from('not needed'),
    'onnx/encoder_model.onnx': withDocString(file('onnx/encoder_model.onnx'), `encoder ${seed}`),
    'onnx/decoder_model_merged.onnx': withDocString(file('onnx/decoder_model_merged.onnx'), `decoder ${seed}`),
    'onnx/decoder_model.onnx': Buffer.from('unused when merged exists'),
    'onnx/model.onnx_data': file('onnx/model.onnx_data'),
    ...(quantized
      ? {
          'onnx/encoder_model_quantized.onnx': file('onnx/encoder_model_quantized.onnx'),
          'onnx/decoder_model_merged_quantized.onnx': file('onnx/decoder_model_merged_quantized.onnx'),
          // Parla's int8 graphs keep their weights in one shared file (tools/model/quantize.py).
          'onnx/model_quantized.onnx_data': file('onnx/model_quantized.onnx_data'),
        }
      : {}),
  };
}

export async function startHub(repos: Record<string, FakeRepo>): Promise<{ url: string; server: Server; behaviour: HubBehaviour }> {
  const behaviour: HubBehaviour = { cut: new Map(), corrupt: new Set(), fail: new Set(), ranges: new Map() };
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const tree = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/main$/.exec(url.pathname);
    if (tree) {
      const repo = repos[tree[1]!];
      if (!repo) return void res.writeHead(404).end();
      const entries = Object.entries(repo).map(([path, data]) =>
        path.endsWith('.onnx')
          ? { type: 'file', path, size: data.length, lfs: { oid: createHash('sha256').update(data).digest('hex'), size: data.length } }
          : { type: 'file', path, size: data.length },
      );
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ type: 'directory', path: 'onnx', size: 0 }, ...entries]));
      return;
    }
    const file = /^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(url.pathname);
    const repo = file && repos[file[1]!];
    const path = file && decodeURIComponent(file[2]!);
    if (!repo || !path || !repo[path]) return void res.writeHead(404).end();
    if (behaviour.fail.has(path)) return void res.writeHead(500).end();
    let data = repo[path]!;
    if (behaviour.corrupt.has(path)) data = Buffer.from(data.map((b) => b ^ 0xff));
    const range = req.headers.range;
    if (range) behaviour.ranges.set(path, [...(behaviour.ranges.get(path) ?? []), range]);
    let start = 0;
    if (range) start = Number(/bytes=(\d+)-/.exec(range)![1]);
    const body = data.subarray(start);
    res.writeHead(range ? 206 : 200, { 'content-length': body.length });
    const cuts = behaviour.cut.get(path) ?? 0;
    if (cuts > 0) {
      behaviour.cut.set(path, cuts - 1);
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, behaviour };
}
