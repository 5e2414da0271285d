// `from: "auto"`: each text goes to the model of its own language. A text already in the target
// language comes back as it was (`same_language`, no model call); one whose language no installed
// model translates into the target stays untranslated (`no_model`); one too short to tell goes to
// the fallback source (English first, else the first installed source) and says so in `detected`.
// Sits in front of the cache, so the cache and the engine only ever see a concrete source.
import { ParlaError } from '../../shared/errors.js';
import { AUTO_SOURCE, type TranslateRequest, type Translation, type Translator } from '../../shared/translation.js';
import { detector as sharedDetector, type LanguageDetector } from './detector.js';

/**
 * The source languages of the installed models that translate into `to`; undefined when the
 * engine cannot say (a stand-in engine), and every language then counts as served.
 */
export type SourcesFor = (to: string) => Promise<readonly string[] | undefined>;

export class DetectingTranslator implements Translator {
  constructor(
    private readonly inner: Translator,
    private readonly sourcesFor: SourcesFor,
    private readonly detector: () => Promise<LanguageDetector> = sharedDetector,
  ) {}

  async warm(request: Omit<TranslateRequest, 'texts'>): Promise<void> {
    if (request.from !== AUTO_SOURCE) return this.inner.warm?.(request);
    // The fallback source's model is the likeliest one; the detector loads meanwhile.
    void this.detector().catch(() => undefined);
    const sources = await this.sourcesFor(request.to);
    const from = fallbackSource(sources);
    if (from) await this.inner.warm?.({ ...request, from });
  }

  async translate(request: TranslateRequest, signal?: AbortSignal): Promise<Translation[]> {
    if (!(await this.detects(request))) return this.inner.translate(request, signal);
    const { to } = request;
    const sources = await this.sourcesFor(to);
    const fallback = fallbackSource(sources);
    if (sources && !fallback) throw new ParlaError('UNKNOWN_PAIR', `no installed model translates into ${to}; run: parla models download Xenova/opus-mt-en-${to}`);
    const detector = await this.detector();
    const expected = [...(sources ?? []), to];
    const results = new Array<Translation>(request.texts.length);
    const groups = new Map<string, number[]>();
    const detections = request.texts.map((source) => {
      const { language, confidence } = detector.detect(source, { expected });
      return { ...(language ? { language } : {}), confidence: round(confidence) };
    });
    request.texts.forEach((source, i) => {
      const detected = detections[i]!;
      const from = detected.language ?? fallback ?? 'en';
      const untouched = { source, model: '', cached: false, ms: 0, from, detected };
      if (from === to) results[i] = { ...untouched, text: source, flags: ['same_language'] };
      else if (sources && !sources.includes(from)) results[i] = { ...untouched, text: '', flags: ['no_model'] };
      else groups.set(from, [...(groups.get(from) ?? []), i]);
    });
    for (const [from, at] of groups) {
      const translated = await this.inner.translate({ ...request, from, texts: at.map((i) => request.texts[i]!) }, signal);
      at.forEach((i, k) => (results[i] = { ...translated[k]!, from, detected: detections[i]! }));
    }
    return results;
  }

  /** `from: "auto"`, or no `from` (nor model) where models of several sources serve the target. */
  private async detects(request: TranslateRequest): Promise<boolean> {
    if (request.from === AUTO_SOURCE) return true;
    if (request.from || request.model) return false;
    return ((await this.sourcesFor(request.to)) ?? []).length > 1;
  }
}

/** Where a text too short to tell goes: English when a model serves it, else the first source. */
function fallbackSource(sources: readonly string[] | undefined): string | undefined {
  if (!sources) return undefined;
  return sources.includes('en') ? 'en' : sources[0];
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
