// Tiny hand-written validators for data arriving over a process or network boundary.
// `v.parse(value)` returns the value typed, or throws ParlaError('BAD_INPUT') naming the path.
import { ParlaError } from './errors.js';

export interface Validator<T> {
  parse(value: unknown, path?: string): T;
}

function fail(path: string, expected: string): never {
  throw new ParlaError('BAD_INPUT', `${path || 'value'} must be ${expected}`);
}

function make<T>(parse: (value: unknown, path: string) => T): Validator<T> {
  return { parse: (value, path = '') => parse(value, path) };
}

export const str = (opts: { min?: number; max?: number } = {}): Validator<string> =>
  make((value, path) => {
    if (typeof value !== 'string') fail(path, 'a string');
    if (opts.min !== undefined && value.length < opts.min) fail(path, `at least ${opts.min} characters`);
    if (opts.max !== undefined && value.length > opts.max) fail(path, `at most ${opts.max} characters`);
    return value;
  });

export const int = (opts: { min?: number; max?: number } = {}): Validator<number> =>
  make((value, path) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) fail(path, 'an integer');
    if (opts.min !== undefined && value < opts.min) fail(path, `≥ ${opts.min}`);
    if (opts.max !== undefined && value > opts.max) fail(path, `≤ ${opts.max}`);
    return value;
  });

export const num = (opts: { min?: number; max?: number } = {}): Validator<number> =>
  make((value, path) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'a number');
    if (opts.min !== undefined && value < opts.min) fail(path, `≥ ${opts.min}`);
    if (opts.max !== undefined && value > opts.max) fail(path, `≤ ${opts.max}`);
    return value;
  });

export const bool = (): Validator<boolean> =>
  make((value, path) => (typeof value === 'boolean' ? value : fail(path, 'true or false')));

export const bytes = (): Validator<Uint8Array> =>
  make((value, path) => (value instanceof Uint8Array ? value : fail(path, 'bytes')));

export const oneOf = <const T extends readonly string[]>(choices: T): Validator<T[number]> =>
  make((value, path) => {
    if (typeof value !== 'string' || !choices.includes(value)) fail(path, `one of ${choices.join(', ')}`);
    return value as T[number];
  });

export const arr = <T>(item: Validator<T>, opts: { min?: number; max?: number } = {}): Validator<T[]> =>
  make((value, path) => {
    if (!Array.isArray(value)) fail(path, 'an array');
    if (opts.min !== undefined && value.length < opts.min) fail(path, `a list of at least ${opts.min}`);
    if (opts.max !== undefined && value.length > opts.max) {
      throw new ParlaError('TOO_LARGE', `${path || 'list'} holds ${value.length} items; the limit is ${opts.max}`);
    }
    return value.map((v, i) => item.parse(v, `${path}[${i}]`));
  });

/** Marks an object field as optional (absent or undefined). */
export interface Optional<T> extends Validator<T | undefined> {
  optional: true;
}

export const opt = <T>(inner: Validator<T>): Optional<T> => ({
  optional: true,
  parse: (value, path = '') => (value === undefined ? undefined : inner.parse(value, path)),
});

type Shape = Record<string, Validator<unknown>>;
type Out<S extends Shape> = {
  [K in keyof S as S[K] extends Optional<unknown> ? never : K]: S[K] extends Validator<infer T> ? T : never;
} & {
  [K in keyof S as S[K] extends Optional<unknown> ? K : never]?: S[K] extends Optional<infer T> ? T : never;
};

/** An object with exactly these fields; unknown fields are rejected (a typo should not pass silently). */
export const obj = <S extends Shape>(shape: S): Validator<Out<S>> =>
  make((value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object');
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (!(key in shape)) throw new ParlaError('BAD_INPUT', `${path ? `${path}.` : ''}${key} is not a known field`);
    }
    for (const [key, field] of Object.entries(shape)) {
      const parsed = field.parse((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
      if (parsed !== undefined) out[key] = parsed;
    }
    return out as Out<S>;
  });

export const union = <A, B>(a: Validator<A>, b: Validator<B>, expected: string): Validator<A | B> =>
  make((value, path) => {
    try {
      return a.parse(value, path);
    } catch {
      try {
        return b.parse(value, path);
      } catch {
        return fail(path, expected);
      }
    }
  });

export const tuple = <T extends unknown[]>(...items: { [K in keyof T]: Validator<T[K]> }): Validator<T> =>
  make((value, path) => {
    if (!Array.isArray(value) || value.length > items.length) fail(path, `a list of ${items.length} arguments`);
    return items.map((item, i) => (item as Validator<unknown>).parse(value[i], `${path}[${i}]`)) as T;
  });

/**
 * A BCP-47-like language code (`es`, `pt-BR`, `zh_Hant`; Marian's `>>pt_br<<` tokens use `_`).
 * Codes become parts of file names (`data.es+fr.csv`), so nothing else gets through: no dots,
 * no separators.
 */
export const LANG_CODE = /^[a-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$/;

export const langCode = (): Validator<string> =>
  make((value, path) => {
    if (typeof value !== 'string' || value.length > 35 || !LANG_CODE.test(value)) fail(path, 'a language code like es or pt-BR');
    return value;
  });

/** A source language: a language code, or `auto` (detect each text's; see AUTO_SOURCE). */
export const sourceLang = (): Validator<string> =>
  make((value, path) => (value === 'auto' ? value : langCode().parse(value, path)));

/** A file's own name (no folder): what a browser or the app sends for a picked file. */
export const fileName = (): Validator<string> =>
  make((value, path) => {
    if (typeof value !== 'string' || value.length < 1 || value.length > 255 || /[/\\\u0000-\u001f\u007f]/.test(value) || value === '.' || value === '..') {
      fail(path, 'a file name without folders');
    }
    return value;
  });
