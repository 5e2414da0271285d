// What the compatible APIs keep beyond ParlaApi: named keys and DeepL glossary records, both in
// the data dir's parla.db (a server given none keeps them in memory).
import { openDb, type Db } from '../db.js';
import { DeepLGlossaryStore } from './deepl-glossaries.js';
import { KeyStore } from './keys.js';

export interface CompatStores {
  keys: KeyStore;
  glossaries: DeepLGlossaryStore;
}

export function compatStores(db: Db, now: () => number = Date.now): CompatStores {
  return { keys: new KeyStore(db, now), glossaries: new DeepLGlossaryStore(db, now) };
}

/** Stores of their own, in memory: for a server started without a data dir's database. */
export function memoryCompatStores(): CompatStores {
  return compatStores(openDb(':memory:'));
}
