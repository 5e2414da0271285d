// Plural-Forms per language, for a catalog whose header does not say (a POT, or a PO made for
// another language). The rules are gettext's own (its manual's "Plural forms" table and what
// `msginit` writes), keyed by the language part of a BCP-47 code, with region variants first.
const PLURAL_FORMS: Record<string, string> = {
  ja: 'nplurals=1; plural=0;',
  zh: 'nplurals=1; plural=0;',
  ko: 'nplurals=1; plural=0;',
  vi: 'nplurals=1; plural=0;',
  th: 'nplurals=1; plural=0;',
  id: 'nplurals=1; plural=0;',
  ms: 'nplurals=1; plural=0;',
  tr: 'nplurals=2; plural=(n != 1);',
  en: 'nplurals=2; plural=(n != 1);',
  es: 'nplurals=2; plural=(n != 1);',
  de: 'nplurals=2; plural=(n != 1);',
  it: 'nplurals=2; plural=(n != 1);',
  pt: 'nplurals=2; plural=(n != 1);',
  nl: 'nplurals=2; plural=(n != 1);',
  sv: 'nplurals=2; plural=(n != 1);',
  da: 'nplurals=2; plural=(n != 1);',
  nb: 'nplurals=2; plural=(n != 1);',
  no: 'nplurals=2; plural=(n != 1);',
  fi: 'nplurals=2; plural=(n != 1);',
  el: 'nplurals=2; plural=(n != 1);',
  hu: 'nplurals=2; plural=(n != 1);',
  ca: 'nplurals=2; plural=(n != 1);',
  he: 'nplurals=2; plural=(n != 1);',
  hi: 'nplurals=2; plural=(n != 1);',
  fr: 'nplurals=2; plural=(n > 1);',
  'pt-br': 'nplurals=2; plural=(n > 1);',
  ru: 'nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);',
  uk: 'nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);',
  pl: 'nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);',
  cs: 'nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;',
  sk: 'nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;',
  ro: 'nplurals=3; plural=(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2);',
  ar: 'nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);',
};

/** The built-in Plural-Forms for a BCP-47 code (`pt-BR` before `pt`), or undefined when unknown. */
export function builtinPluralForms(lang: string): string | undefined {
  const lower = lang.toLowerCase().replace(/_/g, '-');
  return PLURAL_FORMS[lower] ?? PLURAL_FORMS[lower.split('-')[0] ?? ''];
}

/** `nplurals` of a Plural-Forms value, or undefined when it has none (a POT's `nplurals=INTEGER`). */
export function nplurals(pluralForms: string | undefined): number | undefined {
  const m = /nplurals\s*=\s*(\d+)/u.exec(pluralForms ?? '');
  const n = m ? Number(m[1]) : NaN;
  return n >= 1 && n <= 10 ? n : undefined;
}

/** gettext's spelling of a language in the Language header: `pt-BR` → `pt_BR`. */
export function gettextLanguage(lang: string): string {
  const [primary, ...rest] = lang.split(/[-_]/u);
  return [primary!.toLowerCase(), ...rest.map((r) => (r.length === 2 ? r.toUpperCase() : r))].join('_');
}

/** Same language, whatever the spelling: `pt_BR` and `pt-br`; `es` and `es_ES` are not (regional rules may differ). */
export function sameLanguage(a: string, b: string): boolean {
  return a.toLowerCase().replace(/_/g, '-') === b.toLowerCase().replace(/_/g, '-');
}
