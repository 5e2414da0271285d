// The layer rules must actually fire: a renderer or contract file that imports Node fails lint.
import { ESLint } from 'eslint';
import { expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

it('rejects Node imports in the renderer', async () => {
  expect(await ruleIds("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'src/renderer/bad.tsx')).toContain('no-restricted-imports');
});

it('rejects Node and Electron imports in src/shared', async () => {
  expect(await ruleIds("import { join } from 'path';\nexport const x = join;\n", 'src/shared/bad.ts')).toContain('no-restricted-imports');
  expect(await ruleIds("import { app } from 'electron';\nexport const x = app;\n", 'src/shared/bad2.ts')).toContain('no-restricted-imports');
});

it('rejects Electron in core', async () => {
  expect(await ruleIds("import { app } from 'electron';\nexport const x = app;\n", 'src/core/bad.ts')).toContain('no-restricted-imports');
});

it('accepts the contract importing itself', async () => {
  expect(await ruleIds("import type { ErrorCode } from './errors.js';\nexport type X = ErrorCode;\n", 'src/shared/ok.ts')).toEqual([]);
});

it('keeps exceljs in src/core/sheets/xlsx.ts', async () => {
  const code = "import ExcelJS from 'exceljs';\nexport const x = ExcelJS;\n";
  expect(await ruleIds(code, 'src/core/review/bad.ts')).toContain('no-restricted-imports');
  expect(await ruleIds(code, 'src/server/bad.ts')).toContain('no-restricted-imports');
  expect(await ruleIds(code, 'src/main/bad.ts')).toContain('no-restricted-imports');
  expect(await ruleIds(code, 'src/core/sheets/xlsx.ts')).toEqual([]);
  // The file that may speak exceljs is still Electron-free.
  expect(await ruleIds("import { app } from 'electron';\nexport const x = app;\n", 'src/core/sheets/xlsx.ts')).toContain('no-restricted-imports');
});
