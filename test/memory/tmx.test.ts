// TMX 1.4: a round trip keeps every unit, language, note, author, origin and history; other
// tools' files (several languages per unit, inline codes, notes) import; a malformed file is
// one line naming its line; and a kill -9 in the middle of an import leaves the memory as it
// was or complete, never half (the real CLI process, killed while it stores).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stateDbPath } from '../../src/core/db.js';
import { SqliteMemory } from '../../src/core/memory/sqlite.js';
import { formatTmx, parseTmx, readTmxFile } from '../../src/core/memory/tmx.js';
import { packageRoot } from '../../src/core/paths.js';
import { ensureBuilt, runParla } from '../engine/host-helpers.js';
import { useTmpDirs } from '../state/helpers/tmp.js';

const tmp = useTmpDirs('parla-tmx-');

describe('TMX', () => {
  it('round trip: every unit, language, note, author, time (to the second), origin and history', async () => {
    const a = new SqliteMemory({ author: () => 'ana' });
    const b = new SqliteMemory({});
    try {
      await a.add([
        { from: 'en', to: 'es', source: 'Save <b>now</b> & "quit"', target: 'Guarda <b>ya</b> y "sal"', when: 1_700_000_000_000, note: 'menu\nitem' },
        { from: 'en', to: 'fr', source: 'Save', target: 'Enregistrer', origin: 'approved', when: 1_700_000_001_000 },
        { from: 'de', to: 'en-GB', source: 'Tab\there, bell\u0007', target: 'Tab\there, bell\u0007', origin: 'imported', when: 1_700_000_002_000 },
      ]);
      await a.add([{ from: 'en', to: 'es', source: 'Save <b>now</b> & "quit"', target: 'Guarda <b>ahora</b> y "sal"', who: 'bo', when: 1_700_000_005_000 }]);
      const before = (await a.list({})).entries;
      const file = join(tmp(), 'out.tmx');
      writeFileSync(file, formatTmx(before, { version: 'test' }));
      const units = await readTmxFile(file);
      expect(units).toHaveLength(3);
      await b.import(units);
      const after = (await b.list({})).entries;
      const strip = (e: (typeof before)[number]) => ({ ...e, id: '' });
      expect(after.map(strip)).toEqual(before.map(strip));
      expect(after.find((e) => e.to === 'es')!.history).toEqual([{ target: 'Guarda <b>ya</b> y "sal"', who: 'ana', when: 1_700_000_000_000, origin: 'typed' }]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("reads other tools' files: units in several languages, inline codes, notes, dates", () => {
    const entries = parseTmx(
      `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
<header creationtool="X" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en-US" srclang="EN-US" datatype="html"/>
<body>
<tu creationid="MARTA" creationdate="20240102T030405Z">
  <note>from the style guide</note>
  <tuv xml:lang="en-US"><seg>Click <bpt i="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept></seg></tuv>
  <tuv xml:lang="es-ES"><seg>Pulsa <bpt i="1">&lt;b&gt;</bpt>Aceptar<ept i="1">&lt;/b&gt;</ept></seg></tuv>
  <tuv xml:lang="de-DE"><note>tuv note</note><seg><![CDATA[Klicken Sie auf <b>OK</b>]]></seg></tuv>
</tu>
<tu><tuv xml:lang="en-US"><seg>Untranslated</seg></tuv><tuv xml:lang="fr-FR"><seg></seg></tuv></tu>
</body>
</tmx>`,
      'other.tmx',
    );
    expect(entries).toEqual([
      { from: 'en-US', to: 'es-ES', source: 'Click <b>OK</b>', target: 'Pulsa <b>Aceptar</b>', origin: 'imported', who: 'MARTA', when: Date.UTC(2024, 0, 2, 3, 4, 5), note: 'from the style guide' },
      { from: 'en-US', to: 'de-DE', source: 'Click <b>OK</b>', target: 'Klicken Sie auf <b>OK</b>', origin: 'imported', who: 'MARTA', when: Date.UTC(2024, 0, 2, 3, 4, 5), note: 'from the style guide' },
    ]);
  });

  it('a malformed file is one line that names the line', () => {
    const bad = (text: string) => {
      try {
        parseTmx(text, 'bad.tmx');
      } catch (error) {
        return (error as Error & { code: string }).code + ' ' + (error as Error).message;
      }
      return 'parsed';
    };
    expect(bad('<tmx version="1.4"><body>\n<tu><tuv xml:lang="en"><seg>a</seg></tuv>\n</body></tmx>')).toMatch(/^BAD_INPUT bad\.tmx: malformed TMX at line 3: .+$/);
    expect(bad('<tmx version="1.4"><header srclang="en"/><body>\n\n<tu><tuv xml:lang="fr"><seg>a</seg></tuv></tu></body></tmx>')).toBe(
      'BAD_INPUT bad.tmx: malformed TMX at line 3: the unit has no <tuv> in its source language en',
    );
    expect(bad('<xliff/>')).toMatch(/^BAD_INPUT bad\.tmx: malformed TMX at line 1: the root element is <xliff>, not <tmx>$/);
    expect(bad('')).toMatch(/^BAD_INPUT bad\.tmx: malformed TMX at line 1: /);
    expect(bad('<tmx><body><tu><tuv><seg>x</seg></tuv></tu></body></tmx>')).toMatch(/line 1: a <tuv> without xml:lang$/);
    for (const text of ['<tmx version="1.4"><body>\n<tu><tuv xml:lang="en"><seg>a</seg></tuv>\n</body></tmx>', '<xliff/>', '']) expect(bad(text)).not.toContain('\n');
  });

  it('parla memory import: progress on stderr, a malformed file changes nothing', async () => {
    ensureBuilt();
    const dir = tmp();
    const file = join(dir, 'in.tmx');
    writeFileSync(file, formatTmx([entry(1), entry(2)], { version: 'test' }));
    const ok = await runParla(['memory', 'import', file, '--json'], dir);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ imported: 2 });
    expect(ok.stderr).toMatch(/reading .*in\.tmx: 100%/);
    expect(ok.stderr).toMatch(/storing 2 of 2 entries/);
    writeFileSync(file, formatTmx([entry(3)], { version: 'test' }).replace('</tu>', '</tuv>'));
    const bad = await runParla(['memory', 'import', file], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n').at(-1)).toMatch(/malformed TMX at line \d+/);
    const list = await runParla(['memory', 'list', '--json'], dir);
    expect((JSON.parse(list.stdout) as { total: number }).total).toBe(2);
  });

  it('kill -9 during an import leaves the memory as before or complete, never half', async () => {
    ensureBuilt();
    const dir = tmp();
    const before = new SqliteMemory({ file: stateDbPath(dir) });
    await before.add([{ from: 'en', to: 'es', source: 'kept', target: 'guardado' }]);
    await before.close();
    const file = join(dir, 'big.tmx');
    const n = 30_000;
    writeFileSync(file, formatTmx(Array.from({ length: n }, (_, i) => entry(i)), { version: 'test' }));
    const child = spawn(process.execPath, [join(packageRoot(), 'bin', 'parla.js'), 'memory', 'import', file, '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    // Killed once it is storing (inside the transaction): progress says so.
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/storing [1-9]\d* of/.test(stderr)) resolve();
      });
      child.on('exit', () => reject(new Error(`import ended before it was killed: ${stderr}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    const after = new SqliteMemory({ file: stateDbPath(dir) });
    try {
      const { total } = await after.list({});
      expect([1, n + 1]).toContain(total);
      expect((await after.lookup('en', 'es', ['kept']))[0]?.target).toBe('guardado');
    } finally {
      await after.close();
    }
  });
});

function entry(i: number) {
  return { id: `e${i}`, from: 'en', to: 'es', source: `sentence ${i} to remember`, target: `frase ${i} para recordar`, who: 'ana', when: 1_700_000_000_000, origin: 'typed' as const, history: [] };
}
