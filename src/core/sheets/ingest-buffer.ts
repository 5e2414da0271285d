// What CSV and XLSX ingestion share: texts met while reading a sheet become one item per
// (target language, normalised text) with a count of its cells, handed to the queue in chunks
// so a million-row file never sits in memory at once.
import { textKey } from '../jobs/text-key.js';
import type { NewText } from '../queue/backend.js';

/** Distinct items handed to the queue at a time. */
const INGEST_CHUNK = 2000;

export class IngestBuffer {
  private items = new Map<string, NewText>();

  constructor(
    private readonly to: readonly string[],
    private readonly add: (texts: readonly NewText[]) => Promise<void>,
  ) {}

  /** One cell's text, for every target language. */
  push(text: string): void {
    const key = textKey(text);
    for (const lang of this.to) {
      const id = `${lang}\u0000${key}`;
      const seen = this.items.get(id);
      if (seen) seen.count = (seen.count ?? 1) + 1;
      else this.items.set(id, { lang, key, source: text, count: 1 });
    }
  }

  /** Hands the items over once a chunk's worth has gathered (call between rows). */
  async flushIfFull(): Promise<void> {
    if (this.items.size >= INGEST_CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.items.size === 0) return;
    const texts = [...this.items.values()];
    this.items = new Map();
    await this.add(texts);
  }
}
