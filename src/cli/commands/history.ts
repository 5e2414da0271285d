import { extname } from 'node:path';
import { ParlaError } from '../../shared/errors.js';
import type { HistoryEntry, HistoryQuery } from '../../shared/history.js';
import type { HistoryStore } from '../../core/history/store.js';
import { answer } from '../guard.js';
import { openState } from '../job-session.js';
import { defineCommand, subcommand, type CommandContext, type OptionsConfig, type OptionValues } from '../registry.js';

const usage =
  'parla history [list | search QUERY | export FILE | delete ID | clear | retention DAYS|off] [--from LANG] [--to LANG] [--since DATE] [--until DATE] [--flagged] [--limit N] [--json]';

const json = { json: { type: 'boolean', default: false } } as const;

/** The filters of list, search and export. */
const filters = {
  ...json,
  from: { type: 'string' },
  to: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  limit: { type: 'string' },
  flagged: { type: 'boolean', default: false },
} as const;

function line(e: HistoryEntry): string {
  const flags = e.flags ? `\t[${e.flags.join(',')}]` : '';
  return `${e.id}\t${e.createdAt}\t${e.from}→${e.to}\t${e.door}\t${e.source.replace(/\s+/gu, ' ')}\t${e.text.replace(/\s+/gu, ' ')}${flags}`;
}

function query(values: OptionValues<typeof filters>): HistoryQuery {
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new ParlaError('BAD_INPUT', '--limit must be a positive whole number');
  return {
    ...(values.from ? { from: values.from } : {}),
    ...(values.to ? { to: values.to } : {}),
    ...(values.since ? { since: values.since } : {}),
    ...(values.until ? { until: values.until } : {}),
    ...(values.flagged ? { flagged: true } : {}),
    ...(limit ? { limit } : {}),
  };
}

/**
 * A history subcommand with at most one argument: `arg` is it, or undefined; more is a usage
 * error. The history store is open for the length of `body`.
 */
function historySub<const O extends OptionsConfig>(
  options: O,
  body: (history: HistoryStore, arg: string | undefined, ctx: CommandContext<OptionValues<O>>) => void,
) {
  return subcommand({
    options,
    async run(ctx) {
      const [arg, ...rest] = ctx.positionals;
      if (rest.length > 0) throw new ParlaError('BAD_INPUT', `usage: ${usage}`);
      const state = openState(ctx.global);
      try {
        body(state.history, arg, ctx);
      } finally {
        await state.close();
      }
    },
  });
}

const print = ({ values, stdout }: CommandContext<OptionValues<typeof filters>>, entries: HistoryEntry[]) =>
  answer(stdout, values.json, entries, entries.map(line).join('\n') + (entries.length ? '\n' : ''));

export const historyCommand = defineCommand({
  name: 'history',
  usage,
  summary: 'List, search, export or delete the translation history.',
  defaultSubcommand: 'list',
  subcommands: {
    list: historySub(filters, (history, _arg, ctx) => print(ctx, history.list(query(ctx.values)))),
    search: historySub(filters, (history, arg, ctx) => {
      if (!arg) throw new ParlaError('BAD_INPUT', 'usage: parla history search QUERY');
      print(ctx, history.search(arg, query(ctx.values)));
    }),
    export: historySub(filters, (history, arg, ctx) => {
      if (!arg) throw new ParlaError('BAD_INPUT', 'usage: parla history export FILE (.csv or .json)');
      const n = history.export(arg, extname(arg).toLowerCase() === '.json' ? 'json' : 'csv', query(ctx.values));
      ctx.stderr.write(`exported ${n} entries to ${arg}\n`);
    }),
    delete: historySub(json, (history, arg) => {
      const id = Number(arg);
      if (!Number.isInteger(id)) throw new ParlaError('BAD_INPUT', 'usage: parla history delete ID');
      if (!history.delete(id)) throw new ParlaError('NOT_FOUND', `no history entry ${id}`);
    }),
    clear: historySub(json, (history, _arg, { stderr }) => void stderr.write(`deleted ${history.clear()} entries\n`)),
    retention: historySub(json, (history, arg, { stdout }) => {
      if (arg === undefined) stdout.write(`${history.retentionDays ?? 'off'}\n`);
      else history.setRetentionDays(arg === 'off' ? undefined : Number(arg));
    }),
  },
});
