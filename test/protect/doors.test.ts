// Slow: protected spans through the real `parla` command (real model host): translate --json,
// --protect none, and a CSV batch whose cells hold placeholders and markup.
import { readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepsSpans } from '../../src/core/protect/protecting-translator.js';
import { HAVE_MODEL } from '../engine/model-fixture.js';
import { ensureBuilt, runParla, tempDataDir, useShortHostSettings, type CliRun } from '../engine/host-helpers.js';
import { parse } from 'csv-parse/sync';

let dataDir: string;

function parla(args: string[]): Promise<CliRun> {
  return runParla(args, dataDir);
}

const STRINGS = ['Your order #{orderId} has shipped.', 'Copied %1$s to %2$s.', 'Click <a href="/settings">here</a> to open your settings.', 'Product SKU-1003 is out of stock.'];

describe.runIf(HAVE_MODEL)('protected spans in the CLI', () => {
  beforeAll(async () => {
    ensureBuilt();
    useShortHostSettings();
    dataDir = await tempDataDir();
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('translate --json keeps every span and prints flags (never spans here)', async () => {
    const run = await parla(['translate', ...STRINGS, '--to', 'es', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { source: string; text: string; flags: string[] }[];
    for (const t of out) {
      expect(keepsSpans(t.source, t.text), t.text).toBe(true);
      expect(Array.isArray(t.flags)).toBe(true);
      expect(t.flags).not.toContain('spans');
    }
  }, 60_000);

  it('--protect none gives the model the text as it is, and a bad mode is a usage error', async () => {
    // Unprotected, the bundled model drops a brace: "Has {{count}} mensajes no leídos de {{sender}."
    const none = await parla(['translate', 'You have {{count}} unread messages from {{sender}}.', '--to', 'es', '--protect', 'none']);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).not.toContain('{{sender}}');
    const bad = await parla(['translate', 'hi', '--to', 'es', '--protect', 'maybe']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('a CSV batch keeps the placeholders and markup of every cell', async () => {
    const file = join(dataDir, 'strings.csv');
    writeFileSync(file, 'key,text\n' + STRINGS.map((s, i) => `k${i},"${s.replace(/"/g, '""')}"`).join('\n') + '\n');
    const run = await parla(['batch', file, '--to', 'es', '--from', 'en', '--columns', 'text']);
    expect(run.code, run.stderr).toBe(0);
    const rows = parse(readFileSync(join(dataDir, 'strings.es.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.text)).toEqual(STRINGS);
    for (const row of rows) expect(keepsSpans(row.text!, row['text (es)']!), row['text (es)']).toBe(true);
  }, 90_000);
});
