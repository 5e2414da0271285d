// What a person types for a language (`ES`, `es-ES`, `es_es`, `Spanish`, `español`) as the code
// Parla's models are keyed by (`es`, `pt-BR`, `zh-Hant`). Names come from the runtime's ICU data
// (Intl.DisplayNames) in English and in each language itself, so there is no name table to keep.
// Pure: used by the renderer as well as the doors.

/** ISO 639-1 codes, plus the 639-2/3 codes OPUS-MT names models with where no 639-1 exists. */
const CODES = (
  'af am ar as az be bg bn br bs ca cs cy da de el en eo es et eu fa fi fo fr fy ga gd gl gu ha he hi hr ht hu hy ' +
  'id ig is it ja jv ka kk km kn ko ku ky la lb lg ln lo lt lv mg mi mk ml mn mr ms mt my nb ne nl nn no ny oc om or ' +
  'pa pl ps pt qu ro ru rw sa sd si sk sl sm sn so sq sr st su sv sw ta te tg th ti tk tl tn to tr ts tt ug uk ur uz ' +
  'vi wa wo xh yi yo zh zu ase ceb chr fil haw hmn kab kam mul nso pag pap tvl tpi war yue'
).split(' ');

/** Region subtags that name a different written standard for the model choice (`pt-BR` vs `pt`). */
const KEEP_REGION = new Set(['pt-br', 'zh-hant', 'zh-hans', 'zh-tw', 'zh-cn', 'sr-latn', 'sr-cyrl']);

const CODE_SHAPE = /^([A-Za-z]{2,3})(?:[-_]([A-Za-z0-9]{2,8}))*$/;

let byName: Map<string, string> | undefined;

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

function nameIndex(): Map<string, string> {
  if (byName) return byName;
  byName = new Map();
  const english = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
  for (const code of CODES) {
    const names = [english.of(code)];
    try {
      names.push(new Intl.DisplayNames([code], { type: 'language', fallback: 'none' }).of(code));
    } catch {
      // A code the runtime's ICU has no locale data for: its English name still works.
    }
    for (const name of names) if (name && !byName.has(fold(name))) byName.set(fold(name), code);
  }
  return byName;
}

/**
 * The canonical code for what a person typed, or undefined when it is neither a language code
 * nor a language's name. `ES` → `es`, `es-ES` → `es`, `pt_br` → `pt-BR`, `Spanish` → `es`,
 * `Español` → `es`, `zh-hant` → `zh-Hant`.
 */
export function normalizeLanguage(input: string): string | undefined {
  const text = input.trim();
  if (text === '' || text.length > 40) return undefined;
  const named = nameIndex().get(fold(text));
  if (named) return named;
  const m = CODE_SHAPE.exec(text);
  if (!m) return undefined;
  const parts = text.split(/[-_]/);
  const base = parts[0]!.toLowerCase();
  if (parts.length === 1) return base;
  const tag = `${base}-${parts[1]!.toLowerCase()}`;
  if (!KEEP_REGION.has(tag)) return base;
  const sub = parts[1]!;
  return `${base}-${sub.length === 4 ? sub[0]!.toUpperCase() + sub.slice(1).toLowerCase() : sub.toUpperCase()}`;
}

/** The English name of a code (`es` → `Spanish`), the code itself when the runtime knows none. */
let englishNames: Intl.DisplayNames | undefined;

export function languageName(code: string): string {
  try {
    englishNames ??= new Intl.DisplayNames(['en'], { type: 'language' });
    return englishNames.of(code) ?? code;
  } catch {
    return code;
  }
}
