// The engine as every door sees it: route the request to a model, then translate through the
// shared model host.
import type { HostTranslateParams, HostTranslation } from '../../shared/host-protocol.js';
import type { ModelInfo, TranslateRequest, Translation, Translator } from '../../shared/translation.js';
import { ModelStore } from '../models/model-store.js';
import type { HostClient } from './host-client.js';
import { ParlaError } from '../../shared/errors.js';

export class HostTranslator implements Translator {
  constructor(
    private readonly client: HostClient,
    private readonly store: ModelStore,
  ) {}

  /**
   * Routes the model and has the host load it: a translate call with no texts. A host that is not
   * up yet starts while the model is routed (its start and the model check overlap).
   */
  async warm(request: Omit<TranslateRequest, 'texts'>): Promise<void> {
    const reached = this.client.connect().catch(() => undefined); // a failure shows on the call below
    const model = await this.store.forRequest(request);
    await reached;
    await this.client.call('translate', hostParams(model, { ...request, texts: [] }));
  }

  async translate(request: TranslateRequest, signal?: AbortSignal): Promise<Translation[]> {
    if (!request.to) throw new ParlaError('BAD_INPUT', 'a target language is required (--to LANG)');
    const started = performance.now();
    const model = await this.store.forRequest(request);
    if (!request.texts.length) return [];
    const results: HostTranslation[] = await this.client.call('translate', hostParams(model, request), { signal });
    const ms = Math.round(performance.now() - started);
    return results.map((r, i) => ({
      source: request.texts[i]!,
      text: r.text,
      model: model.id,
      cached: false,
      ms,
      ...(r.alternatives?.length ? { alternatives: r.alternatives } : {}),
      ...(r.score !== undefined && Number.isFinite(r.score) ? { confidence: Math.min(1, Math.exp(r.score)) } : {}),
      ...(r.truncated ? { flags: ['truncated' as const] } : {}),
    }));
  }
}

/** The host's translate params for a request routed to `model`. */
function hostParams(model: ModelInfo, request: TranslateRequest): HostTranslateParams {
  return { modelId: model.id, modelDir: model.dir, texts: request.texts, to: request.to, from: request.from ?? (model.from || undefined), options: request.options };
}
