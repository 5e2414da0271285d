// A TextFormat as a JobFormat: the file is read whole as UTF-8 (a BOM kept), its units become
// the job's items (one per distinct text and language, keyed by textKey like every job), and
// the output is rendered per target language from the job's translations and written whole.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { isTranslatableText } from '../../shared/column-class.js';
import { ParlaError } from '../../shared/errors.js';
import type { ItemTranslation } from '../../shared/jobs.js';
import { LIMITS } from '../../shared/limits.js';
import type { Lookup } from '../jobs/source.js';
import { textKey } from '../jobs/text-key.js';
import type { NewText } from '../queue/backend.js';
import { checkOutputFile, writeWhole } from '../output-file.js';
import type { FilePlan, FormatPlanRequest, JobFormat } from './job-format.js';
import type { AnyTextFormat } from './index.js';
import type { FileUnit, RenderOptions, TextFormatId, UnitCounts } from './text-format.js';

export interface TextPlan extends FilePlan {
  format: TextFormatId;
  /** Output file per target language. */
  outputs: Record<string, string>;
  overwrite: boolean;
  fuzzy: boolean;
}

const BOM = '\ufeff';
/** Items handed to the queue at a time; the event loop gets a turn between chunks. */
const INGEST_CHUNK = 2000;
/** Keys looked up at a time while writing. */
const LOOKUP_CHUNK = 5000;

interface ReadFile {
  text: string;
  bom: boolean;
}

/** The file as text; BAD_FILE unless it is UTF-8 (gettext's own tools convert with msgconv or iconv). */
export async function readTextFile(file: string): Promise<ReadFile> {
  const st = await stat(file).catch(() => {
    throw new ParlaError('NOT_FOUND', `${file}: no such file`);
  });
  if (!st.isFile()) throw new ParlaError('BAD_INPUT', `${file} is not a file`);
  if (st.size > LIMITS.fileBytes) throw new ParlaError('TOO_LARGE', `${file} is larger than ${LIMITS.fileBytes / 1024 / 1024} MB`);
  const bytes = await readFile(file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ParlaError('BAD_FILE', `${file} is not UTF-8 text; convert it to UTF-8 first (iconv, or msgconv --to-code=UTF-8 for a catalog)`);
  }
  const bom = text.startsWith(BOM);
  return { text: bom ? text.slice(BOM.length) : text, bom };
}

/**
 * Where each language's file goes: next to the input (the format's name for it), into a folder,
 * or by a pattern holding `{lang}`; a plain file name only for one language.
 */
export async function textOutputs(format: AnyTextFormat, file: string, to: readonly string[], output: string | undefined): Promise<Record<string, string>> {
  const named = (lang: string) => format.outputName?.(file, lang) ?? defaultName(file, lang);
  const isFolder = output !== undefined && (/[/\\]$/u.test(output) || (await stat(output).catch(() => undefined))?.isDirectory() === true);
  const pick = (lang: string): string => {
    if (output === undefined) return named(lang);
    if (output.includes('{lang}')) return output.replaceAll('{lang}', lang);
    if (isFolder) return join(output, basename(named(lang)));
    if (to.length > 1) throw new ParlaError('BAD_INPUT', `--out ${output}: with several languages, name a folder or a pattern with {lang} (e.g. po/{lang}.po)`);
    return output;
  };
  // Absolute: a job resumed from another folder (or by the server) finds its files.
  const outputs = Object.fromEntries(to.map((lang) => [lang, resolve(pick(lang))]));
  const files = Object.values(outputs);
  if (new Set(files).size !== files.length) throw new ParlaError('BAD_INPUT', `--out ${output}: every language needs its own file; use {lang} in the name`);
  for (const out of files) checkOutputFile(out, file);
  return outputs;
}

/** `film.srt` → `film.es.srt`. */
function defaultName(file: string, lang: string): string {
  const ext = extname(file);
  return ext ? `${file.slice(0, -ext.length)}.${lang}${ext}` : `${file}.${lang}`;
}

/** The units a job translates: missing ones (all with overwrite) that hold words worth a model call. */
function wanted(units: readonly FileUnit[], overwrite: boolean): FileUnit[] {
  return units.filter((u) => (overwrite || u.existing === undefined) && isTranslatableText(u.source));
}

export function textJobFormat(format: AnyTextFormat): JobFormat<TextPlan> {
  const load = async (file: string) => {
    const { text, bom } = await readTextFile(file);
    return { doc: format.parse(text, file), bom };
  };
  const renderOptions = (plan: TextPlan, lang: string): RenderOptions => ({ lang, overwrite: plan.overwrite, fuzzy: plan.fuzzy });

  /** Each language's translations of the doc's units, looked up in chunks. */
  const translations = async (units: readonly FileUnit[], lang: string, lookup: Lookup): Promise<(unit: FileUnit) => ItemTranslation | undefined> => {
    const keys = [...new Set(units.map((u) => textKey(u.source)))];
    const found = new Map<string, ItemTranslation>();
    for (let i = 0; i < keys.length; i += LOOKUP_CHUNK) {
      const chunk = keys.slice(i, i + LOOKUP_CHUNK);
      (await lookup(lang, chunk)).forEach((t, j) => {
        // An empty text is a translation the job's minimum confidence left out: none.
        if (t && t.text !== '') found.set(chunk[j]!, t);
      });
    }
    return (unit) => found.get(textKey(unit.source));
  };

  const renderAll = async (plan: TextPlan, lookup: Lookup, each: (lang: string, text: string) => Promise<void>): Promise<UnitCounts> => {
    const { doc, bom } = await load(plan.file);
    const units = wanted(format.units(doc), plan.overwrite);
    const total: UnitCounts = { translated: 0, kept: 0, skipped: 0 };
    for (const lang of plan.to) {
      const { text, counts } = format.render(doc, await translations(units, lang, lookup), renderOptions(plan, lang));
      await each(lang, bom ? BOM + text : text);
      total.translated += counts.translated;
      total.kept += counts.kept;
      total.skipped += counts.skipped;
    }
    return total;
  };

  return {
    id: format.id,
    extensions: format.extensions,
    filePerLanguage: true,
    sniff: (head) => format.sniff(new TextDecoder('utf-8', { ignoreBOM: false }).decode(head)),

    async plan(req: FormatPlanRequest): Promise<TextPlan> {
      if (req.columns?.length) throw new ParlaError('BAD_INPUT', `--columns is for spreadsheets; ${req.file} is a ${format.id.toUpperCase()} file`);
      if (req.sheet !== undefined) throw new ParlaError('BAD_INPUT', `--sheet is for XLSX workbooks; ${req.file} is a ${format.id.toUpperCase()} file`);
      const { doc } = await load(req.file);
      const outputs = await textOutputs(format, req.file, req.to, req.output);
      const plan: TextPlan = {
        format: format.id,
        file: resolve(req.file),
        to: [...req.to],
        output: outputs[req.to[0]!]!,
        outputs,
        overwrite: req.overwrite ?? false,
        fuzzy: req.fuzzy ?? true,
      };
      // Rendering with no translations costs little and fails now (a language the format cannot
      // write, such as PO plurals with no known rule) instead of at the end of the job.
      for (const lang of plan.to) format.render(doc, () => undefined, renderOptions(plan, lang));
      return plan;
    },

    outputs: (plan) => plan.to.map((lang) => plan.outputs[lang]!),
    columns: () => [],

    async ingest(plan, add, signal) {
      const { doc } = await load(plan.file);
      const units = wanted(format.units(doc), plan.overwrite);
      for (const lang of plan.to) {
        const items = new Map<string, NewText>();
        for (const u of units) {
          const key = textKey(u.source);
          const seen = items.get(key);
          if (seen) seen.count = (seen.count ?? 1) + 1;
          else items.set(key, { lang, key, source: u.source, count: 1 });
        }
        const all = [...items.values()];
        for (let i = 0; i < all.length; i += INGEST_CHUNK) {
          await add(all.slice(i, i + INGEST_CHUNK));
          await nextTurn();
          signal.throwIfAborted();
        }
      }
    },

    write: (plan, lookup) => renderAll(plan, lookup, (lang, text) => writeWhole(plan.outputs[lang]!, (tmp) => writeFile(tmp, text))),
    counts: (plan, lookup) => renderAll(plan, lookup, async () => undefined),

    async preview(file, limit) {
      const { doc } = await load(file);
      const units = format.units(doc);
      return { format: format.id, total: units.length, missing: units.filter((u) => u.existing === undefined).length, units: units.slice(0, limit) };
    },
  };
}
