// `parla glossary`: add, list, remove, import and export (CSV/TSV, header or not, UTF-8/UTF-16,
// a file in the wrong encoding), locally and for a team, and a 100,000-entry import's time.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { glossaryCommand } from '../../src/cli/commands/glossary.js';
import { openLocalState } from '../../src/core/state.js';
import type { GlossaryEntry, GlossaryPage } from '../../src/shared/glossary.js';
import { runCli } from '../state/helpers/cli.js';
import { useTmpDirs } from '../state/helpers/tmp.js';
import { useRedisServer } from '../team/helpers/redis-server.js';
import { protectedFake } from './helpers.js';

const tmp = useTmpDirs('parla-glossary-');
const pair = ['--from', 'en', '--to', 'es'];
const run = (dir: string, ...argv: string[]) => runCli(glossaryCommand, argv, dir);
const list = async (dir: string, ...argv: string[]) => JSON.parse((await run(dir, 'list', '--json', ...argv)).stdout) as GlossaryPage;

describe('parla glossary', () => {
  it('adds, lists, searches and removes terms; options become entry fields', async () => {
    const dir = tmp();
    const add = await run(dir, 'add', 'file', 'fichero', ...pair, '--json');
    expect(add.code).toBe(0);
    const file = JSON.parse(add.stdout) as GlossaryEntry;
    expect(file).toMatchObject({ source: 'file', target: 'fichero', doNotTranslate: false, caseSensitive: false, wholeWord: true });
    const dnt = await run(dir, 'add', 'Parla', '--dnt', '--case-sensitive', ...pair);
    expect(dnt.stdout).toMatch(/^[0-9a-f]{16}\ten→es\tParla\tParla\tdnt,case\n$/);
    expect((await run(dir, 'add', 'log', 'registro', '--partial', '--from', 'en', '--to', 'fr')).code).toBe(0);

    const text = await run(dir, 'list');
    expect(text.stdout.split('\n').filter(Boolean).map((l) => l.split('\t').slice(1, 4).join(' '))).toEqual([
      'en→es Parla Parla', 'en→es file fichero', 'en→fr log registro',
    ]);
    expect((await list(dir, ...pair)).total).toBe(2);
    expect((await list(dir, '--query', 'FICH')).entries.map((e) => e.id)).toEqual([file.id]);
    expect((await list(dir, '--to', 'fr')).entries[0]).toMatchObject({ wholeWord: false });

    expect(await run(dir, 'remove', file.id)).toMatchObject({ code: 0, stdout: `removed ${file.id}\n` });
    const again = await run(dir, 'remove', file.id);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`parla: no glossary entry ${file.id} (see parla glossary list)\n`);
    expect((await list(dir, ...pair)).total).toBe(1);
  });

  it('says what is wrong in one line', async () => {
    const dir = tmp();
    const cases: [string[], RegExp][] = [
      [['add', 'file', 'fichero'], /needs --from and --to/],
      [['add', 'file', ...pair], /usage: parla glossary/],
      [['add', 'file', 'x', '--from', 'e<n', '--to', 'es'], /--from must be a language code/],
      [['frobnicate'], /unknown glossary command "frobnicate"/],
      [['import', join(dir, 'nope.csv'), ...pair], /nope\.csv: no such file/],
      [['list', '--limit', '0'], /--limit must be a positive whole number/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(dir, ...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('imports CSV and TSV with or without a header, and exports what it imports', async () => {
    const dir = tmp();
    const csv = join(dir, 'terms.csv');
    writeFileSync(csv, 'Target,Source,DNT\r\nfichero,file,\r\n,Parla,true\r\n"carpeta, grande","big folder",no\r\n');
    expect((await run(dir, 'import', csv, ...pair)).stdout).toMatch(/^imported 3 entries \(en→es\) in \d+ ms\n$/);
    const tsv = join(dir, 'more.tsv');
    writeFileSync(tsv, 'window\tventana\tfalse\ttrue\tfalse\n5" screen\tpantalla de 5"\n');
    expect((await run(dir, 'import', tsv, ...pair)).code).toBe(0);
    const { entries } = await list(dir, ...pair);
    expect(entries.map((e) => [e.source, e.target, e.doNotTranslate, e.caseSensitive, e.wholeWord])).toEqual([
      ['5" screen', 'pantalla de 5"', false, false, true],
      ['Parla', 'Parla', true, false, true],
      ['big folder', 'carpeta, grande', false, false, true],
      ['file', 'fichero', false, false, true],
      ['window', 'ventana', false, true, false],
    ]);
    for (const ext of ['csv', 'tsv']) {
      const out = join(dir, `export.${ext}`);
      expect((await run(dir, 'export', out, ...pair)).stderr).toBe(`exported 5 entries to ${out}\n`);
      expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(ext === 'csv' ? 'source,target,dnt,case_sensitive,whole_word' : 'source\ttarget\tdnt\tcase_sensitive\twhole_word');
      // Importing the export into another pair gives the same entries.
      const other = tmp();
      expect((await run(other, 'import', out, ...pair)).code).toBe(0);
      expect((await list(other, ...pair)).entries.map((e) => [e.source, e.target, e.doNotTranslate, e.caseSensitive, e.wholeWord])).toEqual(
        entries.map((e) => [e.source, e.target, e.doNotTranslate, e.caseSensitive, e.wholeWord]),
      );
    }
  });

  it('reads UTF-16 with or without BOM; a Latin-1 file is one BAD_FILE line unless its encoding is named', async () => {
    const dir = tmp();
    const text = 'source,target\nStraße,calle\nGröße,tamaño\n';
    const le = join(dir, 'le.csv');
    writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]));
    const be = join(dir, 'be.csv');
    writeFileSync(be, iconv.encode(text, 'utf-16be'));
    for (const f of [le, be]) {
      const target = tmp();
      expect((await run(target, 'import', f, '--from', 'de', '--to', 'es')).code).toBe(0);
      expect((await list(target)).entries.map((e) => `${e.source}=${e.target}`)).toEqual(['Größe=tamaño', 'Straße=calle']);
    }
    const latin1 = join(dir, 'latin1.csv');
    writeFileSync(latin1, iconv.encode(text, 'latin1'));
    const bad = await run(dir, 'import', latin1, '--from', 'de', '--to', 'es');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`parla: ${latin1} is not UTF-8 (byte 0xdf on line 2); save it as UTF-8, or name its encoding: --encoding windows-1252\n`);
    expect((await list(dir)).total).toBe(0);
    expect((await run(dir, 'import', latin1, '--from', 'de', '--to', 'es', '--encoding', 'latin1')).code).toBe(0);
    expect((await list(dir)).entries.map((e) => e.source)).toEqual(['Größe', 'Straße']);
    // A bad row names its line; nothing of the file is stored.
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, 'a,b\nc,\n');
    expect((await run(dir, 'import', broken, ...pair)).stderr).toBe(`parla: ${broken} line 2: "c" has no target term (give one, or dnt=true)\n`);
    expect((await list(dir, ...pair)).total).toBe(0);
  });

  it('imports 100,000 entries in one transaction (time reported), and translation still looks them up fast', async () => {
    const dir = tmp();
    const file = join(dir, 'big.csv');
    writeFileSync(file, Array.from({ length: 100_000 }, (_, i) => `term${i},término${i}`).join('\n') + '\nParla,Parla,true\n');
    const r = await run(dir, 'import', file, ...pair, '--json');
    expect(r.code).toBe(0);
    const { imported, ms } = JSON.parse(r.stdout) as { imported: number; ms: number };
    console.log(`import 100,001 entries: ${ms} ms`);
    expect(imported).toBe(100_001);

    const { openEngine } = protectedFake();
    const state = openLocalState({ dataDir: dir, openEngine });
    try {
      const t = state.doorTranslator('cli');
      await t.translate({ texts: ['warm up with term1'], from: 'en', to: 'es', noCache: true });
      const sentences = Array.from({ length: 200 }, (_, i) => `Parla keeps term${i * 37} and term${i * 91} in this sentence number ${i}`);
      const started = performance.now();
      const out = await t.translate({ texts: sentences, from: 'en', to: 'es', noCache: true });
      const perSentence = (performance.now() - started) / sentences.length;
      console.log(`translate with a 100,001-entry glossary: ${perSentence.toFixed(3)} ms a sentence (fake model)`);
      expect(out[5]!.text).toBe('es:Parla KEEPS término185 AND término455 IN THIS SENTENCE NUMBER 5');
    } finally {
      await state.close();
    }
  }, 120_000);

  describe('with --redis', () => {
    const server = useRedisServer();
    it("edits the team's glossary", async () => {
      const team = { redisUrl: server().url, team: `test-${randomUUID()}` };
      const dirA = tmp();
      const dirB = tmp();
      const add = await runCli(glossaryCommand, ['add', 'cart', 'carrito', ...pair], dirA, undefined, team);
      expect(add.code).toBe(0);
      const fromB = await runCli(glossaryCommand, ['list', '--json'], dirB, undefined, team);
      expect((JSON.parse(fromB.stdout) as GlossaryPage).entries.map((e) => e.target)).toEqual(['carrito']);
      // The local glossary of either data dir is untouched.
      expect((await list(dirA)).total).toBe(0);
    });
  });
});
