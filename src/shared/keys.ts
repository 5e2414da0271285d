// Named API keys for the compatible APIs (DeepL, LibreTranslate): one per client or team member,
// each with its own monthly character limit, rate limit and usage. A key opens only those APIs;
// the server's token keeps every door. Keys are shown once, at creation, and stored hashed.

/** A key's name: letters, digits and `. _ @ -` (it appears in lists and in `parla keys revoke NAME`). */
export const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export interface ApiKeyInfo {
  name: string;
  createdAt: number;
  /** When a request last presented the key; null before its first use. */
  lastUsedAt: number | null;
  /** Characters per calendar month (UTC), as DeepL's usage period; null = no limit. */
  charLimit: number | null;
  /** Requests per minute; null = no limit. */
  ratePerMinute: number | null;
  /** This month's use: `period` is the month, "2026-12". */
  usage: { period: string; characters: number; requests: number };
}

export interface NewApiKey {
  name: string;
  charLimit?: number;
  ratePerMinute?: number;
}

/** A key as created: the only time its text is seen. */
export type CreatedApiKey = ApiKeyInfo & { key: string };
