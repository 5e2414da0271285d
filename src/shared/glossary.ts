// Glossary (terminology) per language pair: where a source term occurs, the output holds its
// target term; a do-not-translate entry (brand and product names) comes back as written.

export interface GlossaryEntry {
  id: string;
  /** Source and target languages of the pair the entry belongs to ("en", "es"). */
  from: string;
  to: string;
  source: string;
  /** The required translation; equal to `source` for a do-not-translate entry. */
  target: string;
  doNotTranslate: boolean;
  /** Match the source term's case exactly (default: any case). */
  caseSensitive: boolean;
  /** Match whole words only (default): "cat" does not match inside "category". */
  wholeWord: boolean;
  createdAt: number;
}

export type NewGlossaryEntry = Pick<GlossaryEntry, 'from' | 'to' | 'source'> &
  Partial<Pick<GlossaryEntry, 'target' | 'doNotTranslate' | 'caseSensitive' | 'wholeWord'>>;

/** What the translation path needs of a glossary store: one pair's entries and their version. */
export interface GlossaryLookup {
  /** The entries of a pair and a version that changes whenever they do (part of the cache key). */
  forPair(from: string, to: string): Promise<{ version: string; entries: readonly GlossaryEntry[] }>;
}

export interface GlossaryQuery {
  from?: string;
  to?: string;
  /** Matches source or target term, any case. */
  q?: string;
  limit?: number;
  offset?: number;
}

export interface GlossaryPage {
  entries: GlossaryEntry[];
  /** All entries matching the query, ignoring limit and offset. */
  total: number;
}

export const GLOSSARY_FILE_FORMATS = ['csv', 'tsv'] as const;
export type GlossaryFileFormat = (typeof GLOSSARY_FILE_FORMATS)[number];

/** A glossary file to import into one pair (CSV/TSV; see docs/glossary.md for its columns). */
export interface GlossaryImport {
  from: string;
  to: string;
  fileName: string;
  bytes: Uint8Array;
  /** The file's encoding when it is not UTF-8 or UTF-16 (e.g. "windows-1252"). */
  encoding?: string;
}

export interface GlossaryImported {
  imported: number;
  ms: number;
}
