// Input limits shared by every door, so IPC, HTTP and the CLI refuse the same things.

export const LIMITS = {
  /** Texts in one interactive translate call. */
  translateTexts: 1_000,
  /** Characters in one text. */
  textChars: 20_000,
  /** Texts in one text job. */
  jobTexts: 200_000,
  /** Bytes in an uploaded spreadsheet. */
  fileBytes: 64 * 1024 * 1024,
  /** Bytes in a JSON request body. */
  jsonBodyBytes: 16 * 1024 * 1024,
  maxBeam: 8,
  historyPage: 500,
  /** Glossary entries in one list page, and in one add call (an import may hold more). */
  glossaryPage: 1_000,
  glossaryAdd: 100_000,
  /** Translation memory entries in one list page, and in one add call (a TMX import may hold more). */
  memoryPage: 1_000,
  memoryAdd: 10_000,
  /** Characters in a glossary term. */
  termChars: 500,
} as const;
