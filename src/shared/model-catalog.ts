// Models Parla can offer by name: the OPUS-MT pairs Xenova converted to ONNX for transformers.js
// (the list in the Xenova/transformers.js repository, `quantized/Helsinki-NLP/`; each published
// as `Xenova/opus-mt-SRC-TGT` with fp32 and int8 `*_quantized.onnx` graphs). Ids are taken from
// that published list, never built from a pair, so a hint never names a model that does not
// exist. Pure: the renderer shows it on the Models page, the CLI searches it.
import { languageName, normalizeLanguage } from './languages.js';

export interface CatalogModel {
  id: string;
  from: string;
  /** `mul` for the multilingual models (one `>>xx<<` token per target). */
  to: string;
  /**
   * Approximate fp32 size in MB: Hugging Face documents "about 298 MB" per OPUS-MT model.
   * Multilingual models have larger vocabularies and are left unknown, as are int8 sizes.
   */
  approxMB?: number;
}

const PAIRS =
  'af-en ar-en de-en de-es de-fr en-af en-ar en-de en-es en-fi en-fr en-hi en-it en-mul en-nl en-ro en-ru en-sv ' +
  'en-zh es-de es-en es-fr es-it es-ru fi-en fr-de fr-en fr-es fr-ro fr-ru hi-en it-en it-es mul-en nl-en ro-fr ' +
  'ru-en ru-es ru-fr ru-uk sv-en uk-ru zh-en';

export const MODEL_CATALOG: readonly CatalogModel[] = PAIRS.split(' ').map((pair) => {
  const [from, to] = pair.split('-') as [string, string];
  const multilingual = from === 'mul' || to === 'mul';
  return {
    id: `Xenova/opus-mt-${pair}`,
    from,
    to,
    ...(multilingual ? {} : { approxMB: 300 }),
  };
});

/** The catalog model for exactly from→to, if one is published. */
export function catalogModelFor(from: string, to: string): CatalogModel | undefined {
  return MODEL_CATALOG.find((m) => m.from === from && m.to === to);
}

/**
 * Catalog models that touch a language (code or name, any case: `es`, `Spanish`, `español`),
 * or all of them for an empty query; `en-es` or `en es` searches one pair.
 */
export function searchCatalog(query: string): CatalogModel[] {
  const words = query.trim().split(/[\s>→]+|(?<=^[A-Za-z]{2,3})-(?=[A-Za-z]{2,3}$)/).filter(Boolean);
  if (words.length === 0) return [...MODEL_CATALOG];
  const codes = words.map((w) => normalizeLanguage(w));
  if (codes.some((c) => c === undefined)) return [];
  if (codes.length === 2) return MODEL_CATALOG.filter((m) => m.from === codes[0] && m.to === codes[1]);
  return MODEL_CATALOG.filter((m) => codes.every((c) => m.from === c || m.to === c));
}

/** `Xenova/opus-mt-en-es  English → Spanish  ~300 MB` */
export function describeCatalogModel(m: CatalogModel): string {
  const size = m.approxMB ? `~${m.approxMB} MB` : 'size varies';
  const name = (code: string) => (code === 'mul' ? 'many languages' : languageName(code));
  return `${m.id}\t${name(m.from)} → ${name(m.to)}\t${size}`;
}
