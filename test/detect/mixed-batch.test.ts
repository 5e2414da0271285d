// Slow: a mixed-language sheet through the real `parla` command, the real detector, real SQLite
// and the bundled en→es model. English rows are translated, Spanish rows pass through without a
// model call (same_language), French rows stay empty and flagged no_model, and the summary names
// the model to download. With a second model installed (a copy of the bundled one imported as
// fr→es), the French rows route to it, also when no --from is given.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../src/shared/jobs.js';
import { ensureBuilt, runParla, tempDataDir, useShortHostSettings, type CliRun } from '../engine/host-helpers.js';
import { HAVE_MODEL, MODEL_DIR } from '../engine/model-fixture.js';

const EN = ['The file could not be opened because it is locked by another program.', 'Please restart the computer to finish installing the updates.'];
const ES = ['No se pudo abrir el archivo porque otro programa lo tiene bloqueado.', 'Reinicie el equipo para terminar de instalar las actualizaciones.'];
const FR = ["Impossible d'ouvrir le fichier car il est verrouillé par un autre programme.", "Veuillez redémarrer l'ordinateur pour terminer l'installation des mises à jour."];
const ROWS = [EN[0]!, ES[0]!, FR[0]!, EN[1]!, ES[1]!, FR[1]!];
const CSV = 'id,text\n' + ROWS.map((t, i) => `${i + 1},"${t}"`).join('\n') + '\n';

let dataDir: string;
let work: string;
const parla = (args: string[]): Promise<CliRun> => runParla(args, dataDir);
const rowsOf = async (file: string) => parse(await readFile(file, 'utf8')) as string[][];

describe.runIf(HAVE_MODEL)('a mixed-language sheet with --from auto', () => {
  beforeAll(async () => {
    ensureBuilt();
    useShortHostSettings();
    dataDir = await tempDataDir();
    work = await mkdtemp(join(tmpdir(), 'parla-mixed-'));
    await writeFile(join(work, 'tickets.csv'), CSV);
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('translates English rows, passes Spanish rows through and leaves French rows flagged no_model', async () => {
    const out = join(work, 'out.csv');
    const run = await parla(['batch', join(work, 'tickets.csv'), '--to', 'es', '--from', 'auto', '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const record = JSON.parse(run.stdout) as JobRecord;
    expect(record.from).toBe('auto');
    // Six rows, four flagged (two same_language, two no_model); only the two English ones asked the model.
    expect(record.progress).toMatchObject({ total: 6, done: 6, failed: 0, flagged: 4, modelCalls: 2 });
    const [header, ...rows] = await rowsOf(out);
    expect(header).toEqual(['id', 'text', 'text (es)', 'text (es) review']);
    const byLang = (texts: string[]) => rows.filter((r) => texts.includes(r[1]!));
    for (const [, source, text, review] of byLang(EN)) {
      expect(text).not.toBe('');
      expect(text).not.toBe(source);
      expect(review).not.toMatch(/same_language|no_model/);
    }
    for (const [, source, text, review] of byLang(ES)) expect([text, review]).toEqual([source, 'same_language']);
    for (const [, , text, review] of byLang(FR)) expect([text, review]).toEqual(['', 'no_model']);
    expect(run.stderr).toContain('2 left untranslated: no model for fr→es; run: parla models download Xenova/opus-mt-fr-es');
  }, 120_000);

  it('says, per text, what it detected and which model (if any) ran', async () => {
    const run = await parla(['translate', '--from', 'auto', '--to', 'es', '--json', EN[0]!, ES[0]!, FR[0]!]);
    expect(run.code, run.stderr).toBe(0);
    const items = JSON.parse(run.stdout) as { from: string; model: string; origin: string; flags: string[]; text: string; detected: { language?: string; confidence: number } }[];
    expect(items.map((i) => [i.from, i.detected.language, i.model, i.origin])).toEqual([
      ['en', 'en', 'parla/tiny-en-es', expect.stringMatching(/^(model|cache)$/)],
      ['es', 'es', '', 'none'],
      ['fr', 'fr', '', 'none'],
    ]);
    expect(items[1]).toMatchObject({ text: ES[0], flags: ['same_language'] });
    expect(items[2]).toMatchObject({ text: '', flags: ['no_model'] });
    for (const i of items) expect(i.detected.confidence).toBeGreaterThanOrEqual(0.5);
    // Plain output names what is missing.
    const plain = await parla(['translate', '--from', 'auto', '--to', 'es', FR[0]!]);
    expect(plain.stderr).toContain('1 left untranslated: no model for fr→es; run: parla models download Xenova/opus-mt-fr-es');
  }, 120_000);

  it('routes French rows to a second model once one is installed, with or without --from auto', async () => {
    const copy = join(work, 'opus-mt-fr-es');
    await cp(MODEL_DIR, copy, { recursive: true });
    const imported = await parla(['models', 'import', copy]);
    expect(imported.code, imported.stderr).toBe(0);
    for (const from of [['--from', 'auto'], []]) {
      const out = join(work, `out-${from.length}.csv`);
      const run = await parla(['batch', join(work, 'tickets.csv'), '--to', 'es', ...from, '--out', out, '--json']);
      expect(run.code, run.stderr).toBe(0);
      const [, ...rows] = await rowsOf(out);
      for (const [, , text, review] of rows.filter((r) => FR.includes(r[1]!))) {
        expect(text).not.toBe('');
        expect(review).not.toContain('no_model');
      }
      for (const [, source, text, review] of rows.filter((r) => ES.includes(r[1]!))) expect([text, review]).toEqual([source, 'same_language']);
      expect(run.stderr).not.toContain('left untranslated');
    }
    const which = await parla(['translate', '--from', 'auto', '--to', 'es', '--json', FR[0]!, EN[0]!]);
    expect((JSON.parse(which.stdout) as { model: string }[]).map((i) => i.model)).toEqual(['local/opus-mt-fr-es', 'parla/tiny-en-es']);
  }, 180_000);
});
