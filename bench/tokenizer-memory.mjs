// Tokenizer memory and speed (npm run bench:tokenizer): @huggingface/tokenizers' Unigram model
// with its own character trie against the model host's piece search (dropUnigramTrie,
// src/workers/marian/unigram-pieces.ts), side by side in one process, on the bundled tokenizer
// (8,000 pieces) and two OPUS-MT-size ones (65,001 pieces): the bundled one with pieces glued from
// its own (like a real vocabulary), and realsize.py's (numbered filler pieces). Heap growth is
// read after full collections; encoding time over the test sentences, best of 5.
// Writes bench/results/tokenizer-memory.{json,md}.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer } from '@huggingface/tokenizers';
import { grownTokenizerJson } from '../test/fixtures/make-tokenizer.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (typeof gc !== 'function') throw new Error('run with node --expose-gc (npm run bench:tokenizer does)');
const { dropUnigramTrie } = await import(join(root, 'dist/workers/marian/unigram-pieces.js'));
const bundled = join(root, 'resources/models/parla-tiny-en-es');
const tokenizerJson = JSON.parse(readFileSync(join(bundled, 'tokenizer.json'), 'utf8'));
const tokenizerConfig = JSON.parse(readFileSync(join(bundled, 'tokenizer_config.json'), 'utf8'));

const testSplit = join(root, 'tools/data/corpus/test.en');
const sentences = (existsSync(testSplit) ? readFileSync(testSplit, 'utf8') : readFileSync(join(root, 'test/fixtures/bench-sentences.en'), 'utf8'))
  .split('\n')
  .filter(Boolean)
  .slice(0, 2000);

function heap() {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function measure(kind, drop) {
  const json = JSON.stringify(kind === 'bundled' ? tokenizerJson : grownTokenizerJson(bundled, 65_001, kind));
  const before = heap();
  let tokenizer = new Tokenizer(JSON.parse(json), tokenizerConfig);
  if (drop && !dropUnigramTrie(tokenizer)) throw new Error('no Unigram trie to drop');
  const heapGrowth = heap() - before;
  let best = Infinity;
  let ids = 0;
  for (let round = 0; round < 5; round++) {
    const t = performance.now();
    ids = 0; // a hash of every id, in order
    for (const s of sentences) for (const id of tokenizer.encode(s).ids) ids = (Math.imul(ids, 31) + id) >>> 0;
    best = Math.min(best, performance.now() - t);
  }
  tokenizer = null;
  return { kind, trie: !drop, heapMB: heapGrowth / 1e6, encodeMs: best, ids };
}

const rows = [];
for (const kind of ['bundled', 'glued', 'fillers']) for (const drop of [false, true]) rows.push(measure(kind, drop));
const result = { date: new Date().toISOString(), node: process.version, sentences: sentences.length, rows };
await mkdir(join(root, 'bench/results'), { recursive: true });
await writeFile(join(root, 'bench/results/tokenizer-memory.json'), JSON.stringify(result, null, 2) + '\n');
const label = { bundled: 'bundled (8,000 pieces)', glued: 'OPUS-MT-size, glued pieces (65,001)', fillers: 'realsize.py, filler pieces (65,001)' };
const md = `# Tokenizer memory: the library's trie against the host's piece search

${result.date} · Node ${result.node} · ${sentences.length} test sentences encoded (best of 5). Heap growth after full collections, one tokenizer at a time, same process.

| tokenizer | heap with trie (MB) | heap without (MB) | × | encode with trie (ms) | encode without (ms) | × | same ids |
|---|---:|---:|---:|---:|---:|---:|---|
${['bundled', 'glued', 'fillers']
  .map((kind) => {
    const [a, b] = rows.filter((r) => r.kind === kind);
    return `| ${label[kind]} | ${a.heapMB.toFixed(1)} | ${b.heapMB.toFixed(1)} | ${(b.heapMB / a.heapMB).toFixed(2)} | ${a.encodeMs.toFixed(0)} | ${b.encodeMs.toFixed(0)} | ${(b.encodeMs / a.encodeMs).toFixed(2)} | ${a.ids === b.ids} |`;
  })
  .join('\n')}
`;
await writeFile(join(root, 'bench/results/tokenizer-memory.md'), md);
process.stdout.write(md);
