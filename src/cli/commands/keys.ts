// `parla keys`: the compatible APIs' named client keys (docs/compat.md). A key is printed once,
// when created; the data dir keeps only its hash.
import { openDb, stateDbPath } from '../../core/db.js';
import { KeyStore } from '../../core/compat/keys.js';
import { ParlaError } from '../../shared/errors.js';
import type { ApiKeyInfo } from '../../shared/keys.js';
import { answer, exactly } from '../guard.js';
import { defineCommand, subcommand, type GlobalOptions } from '../registry.js';

const usage = 'parla keys [list | create NAME [--chars N] [--rate N] | revoke NAME] [--json]';
const json = { json: { type: 'boolean', default: false } } as const;

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

/** The data dir's key store for the length of `body`. */
async function withKeys(global: GlobalOptions, body: (keys: KeyStore) => Promise<void> | void): Promise<void> {
  const db = openDb(stateDbPath(global.dataDir));
  try {
    await body(new KeyStore(db));
  } finally {
    db.close();
  }
}


export const keysCommand = defineCommand({
  name: 'keys',
  usage,
  summary: 'Create, list or revoke API keys for the DeepL- and LibreTranslate-compatible APIs.',
  defaultSubcommand: 'list',
  unknownSubcommand: () => `usage: ${usage}`,
  subcommands: {
    list: subcommand({
      options: json,
      run: ({ global, values, positionals, stdout }) => {
        exactly(positionals, 0, usage);
        return withKeys(global, (keys) => {
          const list = keys.list();
          answer(stdout, values.json, list, list.map((k) => `${line(k)}\n`).join(''));
        });
      },
    }),
    create: subcommand({
      options: { ...json, chars: { type: 'string' }, rate: { type: 'string' } },
      run: ({ global, values, positionals, stdout, stderr }) => {
        const [name] = exactly(positionals, 1, usage);
        const charLimit = count(values.chars, 'chars');
        const ratePerMinute = count(values.rate, 'rate');
        return withKeys(global, (keys) => {
          const created = keys.create({ name, ...(charLimit ? { charLimit } : {}), ...(ratePerMinute ? { ratePerMinute } : {}) });
          answer(stdout, values.json, created, `${created.key}\n`);
          if (!values.json) stderr.write(`key "${created.name}" created; it is shown this once (Parla keeps only its hash)\n`);
        });
      },
    }),
    revoke: subcommand({
      options: json,
      run: ({ global, values, positionals, stdout }) => {
        const [name] = exactly(positionals, 1, usage);
        return withKeys(global, (keys) => {
          if (!keys.revoke(name)) throw new ParlaError('NOT_FOUND', `no key named "${name}" (see parla keys list)`);
          answer(stdout, values.json, { revoked: name }, `revoked ${name}\n`);
        });
      },
    }),
  },
});
