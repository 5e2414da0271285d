import { join } from 'node:path';
import { SqliteMemory } from '../../src/core/memory/sqlite.js';
import { useTmpDirs } from '../state/helpers/tmp.js';
import { runMemoryContract } from './memory-contract.js';

const tmp = useTmpDirs('parla-memory-');
const dirs = new Map<string, string>();

// One parla.db per store name: two handles on it are two processes' views (the CLI and the app).
runMemoryContract('sqlite', async (store, options) => {
  if (!dirs.has(store)) dirs.set(store, tmp());
  return new SqliteMemory({ file: join(dirs.get(store)!, 'parla.db'), ...options });
});
