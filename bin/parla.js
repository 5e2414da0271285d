#!/usr/bin/env node
// The `parla` command: runs the compiled CLI (npm install's `prepare` step builds dist/).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('parla: not built yet; run `npm install` (or `npm run build:node`) in the project folder\n');
  process.exit(1);
}
await import(entry.href);
