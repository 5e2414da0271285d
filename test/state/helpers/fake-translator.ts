// A deterministic stand-in for the engine at the model-host edge: "hello" → "es:HELLO".
// It counts calls and texts so tests can assert exactly what reached the "model".
import type { TranslateRequest, Translation, Translator } from '../../../src/shared/translation.js';

export interface FakeTranslatorOptions {
  /** Throw for these texts (the whole call fails, like a model host error). */
  failOn?: (text: string, attempt: number) => boolean;
  delayMs?: number;
  model?: string;
  /** Review flags and confidence per source text, as the engine's ReviewingTranslator would give them. */
  review?: (text: string) => Pick<Translation, 'flags' | 'confidence'>;
}

export class FakeTranslator implements Translator {
  calls = 0;
  readonly texts: string[] = [];
  private readonly attempts = new Map<string, number>();

  constructor(private readonly options: FakeTranslatorOptions = {}) {}

  static render(text: string, to: string): string {
    return `${to}:${text.toUpperCase()}`;
  }

  async translate(request: TranslateRequest, signal?: AbortSignal): Promise<Translation[]> {
    this.calls += 1;
    if (this.options.delayMs) await new Promise((r) => setTimeout(r, this.options.delayMs));
    signal?.throwIfAborted();
    for (const text of request.texts) {
      const attempt = (this.attempts.get(text) ?? 0) + 1;
      this.attempts.set(text, attempt);
      if (this.options.failOn?.(text, attempt)) throw new Error(`model failed on "${text.slice(0, 20)}"`);
    }
    this.texts.push(...request.texts);
    return request.texts.map((source) => ({
      source,
      text: FakeTranslator.render(source, request.to),
      model: this.options.model ?? `fake/${request.from ?? 'xx'}-${request.to}`,
      cached: false,
      ms: 1,
      ...this.options.review?.(source),
    }));
  }
}
