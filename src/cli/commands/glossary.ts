import { readFile } from 'node:fs/promises';
import { ParlaError } from '../../shared/errors.js';
import type { GlossaryEntry } from '../../shared/glossary.js';
import { checkLang, type GlossaryBackend } from '../../core/glossary/backend.js';
import { decodeGlossaryBytes, formatFor, formatGlossaryFile, parseGlossaryText } from '../../core/glossary/file.js';
import { SqliteGlossary } from '../../core/glossary/sqlite.js';
import { stateDbPath } from '../../core/db.js';
import { checkOutputFile, writeWholeSync } from '../../core/output-file.js';
import type { CliCommand, CliContext } from '../command.js';
import { guarded, parse } from '../guard.js';

const usage =
  'parla glossary [add SRC TGT | list | remove ID | import FILE | export FILE] --from L --to L [--dnt] [--case-sensitive] [--partial] [--query Q] [--limit N] [--encoding E] [--json]';

/** The local glossary, or with --redis the team's (what every member and worker enforces). */
async function openGlossary(ctx: CliContext): Promise<GlossaryBackend> {
  if (!ctx.redisUrl) return new SqliteGlossary({ file: stateDbPath(ctx.dataDir) });
  // Loaded on demand: Redis costs every other command a noticeable start-up time.
  const { connectRedis, resolveTeamOptions, teamPrefix } = await import('../../core/team/connection.js');
  const { RedisGlossary } = await import('../../core/team/redis-glossary.js');
  const o = resolveTeamOptions({ url: ctx.redisUrl, ...(ctx.team ? { team: ctx.team } : {}) });
  return new RedisGlossary({ client: await connectRedis(o, 'queue'), prefix: teamPrefix(o.team), ownsClient: true });
}

function line(e: GlossaryEntry): string {
  const flags = [e.doNotTranslate ? 'dnt' : '', e.caseSensitive ? 'case' : '', e.wholeWord ? '' : 'partial'].filter(Boolean).join(',');
  return `${e.id}\t${e.from}→${e.to}\t${e.source}\t${e.target}${flags ? `\t${flags}` : ''}`;
}

export const glossaryCommand: CliCommand = {
  name: 'glossary',
  usage,
  run: (argv, ctx) =>
    guarded(ctx, async () => {
      const { values, positionals } = parse(
        argv,
        {
          from: { type: 'string' },
          to: { type: 'string' },
          dnt: { type: 'boolean', default: false },
          'case-sensitive': { type: 'boolean', default: false },
          partial: { type: 'boolean', default: false },
          query: { type: 'string', short: 'q' },
          limit: { type: 'string' },
          encoding: { type: 'string' },
          json: { type: 'boolean', default: false },
        },
        usage,
      );
      const [sub = 'list', ...args] = positionals;
      const arity: Record<string, number> = { list: 0, add: values.dnt ? 1 : 2, remove: 1, import: 1, export: 1 };
      const want = arity[sub];
      if (want === undefined) throw new ParlaError('BAD_INPUT', `unknown glossary command "${sub}"\nusage: ${usage}`);
      if (args.length !== want) throw new ParlaError('BAD_INPUT', `usage: ${usage}`);
      const pair = () => {
        if (!values.from || !values.to) throw new ParlaError('BAD_INPUT', `parla glossary ${sub} needs --from and --to (the language pair)`);
        return { from: checkLang(values.from, 'from'), to: checkLang(values.to, 'to') };
      };
      const limit = values.limit === undefined ? undefined : Number(values.limit);
      if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new ParlaError('BAD_INPUT', '--limit must be a positive whole number');
      const out = (value: unknown, text: string) => ctx.stdout.write(values.json ? JSON.stringify(value, null, 2) + '\n' : text);

      const glossary = await openGlossary(ctx);
      try {
        switch (sub) {
          case 'add': {
            const [source = '', target] = args;
            const [entry] = await glossary.add([
              {
                ...pair(),
                source,
                ...(values.dnt ? { doNotTranslate: true } : { target: target ?? '' }),
                caseSensitive: values['case-sensitive'],
                wholeWord: !values.partial,
              },
            ]);
            out(entry, `${line(entry!)}\n`);
            return 0;
          }
          case 'list': {
            const page = await glossary.list({
              ...(values.from ? { from: checkLang(values.from, 'from') } : {}),
              ...(values.to ? { to: checkLang(values.to, 'to') } : {}),
              ...(values.query ? { q: values.query } : {}),
              ...(limit ? { limit } : {}),
            });
            out(page, page.entries.map((e) => `${line(e)}\n`).join(''));
            return 0;
          }
          case 'remove': {
            if (!(await glossary.remove(args[0]!))) throw new ParlaError('NOT_FOUND', `no glossary entry ${args[0]} (see parla glossary list)`);
            out({ removed: args[0] }, `removed ${args[0]}\n`);
            return 0;
          }
          case 'import': {
            const file = args[0]!;
            const { from, to } = pair();
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
            out({ imported, from, to, ms }, `imported ${imported} entries (${from}→${to}) in ${ms} ms\n`);
            return 0;
          }
          case 'export': {
            const file = args[0]!;
            if (file !== '-') checkOutputFile(file);
            const { entries } = await glossary.list(pair());
            const text = formatGlossaryFile(entries, formatFor(file));
            if (file === '-') ctx.stdout.write(text);
            else {
              writeWholeSync(file, text);
              ctx.stderr.write(`exported ${entries.length} entries to ${file}\n`);
            }
            return 0;
          }
          default:
            throw new ParlaError('BAD_INPUT', `usage: ${usage}`);
        }
      } finally {
        await glossary.close();
      }
    }),
};
