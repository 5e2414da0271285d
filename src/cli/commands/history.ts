import { extname } from 'node:path';
import { ParlaError } from '../../shared/errors.js';
import type { HistoryEntry, HistoryQuery } from '../../shared/history.js';
import type { CliCommand } from '../command.js';
import { guarded, parse } from '../guard.js';
import { openState } from '../job-session.js';

const usage =
  'parla history [list | search QUERY | export FILE | delete ID | clear | retention DAYS|off] [--from LANG] [--to LANG] [--since DATE] [--until DATE] [--flagged] [--limit N] [--json]';

function line(e: HistoryEntry): string {
  const flags = e.flags ? `\t[${e.flags.join(',')}]` : '';
  return `${e.id}\t${e.createdAt}\t${e.from}→${e.to}\t${e.door}\t${e.source.replace(/\s+/gu, ' ')}\t${e.text.replace(/\s+/gu, ' ')}${flags}`;
}

export const historyCommand: CliCommand = {
  name: 'history',
  usage,
  run: (argv, ctx) =>
    guarded(ctx, async () => {
      const { values, positionals } = parse(
        argv,
        {
          json: { type: 'boolean', default: false },
          from: { type: 'string' },
          to: { type: 'string' },
          since: { type: 'string' },
          until: { type: 'string' },
          limit: { type: 'string' },
          flagged: { type: 'boolean', default: false },
        },
        usage,
      );
      const [sub = 'list', arg, ...rest] = positionals;
      if (rest.length > 0) throw new ParlaError('BAD_INPUT', `usage: ${usage}`);
      const limit = values.limit === undefined ? undefined : Number(values.limit);
      if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new ParlaError('BAD_INPUT', '--limit must be a positive whole number');
      const query: HistoryQuery = {
        ...(values.from ? { from: values.from } : {}),
        ...(values.to ? { to: values.to } : {}),
        ...(values.since ? { since: values.since } : {}),
        ...(values.until ? { until: values.until } : {}),
        ...(values.flagged ? { flagged: true } : {}),
        ...(limit ? { limit } : {}),
      };
      const state = openState(ctx);
      const out = (entries: HistoryEntry[]) =>
        ctx.stdout.write(values.json ? JSON.stringify(entries, null, 2) + '\n' : entries.map(line).join('\n') + (entries.length ? '\n' : ''));
      try {
        switch (sub) {
          case 'list':
            out(state.history.list(query));
            return 0;
          case 'search':
            if (!arg) throw new ParlaError('BAD_INPUT', 'usage: parla history search QUERY');
            out(state.history.search(arg, query));
            return 0;
          case 'export': {
            if (!arg) throw new ParlaError('BAD_INPUT', 'usage: parla history export FILE (.csv or .json)');
            const n = state.history.export(arg, extname(arg).toLowerCase() === '.json' ? 'json' : 'csv', query);
            ctx.stderr.write(`exported ${n} entries to ${arg}\n`);
            return 0;
          }
          case 'delete': {
            const id = Number(arg);
            if (!Number.isInteger(id)) throw new ParlaError('BAD_INPUT', 'usage: parla history delete ID');
            if (!state.history.delete(id)) throw new ParlaError('NOT_FOUND', `no history entry ${id}`);
            return 0;
          }
          case 'clear':
            ctx.stderr.write(`deleted ${state.history.clear()} entries\n`);
            return 0;
          case 'retention': {
            if (arg === undefined) {
              ctx.stdout.write(`${state.history.retentionDays ?? 'off'}\n`);
              return 0;
            }
            state.history.setRetentionDays(arg === 'off' ? undefined : Number(arg));
            return 0;
          }
          default:
            throw new ParlaError('BAD_INPUT', `unknown history command "${sub}"\nusage: ${usage}`);
        }
      } finally {
        await state.close();
      }
    }),
};
