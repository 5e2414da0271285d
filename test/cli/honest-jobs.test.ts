// Slow: a batch that no installed model can serve is refused before it starts, through the real
// `parla` command and the real model store (the bundled en→es model only).
import { existsSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runParla, tempDataDir, useShortHostSettings, type CliRun } from '../engine/host-helpers.js';

let dataDir: string;

function parla(args: string[]): Promise<CliRun> {
  return runParla(args, dataDir);
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
