// What the compatible APIs keep beyond ParlaApi: named keys and DeepL glossary records, both in
// the data dir's parla.db (a server given none keeps them in memory), and the origins the
// settings allow to call the compatible APIs cross-origin (read without going through ParlaApi,
// so a request the gate refuses reaches no service).
import { openDb, type Db } from '../db.js';
import { DeepLGlossaryStore } from './deepl-glossaries.js';
import { KeyStore } from './keys.js';

export interface CompatStores {
  keys: KeyStore;
  glossaries: DeepLGlossaryStore;
  /** The `allowedOrigins` setting as it is now (the app may change it while the server runs). */
  allowedOrigins(): readonly string[];
}

export function compatStores(db: Db, allowedOrigins: () => readonly string[], now: () => number = Date.now): CompatStores {
  return { keys: new KeyStore(db, now), glossaries: new DeepLGlossaryStore(db, now), allowedOrigins };
}

/** Stores of their own, in memory, and no origin allowed: for a server started without a data dir. */
export function memoryCompatStores(allowedOrigins: () => readonly string[] = () => []): CompatStores {
  return compatStores(openDb(':memory:'), allowedOrigins);
}
