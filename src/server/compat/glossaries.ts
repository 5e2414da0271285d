// DeepL's glossary endpoints over Parla's glossary store. A DeepL glossary is a named group of
// entries in its pair's Parla glossary: creating one adds its entries there (a term already in
// the pair takes the new target), deleting one removes them, and its record (id, name, pair,
// entry ids) sits in parla.db. Parla applies a pair's glossary to every translation of the pair,
// so a glossary works for every client once created; `glossary_id` on /v2/translate is checked
// (it must name a glossary of the request's pair) and changes nothing more. See docs/compat.md.
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import type { DeepLGlossaryRecord, DeepLGlossaryStore } from '../../core/compat/deepl-glossaries.js';
import { ParlaError } from '../../shared/errors.js';
import type { GlossaryEntry } from '../../shared/glossary.js';
import { LIMITS } from '../../shared/limits.js';
import type { RouteContext } from '../routes/context.js';
import { compatErrorHandler } from './errors.js';
import { baseCode, installedPairs } from './languages.js';

const config = { auth: 'deepl' as const };
const errorHandler = compatErrorHandler('deepl');
const INVALID_ENTRIES = 'Invalid glossary entries provided';

/** DeepL's entry formats: TSV `source<TAB>target` lines; CSV `source,target[,source_lang,target_lang]`. */
export function parseDeepLEntries(text: string, format: string): [string, string][] {
  let rows: string[][];
  if (format === 'tsv') {
    rows = text.split(/\r\n|\n|\r/).filter((line) => line.trim() !== '').map((line) => line.split('\t'));
    if (rows.some((row) => row.length !== 2)) throw new ParlaError('BAD_INPUT', `${INVALID_ENTRIES}: each line holds a source and a target term separated by one tab`);
  } else if (format === 'csv') {
    try {
      rows = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
    } catch {
      throw new ParlaError('BAD_INPUT', `${INVALID_ENTRIES}: not CSV`);
    }
    if (rows.some((row) => row.length !== 2 && row.length !== 4)) throw new ParlaError('BAD_INPUT', `${INVALID_ENTRIES}: each row holds source,target[,source_lang,target_lang]`);
  } else throw new ParlaError('BAD_INPUT', "Value for 'entries_format' not supported.");
  const entries = rows.map((row): [string, string] => [row[0]!.trim(), row[1]!.trim()]);
  if (entries.length === 0) throw new ParlaError('BAD_INPUT', `${INVALID_ENTRIES}: none given`);
  if (entries.some(([s, t]) => !s || !t)) throw new ParlaError('BAD_INPUT', `${INVALID_ENTRIES}: a source or target term is empty`);
  if (entries.length > LIMITS.glossaryAdd) throw new ParlaError('BAD_INPUT', `${INVALID_ENTRIES}: at most ${LIMITS.glossaryAdd} entries`);
  return entries;
}

function field(body: unknown, name: string): string | undefined {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

export function deeplGlossaryRoutes(app: FastifyInstance, { api }: RouteContext, glossaries: DeepLGlossaryStore): void {
  /** The group's entries as the pair's glossary holds them now (the CLI or the app may have edited them). */
  const entriesOf = async (record: DeepLGlossaryRecord): Promise<GlossaryEntry[]> => {
    const ids = new Set(record.entryIds);
    const found: GlossaryEntry[] = [];
    for (let offset = 0; ; offset += LIMITS.glossaryPage) {
      const page = await api.listGlossary({ from: record.from, to: record.to, limit: LIMITS.glossaryPage, offset });
      found.push(...page.entries.filter((e) => ids.has(e.id)));
      if (offset + LIMITS.glossaryPage >= page.total) return found;
    }
  };
  const info = async (record: DeepLGlossaryRecord) => ({
    glossary_id: record.id,
    name: record.name,
    ready: true,
    source_lang: record.from,
    target_lang: record.to,
    creation_time: new Date(record.createdAt).toISOString(),
    entry_count: (await entriesOf(record)).length,
  });
  const find = (id: string) => {
    const record = glossaries.get(id);
    if (!record) throw new ParlaError('NOT_FOUND', 'Glossary not found.');
    return record;
  };
  const pairs = async () => {
    const { targets } = installedPairs(await api.listModels());
    return [...targets].flatMap(([from, tos]) => tos.map((to) => ({ source_lang: from, target_lang: to })));
  };

  app.get('/v2/glossary-language-pairs', { config, errorHandler }, async () => ({ supported_languages: await pairs() }));

  app.post('/v2/glossaries', { config, errorHandler }, async (request, reply) => {
    const body = request.body;
    const name = field(body, 'name');
    if (!name) throw new ParlaError('BAD_INPUT', "Parameter 'name' not specified.");
    const from = baseCode(field(body, 'source_lang'));
    const to = baseCode(field(body, 'target_lang'));
    if (!from || !to) throw new ParlaError('BAD_INPUT', "Parameters 'source_lang' and 'target_lang' must name languages.");
    if (!(await pairs()).some((p) => p.source_lang === from && p.target_lang === to)) throw new ParlaError('BAD_INPUT', 'Unsupported glossary source and target language pair.');
    const text = field(body, 'entries');
    if (text === undefined) throw new ParlaError('BAD_INPUT', "Parameter 'entries' not specified.");
    const entries = parseDeepLEntries(text, field(body, 'entries_format') ?? 'tsv');
    const stored = await api.addGlossary(entries.map(([source, target]) => ({ from, to, source, target })));
    const record = glossaries.add({ name, from, to, entryIds: [...new Set(stored.map((e) => e.id))] });
    return reply.status(201).send(await info(record));
  });

  app.get('/v2/glossaries', { config, errorHandler }, async () => ({ glossaries: await Promise.all(glossaries.list().map(info)) }));

  app.get<{ Params: { id: string } }>('/v2/glossaries/:id', { config, errorHandler }, async (request) => info(find(request.params.id)));

  app.get<{ Params: { id: string } }>('/v2/glossaries/:id/entries', { config, errorHandler }, async (request, reply) => {
    const record = find(request.params.id);
    const accept = request.headers.accept ?? '*/*';
    if (!/text\/tab-separated-values|\*\/\*|text\/\*/.test(accept)) throw new ParlaError('BAD_INPUT', "Value for 'Accept' header not supported: use text/tab-separated-values.");
    const tsv = (await entriesOf(record)).map((e) => `${e.source}\t${e.target}`).join('\n');
    return reply.type('text/tab-separated-values; charset=utf-8').send(tsv);
  });

  app.delete<{ Params: { id: string } }>('/v2/glossaries/:id', { config, errorHandler }, async (request, reply) => {
    const record = find(request.params.id);
    // Entries another door removed meanwhile are already gone; the rest go with the glossary.
    for (const entry of await entriesOf(record)) await api.removeGlossary(entry.id);
    glossaries.remove(record.id);
    return reply.status(204).send();
  });
}
