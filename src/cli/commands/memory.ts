// parla memory [add SOURCE TARGET | list | search QUERY | delete ID | import FILE.tmx | export FILE.tmx]
//   [--from L --to L] [--note TEXT] [--approved] [--limit N] [--json]
// The data dir's translation memory, or with --redis the team's (its local copy while the team
// is away); the same store every door consults before the cache and the model.
import { ParlaError } from '../../shared/errors.js';
import type { MemoryEntry } from '../../shared/memory.js';
import { checkLang } from '../../core/glossary/backend.js';
import { readTmxFile, formatTmx } from '../../core/memory/tmx.js';
import { checkOutputFile, writeWholeSync } from '../../core/output-file.js';
import { packageVersion } from '../../core/paths.js';
import { openServices } from '../../core/services.js';
import type { Command } from '../registry.js';

const usage =
  'parla memory [add SOURCE TARGET | list | search QUERY | delete ID | import FILE.tmx | export FILE.tmx] [--from L --to L] [--note TEXT] [--approved] [--limit N] [--json]';

function line(e: MemoryEntry): string {
  return `${e.id}\t${e.from}→${e.to}\t${e.source}\t${e.target}\t${e.who}\t${new Date(e.when).toISOString()}\t${e.origin}`;
}

const ARITY: Record<string, number> = { add: 2, list: 0, search: 1, delete: 1, remove: 1, import: 1, export: 1 };

export const memoryCommand: Command = {
  name: 'memory',
  usage,
  summary: 'Add, list, search, delete, import or export translation memory entries (TMX); they answer before the cache and the model.',
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    note: { type: 'string' },
    approved: { type: 'boolean' },
    query: { type: 'string', short: 'q' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ global, values, positionals, stdout, stderr }) {
    const [sub = 'list', ...args] = positionals;
    const want = ARITY[sub];
    if (want === undefined) throw new ParlaError('BAD_INPUT', `unknown memory command "${sub}"\nusage: ${usage}`);
    if (args.length !== want) throw new ParlaError('BAD_INPUT', `usage: ${usage}`);
    const from = typeof values.from === 'string' ? checkLang(values.from, 'from') : undefined;
    const to = typeof values.to === 'string' ? checkLang(values.to, 'to') : undefined;
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new ParlaError('BAD_INPUT', '--limit must be a positive whole number');
    const json = values.json === true;
    const out = (value: unknown, text: string) => stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : text);
    if (sub === 'export' && args[0] !== '-') checkOutputFile(args[0]!);

    const services = await openServices({ ...global, door: 'cli' });
    const memory = services.state.memory;
    try {
      switch (sub) {
        case 'add': {
          if (!from || !to) throw new ParlaError('BAD_INPUT', 'parla memory add needs --from and --to (the language pair)');
          const [source = '', target = ''] = args;
          const note = typeof values.note === 'string' ? values.note : undefined;
          const [entry] = await memory.add([{ from, to, source, target, origin: values.approved ? 'approved' : 'typed', ...(note ? { note } : {}) }]);
          out(entry, `${line(entry!)}\n`);
          return 0;
        }
        case 'list':
        case 'search': {
          const q = sub === 'search' ? args[0] : typeof values.query === 'string' ? values.query : undefined;
          const page = await memory.list({ ...(from ? { from } : {}), ...(to ? { to } : {}), ...(q ? { q } : {}), limit: limit ?? 100 });
          out(page, page.entries.map((e) => `${line(e)}\n`).join('') + (page.total > page.entries.length ? `(${page.entries.length} of ${page.total}; --limit N for more)\n` : ''));
          return 0;
        }
        case 'delete':
        case 'remove': {
          if (!(await memory.remove(args[0]!))) throw new ParlaError('NOT_FOUND', `no memory entry ${args[0]} (see parla memory list)`);
          out({ deleted: args[0] }, `deleted ${args[0]}\n`);
          return 0;
        }
        case 'import': {
          const file = args[0]!;
          const started = performance.now();
          let shown = -1;
          const entries = await readTmxFile(file, ({ bytes, totalBytes }) => {
            const pct = totalBytes ? Math.floor((100 * bytes) / totalBytes) : 100;
            if (pct !== shown) stderr.write(`\rreading ${file}: ${pct}%`);
            shown = pct;
          });
          stderr.write(`\n`);
          // One transaction: a crash (kill -9) leaves the memory as before, or with every entry.
          const imported = await memory.import(entries, (done) => stderr.write(`\rstoring ${done} of ${entries.length} entries`));
          stderr.write(`\n`);
          const ms = Math.round(performance.now() - started);
          out({ imported, ms }, `imported ${imported} entries from ${file} in ${ms} ms\n`);
          return 0;
        }
        case 'export': {
          const file = args[0]!;
          const { entries } = await memory.list({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
          const text = formatTmx(entries, { version: packageVersion() });
          if (file === '-') stdout.write(text);
          else {
            writeWholeSync(file, text);
            stderr.write(`exported ${entries.length} entries to ${file}\n`);
          }
          return 0;
        }
      }
      return 0;
    } finally {
      await services.close();
    }
  },
};
