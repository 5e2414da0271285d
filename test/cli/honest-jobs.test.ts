// Slow: a batch that no installed model can serve is refused before it starts, through the real
// `parla` command and the real model store (the bundled en→es model only).
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { ensureBuilt, tempDataDir, useShortHostSettings } from '../engine/host-helpers.js';

const bin = join(packageRoot(), 'bin', 'parla.js');
let dataDir: string;

async function parla(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const child = execFile(process.execPath, [bin, ...args, '--data-dir', dataDir]);
  child.stdin!.end();
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: string) => (stdout += d));
  child.stderr!.on('data', (d: string) => (stderr += d));
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
  return { stdout, stderr, code };
}

describe('a job no model can serve', () => {
  beforeAll(async () => {
    ensureBuilt();
    useShortHostSettings();
    dataDir = await tempDataDir();
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('is refused before it starts, with the download hint, exit 2 and no job left behind', async () => {
    const file = join(dataDir, 'catalog.csv');
    writeFileSync(file, 'name\nRed shoes\nBlue hat\n');
    const run = await parla(['batch', file, '--to', 'es,fr', '--from', 'en']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/no model for en→fr.*parla models download/)]);
    expect(existsSync(join(dataDir, 'catalog.es+fr.csv'))).toBe(false);
    const jobs = await parla(['jobs', 'list', '--json']);
    expect(JSON.parse(jobs.stdout)).toEqual([]);
  }, 60_000);
});
