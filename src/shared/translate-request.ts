// One translation request, whichever door it came through (CLI flags, an HTTP body, an IPC
// call): validated at the door, then made canonical here, so the same request is the same object
// (and has the same cache key) in every door. Defaults are left out rather than spelled out:
// `{beam: 1}`, `{}` and `{nBest: 1, quantized: false}` are one request.
import type { DecodeOptions, TranslateRequest } from './translation.js';
import { LIMITS } from './limits.js';
import { PROTECT_MODES } from './translation.js';
import { arr, bool, int, langCode, num, obj, oneOf, opt, sourceLang, str, type Validator } from './validate.js';

/** What the engine does when an option is left out (src/workers/marian/marian-model.ts). */
export const DECODE_DEFAULTS = { beam: 1, nBest: 1, lengthPenalty: 1, quantized: false } as const satisfies DecodeOptions;

/**
 * Options with every default value dropped and nBest capped at the beam (the engine returns at
 * most `beam` hypotheses); undefined when nothing is left. `maxLength` has no fixed default (the
 * engine derives its cap from the text and the model), so it stays as given.
 */
export function canonicalDecodeOptions(options: DecodeOptions | undefined): DecodeOptions | undefined {
  if (!options) return undefined;
  const beam = options.beam ?? DECODE_DEFAULTS.beam;
  const nBest = Math.min(options.nBest ?? DECODE_DEFAULTS.nBest, beam);
  const out: DecodeOptions = {
    ...(beam !== DECODE_DEFAULTS.beam ? { beam } : {}),
    ...(nBest !== DECODE_DEFAULTS.nBest ? { nBest } : {}),
    ...(options.maxLength !== undefined ? { maxLength: options.maxLength } : {}),
    ...(options.lengthPenalty !== undefined && options.lengthPenalty !== DECODE_DEFAULTS.lengthPenalty ? { lengthPenalty: options.lengthPenalty } : {}),
    ...(options.quantized !== undefined && options.quantized !== DECODE_DEFAULTS.quantized ? { quantized: options.quantized } : {}),
  };
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The request with defaults left out: no default options, `protect: 'auto'` or `noCache: false`, and no undefined fields. */
export function canonicalTranslateRequest<R extends Omit<TranslateRequest, 'texts'>>(request: R): R {
  const { from, model, options, noCache, protect, suggest, history, ...rest } = request;
  const canonical = canonicalDecodeOptions(options);
  return {
    ...rest,
    ...(from !== undefined ? { from } : {}),
    ...(model !== undefined ? { model } : {}),
    ...(canonical ? { options: canonical } : {}),
    ...(noCache ? { noCache } : {}),
    ...(protect !== undefined && protect !== 'auto' ? { protect } : {}),
    ...(suggest ? { suggest } : {}),
    ...(history === false ? { history } : {}),
  } as R;
}

const texts = arr(str({ max: LIMITS.textChars }), { min: 1, max: LIMITS.translateTexts });
const beam = int({ min: 1, max: LIMITS.maxBeam });
const model = str({ min: 1, max: 1024 });

const ipcShape = obj({
  texts,
  to: langCode(),
  from: opt(sourceLang()),
  model: opt(model),
  options: opt(
    obj({
      beam: opt(beam),
      nBest: opt(beam),
      maxLength: opt(int({ min: 1, max: 1024 })),
      lengthPenalty: opt(num({ min: 0, max: 4 })),
      quantized: opt(bool()),
    }),
  ),
  noCache: opt(bool()),
  protect: opt(oneOf(PROTECT_MODES)),
  suggest: opt(bool()),
  history: opt(bool()),
});

/** IPC's `translate` argument (a TranslateRequest as the contract spells it), canonical. */
export const translateRequest: Validator<TranslateRequest> = {
  parse: (value, path) => canonicalTranslateRequest(ipcShape.parse(value, path)),
};

const httpShape = obj({
  texts,
  from: opt(sourceLang()),
  to: langCode(),
  beam: opt(beam),
  /** Alternatives per text (≤ beam): asked for, never implied by `beam`, so a beam request keys like the CLI's. */
  nBest: opt(beam),
  model: opt(model),
  protect: opt(oneOf(PROTECT_MODES)),
  /** Fuzzy memory suggestions for texts without an exact memory match. */
  suggest: opt(bool()),
  /** `false`: a draft, not recorded in history (the door records it with `POST /api/v1/history`). */
  history: opt(bool()),
});

/** `POST /api/v1/translate`'s flat body `{texts, from?, to, beam?, nBest?, model?, protect?, suggest?, history?}`, as a canonical TranslateRequest. */
export const httpTranslateRequest: Validator<TranslateRequest> = {
  parse: (value, path) => {
    const { beam, nBest, ...rest } = httpShape.parse(value, path);
    return canonicalTranslateRequest({ ...rest, options: { ...(beam !== undefined ? { beam } : {}), ...(nBest !== undefined ? { nBest } : {}) } });
  },
};
