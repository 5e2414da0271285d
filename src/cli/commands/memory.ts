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
import type { MemoryBackend } from '../../core/memory/backend.js';
import { answer, exactly } from '../guard.js';
import { defineCommand, subcommand, type GlobalOptions } from '../registry.js';

const usage =
  'parla memory [add SOURCE TARGET | list | search QUERY | delete ID | import FILE.tmx | export FILE.tmx] [--from L --to L] [--note TEXT] [--approved] [--limit N] [--json]';

function line(e: MemoryEntry): string {
  return `${e.id}\t${e.from}→${e.to}\t${e.source}\t${e.target}\t${e.who}\t${new Date(e.when).toISOString()}\t${e.origin}`;
}

/** Every subcommand takes the pair (the contract: `parla memory ... --from L --to L`) and --json. */
const common = {
  from: { type: 'string' },
  to: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** `--from` and `--to` as language codes, each when given. */
function langs(values: { from?: string | undefined; to?: string | undefined }): { from?: string; to?: string } {
  return { ...(values.from !== undefined ? { from: checkLang(values.from, 'from') } : {}), ...(values.to !== undefined ? { to: checkLang(values.to, 'to') } : {}) };
}

function limitOf(value: string | undefined): number | undefined {
  const limit = value === undefined ? undefined : Number(value);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new ParlaError('BAD_INPUT', '--limit must be a positive whole number');
  return limit;
}

/** The data dir's memory (or the team's, with --redis) for the length of `body`. */
async function withMemory(global: GlobalOptions, body: (memory: MemoryBackend) => Promise<void>): Promise<void> {
  const services = await openServices({ ...global, door: 'cli' });
  try {
    await body(services.state.memory);
  } finally {
    await services.close();
  }
}


/** list (with --query) and search (with QUERY): a page of entries, filtered by the pair when given. */
const listing = (search: boolean) =>
  subcommand({
    options: { ...common, query: { type: 'string', short: 'q' }, limit: { type: 'string' } },
    run: ({ global, values, positionals, stdout }) => {
      const [arg] = exactly(positionals, search ? 1 : 0, usage);
      const pair = langs(values);
      const limit = limitOf(values.limit);
      const q = search ? arg : values.query;
      return withMemory(global, async (memory) => {
        const page = await memory.list({ ...pair, ...(q ? { q } : {}), limit: limit ?? 100 });
        answer(stdout, values.json, page, page.entries.map((e) => `${line(e)}\n`).join('') + (page.total > page.entries.length ? `(${page.entries.length} of ${page.total}; --limit N for more)\n` : ''));
      });
    },
  });

const remove = subcommand({
  options: common,
  run: ({ global, values, positionals, stdout }) => {
    const [id] = exactly(positionals, 1, usage);
    langs(values); // a pair given is checked, as everywhere
    return withMemory(global, async (memory) => {
      if (!(await memory.remove(id))) throw new ParlaError('NOT_FOUND', `no memory entry ${id} (see parla memory list)`);
      answer(stdout, values.json, { deleted: id }, `deleted ${id}\n`);
    });
  },
});

export const memoryCommand = defineCommand({
  name: 'memory',
  usage,
  summary: 'Add, list, search, delete, import or export translation memory entries (TMX); they answer before the cache and the model.',
  defaultSubcommand: 'list',
  subcommands: {
    add: subcommand({
      options: { ...common, note: { type: 'string' }, approved: { type: 'boolean' } },
      run: ({ global, values, positionals, stdout }) => {
        const [source = '', target = ''] = exactly(positionals, 2, usage);
        const { from, to } = langs(values);
        return withMemory(global, async (memory) => {
          if (!from || !to) throw new ParlaError('BAD_INPUT', 'parla memory add needs --from and --to (the language pair)');
          const [entry] = await memory.add([{ from, to, source, target, origin: values.approved ? 'approved' : 'typed', ...(values.note ? { note: values.note } : {}) }]);
          answer(stdout, values.json, entry, `${line(entry!)}\n`);
        });
      },
    }),
    list: listing(false),
    search: listing(true),
    delete: remove,
    remove,
    import: subcommand({
      options: common,
      run: ({ global, values, positionals, stdout, stderr }) => {
        const [file] = exactly(positionals, 1, usage);
        langs(values); // a pair given is checked, as everywhere
        return withMemory(global, async (memory) => {
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
          answer(stdout, values.json, { imported, ms }, `imported ${imported} entries from ${file} in ${ms} ms\n`);
        });
      },
    }),
    export: subcommand({
      options: common,
      run: ({ global, values, positionals, stdout, stderr }) => {
        const [file] = exactly(positionals, 1, usage);
        const pair = langs(values);
        if (file !== '-') checkOutputFile(file);
        return withMemory(global, async (memory) => {
          const { entries } = await memory.list(pair);
          const text = formatTmx(entries, { version: packageVersion() });
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
