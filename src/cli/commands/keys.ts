// `parla keys`: the compatible APIs' named client keys (docs/compat.md). A key is printed once,
// when created; the data dir keeps only its hash.
import { openDb, stateDbPath } from '../../core/db.js';
import { KeyStore } from '../../core/compat/keys.js';
import { ParlaError } from '../../shared/errors.js';
import type { ApiKeyInfo } from '../../shared/keys.js';
import type { CliCommand } from '../command.js';
import { guarded, parse } from '../guard.js';

const usage = 'parla keys [list | create NAME [--chars N] [--rate N] | revoke NAME] [--json]';

function count(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new ParlaError('BAD_INPUT', `--${option} must be a whole number of at least 1, not "${value}"`);
  return n;
}

function line(k: ApiKeyInfo): string {
  const chars = `${k.usage.characters}${k.charLimit === null ? '' : `/${k.charLimit}`} chars`;
  const rate = k.ratePerMinute === null ? 'no rate limit' : `${k.ratePerMinute}/min`;
  return `${k.name}\t${chars} in ${k.usage.period}\t${k.usage.requests} requests\t${rate}`;
}

export const keysCommand: CliCommand = {
  name: 'keys',
  usage,
  run: (argv, ctx) =>
    guarded(ctx, async () => {
      const { values, positionals } = parse(argv, { chars: { type: 'string' }, rate: { type: 'string' }, json: { type: 'boolean', default: false } }, usage);
      const [sub = 'list', ...args] = positionals;
      const arity: Record<string, number> = { list: 0, create: 1, revoke: 1 };
      if (arity[sub] === undefined || args.length !== arity[sub]) throw new ParlaError('BAD_INPUT', `usage: ${usage}`);
      if (sub !== 'create' && (values.chars !== undefined || values.rate !== undefined)) throw new ParlaError('BAD_INPUT', '--chars and --rate go with `parla keys create`');
      const out = (value: unknown, text: string) => ctx.stdout.write(values.json ? JSON.stringify(value, null, 2) + '\n' : text);
      const db = openDb(stateDbPath(ctx.dataDir));
      try {
        const keys = new KeyStore(db);
        if (sub === 'list') {
          const list = keys.list();
          out(list, list.map((k) => `${line(k)}\n`).join(''));
        } else if (sub === 'create') {
          const charLimit = count(values.chars, 'chars');
          const ratePerMinute = count(values.rate, 'rate');
          const created = keys.create({ name: args[0]!, ...(charLimit ? { charLimit } : {}), ...(ratePerMinute ? { ratePerMinute } : {}) });
          out(created, `${created.key}\n`);
          if (!values.json) ctx.stderr.write(`key "${created.name}" created; it is shown this once (Parla keeps only its hash)\n`);
        } else {
          if (!keys.revoke(args[0]!)) throw new ParlaError('NOT_FOUND', `no key named "${args[0]}" (see parla keys list)`);
          out({ revoked: args[0] }, `revoked ${args[0]}\n`);
        }
        return 0;
      } finally {
        db.close();
      }
    }),
};
