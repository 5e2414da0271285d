import { join } from 'node:path';
import { SqliteGlossary } from '../../src/core/glossary/sqlite.js';
import { useTmpDirs } from '../state/helpers/tmp.js';
import { runGlossaryContract } from './glossary-contract.js';

const tmp = useTmpDirs('parla-glossary-');
const dirs = new Map<string, string>();

// One parla.db per store name: two handles on it are two processes' views (the CLI and the app).
runGlossaryContract('sqlite', async (store) => {
  if (!dirs.has(store)) dirs.set(store, tmp());
  return new SqliteGlossary({ file: join(dirs.get(store)!, 'parla.db') });
});
