// The cheap model check's results kept in the data dir (model-check.ts, ModelCheckRecords): each
// `parla` command is a new process, and checking a real-size model reads its 65k-piece
// tokenizer.json. A result is reused only while every file keeps its size and time.
import { cp, mkdir, mkdtemp, readFile, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelCheckRecords } from '../../src/core/models/model-check.js';
import { ModelStore } from '../../src/core/models/model-store.js';
import { HAVE_MODEL, MODEL_DIR } from '../engine/model-fixture.js';

const dirs: string[] = [];
const temp = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'parla-checks-'));
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('model check records', () => {
  it('returns an outcome only for the fingerprint it was recorded with, and survives a garbled file', async () => {
    const file = join(await temp(), 'model-checks.json');
    const records = new ModelCheckRecords(file);
    expect(records.lookup('/m', 'a')).toBeUndefined();
    records.record('/m', 'a', undefined);
    records.record('/n', 'b', 'onnx/model.onnx_data is incomplete');
    const again = new ModelCheckRecords(file); // as the next command would
    expect(again.lookup('/m', 'a')).toEqual({ problem: undefined });
    expect(again.lookup('/n', 'b')).toEqual({ problem: 'onnx/model.onnx_data is incomplete' });
    expect(again.lookup('/m', 'changed')).toBeUndefined();
    await writeFile(file, '{"/m": {"fingerprint": "a", "problem": 5}} trailing');
    expect(again.lookup('/m', 'a')).toBeUndefined();
    again.record('/m', 'a', undefined);
    expect(again.lookup('/m', 'a')).toEqual({ problem: undefined });
  });

  it.skipIf(!HAVE_MODEL)("records each listed model's outcome in the data dir; a changed file is checked afresh", async () => {
    const dataDir = await temp();
    const installed = join(dataDir, 'models', 'local', 'opus-mt-en-es');
    await mkdir(join(dataDir, 'models', 'local'), { recursive: true });
    await cp(MODEL_DIR, installed, { recursive: true });
    expect((await new ModelStore(dataDir).list()).find((m) => m.id === 'local/opus-mt-en-es')?.problem).toBeUndefined();
    const recorded = JSON.parse(await readFile(join(dataDir, 'model-checks.json'), 'utf8')) as Record<string, { problem: string | null }>;
    expect(recorded[installed]).toMatchObject({ problem: null });

    // Cut short (size changes): the next listing, in a store with nothing in memory for it, sees it.
    await truncate(join(installed, 'onnx', 'model.onnx_data'), 5000);
    const after = new ModelStore(dataDir);
    expect((await after.list()).find((m) => m.id === 'local/opus-mt-en-es')?.problem).toMatch(/^onnx\/model\.onnx_data is incomplete/);
    const now = JSON.parse(await readFile(join(dataDir, 'model-checks.json'), 'utf8')) as Record<string, { problem: string | null }>;
    expect(now[installed]?.problem).toMatch(/incomplete/);

    // Same size, new time (a file rewritten in place): checked afresh too.
    await cp(join(MODEL_DIR, 'onnx', 'model.onnx_data'), join(installed, 'onnx', 'model.onnx_data'));
    await utimes(join(installed, 'onnx', 'model.onnx_data'), new Date(), new Date(Date.now() + 5000));
    expect((await new ModelStore(dataDir).list()).find((m) => m.id === 'local/opus-mt-en-es')?.problem).toBeUndefined();
  });
});
