// DeepL's glossaries over Parla's: a DeepL glossary is a named group of entries in its pair's
// Parla glossary (Parla keeps one glossary per pair, always applied). This table holds the
// group's record (id, name, pair, the ids of the entries it added); the entries live in the
// glossary store like any others, so the CLI, the app and every door see and enforce them.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db.js';

export interface DeepLGlossaryRecord {
  id: string;
  name: string;
  from: string;
  to: string;
  entryIds: string[];
  createdAt: number;
}

interface Row {
  id: string;
  name: string;
  src_lang: string;
  tgt_lang: string;
  entry_ids: string;
  created_at: number;
}

const fromRow = (r: Row): DeepLGlossaryRecord => ({
  id: r.id,
  name: r.name,
  from: r.src_lang,
  to: r.tgt_lang,
  entryIds: JSON.parse(r.entry_ids) as string[],
  createdAt: r.created_at,
});

export class DeepLGlossaryStore {
  private readonly st;

  constructor(
    db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.st = {
      insert: db.prepare('INSERT INTO deepl_glossaries (id, name, src_lang, tgt_lang, entry_ids, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      all: db.prepare<[], Row>('SELECT * FROM deepl_glossaries ORDER BY created_at, id'),
      byId: db.prepare<[string], Row>('SELECT * FROM deepl_glossaries WHERE id = ?'),
      remove: db.prepare<[string]>('DELETE FROM deepl_glossaries WHERE id = ?'),
    };
  }

  add(group: Omit<DeepLGlossaryRecord, 'id' | 'createdAt'>): DeepLGlossaryRecord {
    // DeepL's glossary ids are UUIDs; its clients pass them back verbatim.
    const record = { ...group, id: randomUUID(), createdAt: this.now() };
    this.st.insert.run(record.id, record.name, record.from, record.to, JSON.stringify(record.entryIds), record.createdAt);
    return record;
  }

  list(): DeepLGlossaryRecord[] {
    return this.st.all.all().map(fromRow);
  }

  get(id: string): DeepLGlossaryRecord | undefined {
    const row = this.st.byId.get(id);
    return row ? fromRow(row) : undefined;
  }

  /** False when no glossary has that id. */
  remove(id: string): boolean {
    return this.st.remove.run(id).changes > 0;
  }
}
