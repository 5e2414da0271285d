// Cache keys must agree between every member and worker, or the team cache never hits. This is
// the same rule local state uses (src/core/state.ts): the engine's own resolveModel when it has
// one, otherwise the requested model or the routed pair.
import type { ModelIdentity } from '../cache/cached-translator.js';
import type { EngineTranslator } from '../state.js';
import type { TranslateRequest } from '../../shared/translation.js';

export function engineIdentity(engine: () => Promise<EngineTranslator>): (req: TranslateRequest) => Promise<ModelIdentity> {
  return async (req) => {
    const e = await engine();
    return e.resolveModel ? e.resolveModel(req) : { id: req.model ?? `pair:${req.from ?? 'auto'}-${req.to}`, revision: 'unknown' };
  };
}
