import { readFile } from 'node:fs/promises';
import { ParlaError } from '../../shared/errors.js';
import type { GlossaryEntry } from '../../shared/glossary.js';
import { checkLang, type GlossaryBackend } from '../../core/glossary/backend.js';
import { decodeGlossaryBytes, formatFor, formatGlossaryFile, parseGlossaryText } from '../../core/glossary/file.js';
import { SqliteGlossary } from '../../core/glossary/sqlite.js';
import { stateDbPath } from '../../core/db.js';
import { checkOutputFile, writeWholeSync } from '../../core/output-file.js';
import { answer, exactly } from '../guard.js';
import { defineCommand, subcommand, type GlobalOptions } from '../registry.js';

const usage =
  'parla glossary [add SRC TGT | list | remove ID | import FILE | export FILE] --from L --to L [--dnt] [--case-sensitive] [--partial] [--query Q] [--limit N] [--encoding E] [--json]';

/** The local glossary, or with --redis the team's (what every member and worker enforces). */
async function openGlossary(global: GlobalOptions): Promise<GlossaryBackend> {
  if (!global.redisUrl) return new SqliteGlossary({ file: stateDbPath(global.dataDir) });
  // Loaded on demand: Redis costs every other command a noticeable start-up time.
  const { connectRedis, resolveTeamOptions, teamPrefix } = await import('../../core/team/connection.js');
  const { RedisGlossary } = await import('../../core/team/redis-glossary.js');
  const o = resolveTeamOptions({ url: global.redisUrl, ...(global.team ? { team: global.team } : {}) });
  return new RedisGlossary({ client: await connectRedis(o, 'queue'), prefix: teamPrefix(o.team), ownsClient: true });
}

function line(e: GlossaryEntry): string {
  const flags = [e.doNotTranslate ? 'dnt' : '', e.caseSensitive ? 'case' : '', e.wholeWord ? '' : 'partial'].filter(Boolean).join(',');
  return `${e.id}\t${e.from}→${e.to}\t${e.source}\t${e.target}${flags ? `\t${flags}` : ''}`;
}

/** The glossary open for the length of `body`. */
async function withGlossary(global: GlobalOptions, body: (glossary: GlossaryBackend) => Promise<void>): Promise<void> {
  const glossary = await openGlossary(global);
  try {
    await body(glossary);
  } finally {
    await glossary.close();
  }
}

/** Every subcommand takes the pair (the contract: `parla glossary ... --from L --to L`) and --json. */
const common = {
  from: { type: 'string' },
  to: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

/** `--from` and `--to`, both needed by `parla glossary SUB`. */
function pair(sub: string, values: { from?: string | undefined; to?: string | undefined }): { from: string; to: string } {
  if (!values.from || !values.to) throw new ParlaError('BAD_INPUT', `parla glossary ${sub} needs --from and --to (the language pair)`);
  return { from: checkLang(values.from, 'from'), to: checkLang(values.to, 'to') };
}


export const glossaryCommand = defineCommand({
  name: 'glossary',
  usage,
  summary: 'Add, list, remove, import or export glossary terms (enforced in every translation).',
  defaultSubcommand: 'list',
  subcommands: {
    add: subcommand({
      options: { ...common, dnt: { type: 'boolean', default: false }, 'case-sensitive': { type: 'boolean', default: false }, partial: { type: 'boolean', default: false } },
      run: ({ global, values, positionals, stdout }) => {
        const [source = '', target = ''] = exactly(positionals, values.dnt ? 1 : 2, usage);
        const terms = pair('add', values);
        return withGlossary(global, async (glossary) => {
          const [entry] = await glossary.add([
            {
              ...terms,
              source,
              ...(values.dnt ? { doNotTranslate: true } : { target }),
              caseSensitive: values['case-sensitive'],
              wholeWord: !values.partial,
            },
          ]);
          answer(stdout, values.json, entry, `${line(entry!)}\n`);
        });
      },
    }),
    list: subcommand({
      options: { ...common, query: { type: 'string', short: 'q' }, limit: { type: 'string' } },
      run: ({ global, values, positionals, stdout }) => {
        exactly(positionals, 0, usage);
        const limit = values.limit === undefined ? undefined : Number(values.limit);
        if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new ParlaError('BAD_INPUT', '--limit must be a positive whole number');
        return withGlossary(global, async (glossary) => {
          const page = await glossary.list({
            ...(values.from ? { from: checkLang(values.from, 'from') } : {}),
            ...(values.to ? { to: checkLang(values.to, 'to') } : {}),
            ...(values.query ? { q: values.query } : {}),
            ...(limit ? { limit } : {}),
          });
          answer(stdout, values.json, page, page.entries.map((e) => `${line(e)}\n`).join(''));
        });
      },
    }),
    remove: subcommand({
      options: common,
      run: ({ global, values, positionals, stdout }) => {
        const [id] = exactly(positionals, 1, usage);
        return withGlossary(global, async (glossary) => {
          if (!(await glossary.remove(id))) throw new ParlaError('NOT_FOUND', `no glossary entry ${id} (see parla glossary list)`);
          answer(stdout, values.json, { removed: id }, `removed ${id}\n`);
        });
      },
    }),
    import: subcommand({
      options: { ...common, encoding: { type: 'string' } },
      run: ({ global, values, positionals, stdout }) => {
        const [file] = exactly(positionals, 1, usage);
        return withGlossary(global, async (glossary) => {
          const { from, to } = pair('import', values);
          let bytes: Buffer;
          try {
            bytes = await readFile(file);
          } catch {
            throw new ParlaError('NOT_FOUND', `${file}: no such file`);
          }
          const started = performance.now();
          const entries = parseGlossaryText(decodeGlossaryBytes(bytes, file, values.encoding), file, { from, to });
          const stored = await glossary.add(entries);
          const ms = Math.round(performance.now() - started);
          const imported = new Set(stored.map((e) => e.id)).size;
          answer(stdout, values.json, { imported, from, to, ms }, `imported ${imported} entries (${from}→${to}) in ${ms} ms\n`);
        });
      },
    }),
    export: subcommand({
      options: common,
      run: ({ global, values, positionals, stdout, stderr }) => {
        const [file] = exactly(positionals, 1, usage);
        return withGlossary(global, async (glossary) => {
          if (file !== '-') checkOutputFile(file);
          const { entries } = await glossary.list(pair('export', values));
          const text = formatGlossaryFile(entries, formatFor(file));
          if (file === '-') stdout.write(text);
          else {
            writeWholeSync(file, text);
            stderr.write(`exported ${entries.length} entries to ${file}\n`);
          }
        });
      },
    }),
  },
});
