// parla models [list | search [LANGUAGE...] | download ID [--quantized] | import DIR | remove ID] [--json]
import { ParlaError } from '../../shared/errors.js';
import { formatBytes } from '../../shared/format.js';
import { describeCatalogModel, searchCatalog } from '../../shared/model-catalog.js';
import type { ModelInfo } from '../../shared/translation.js';
import { DEFAULT_HUB_ENDPOINT } from '../../core/models/hub-download.js';
import { ModelStore } from '../../core/models/model-store.js';
import { defineCommand, subcommand, type CliOutput } from '../registry.js';

const json = { json: { type: 'boolean' } } as const;
const USAGE = { download: 'parla models download ID', import: 'parla models import DIR', remove: 'parla models remove ID' };

function line(m: ModelInfo): string {
  const fix = m.bundled ? 'reinstall Parla' : `parla models remove ${m.id}`;
  const broken = m.problem ? `\tBROKEN: ${m.problem} (fix: ${fix})` : '';
  return `${m.id}\t${m.from}→${m.to.join(',')}\t${formatBytes(m.sizeBytes)}${m.bundled ? '\tbundled' : ''}${m.hasQuantized ? '\tquantized' : ''}${broken}`;
}

/** The one argument of `parla models ACTION WHAT`. */
function need(positionals: readonly string[], usage: string): string {
  const [arg, ...extra] = positionals;
  if (!arg || extra.length) throw new ParlaError('BAD_INPUT', `usage: ${usage}`);
  return arg;
}

function print(stdout: CliOutput, json: boolean | undefined, info: ModelInfo): void {
  stdout.write(json ? `${JSON.stringify(info, null, 2)}\n` : `${line(info)}\n`);
}

export const modelsCommand = defineCommand({
  name: 'models',
  usage: 'parla models [list | search [LANGUAGE...] | download ID [--quantized] | import DIR | remove ID] [--json]',
  summary: 'List installed models, search the catalog of downloadable ones (by language code or name), download one from the Hub (PARLA_HUB_ENDPOINT; --quantized: its int8 graphs only), import a folder, or remove one.',
  defaultSubcommand: 'list',
  unknownSubcommand: (action) => `unknown models action "${action}"; use list, search, download, import or remove`,
  subcommands: {
    list: subcommand({
            options: json,
      async run({ global, values, stdout }) {
        const models = await new ModelStore(global.dataDir).list();
        stdout.write(values.json ? `${JSON.stringify(models, null, 2)}\n` : models.map((m) => `${line(m)}\n`).join(''));
      },
    }),
    search: subcommand({
            options: json,
      async run({ values, positionals, stdout }) {
        const query = positionals.join(' ');
        const found = searchCatalog(query);
        if (found.length === 0) throw new ParlaError('NOT_FOUND', `no model in Parla's catalog for "${query}"; see parla models search (all of them)`);
        stdout.write(values.json ? `${JSON.stringify(found, null, 2)}\n` : found.map((m) => `${describeCatalogModel(m)}\n`).join(''));
      },
    }),
    download: subcommand({
      usage: USAGE.download,
      options: { ...json, quantized: { type: 'boolean' } },
      async run({ global, values, positionals, stdout, stderr }) {
        const id = need(positionals, USAGE.download);
        let lastPct = -1;
        const info = await new ModelStore(global.dataDir).download(id, {
          // int8 graphs only: about a quarter of the download, memory and load time.
          quantized: values.quantized === true,
          endpoint: process.env.PARLA_HUB_ENDPOINT || DEFAULT_HUB_ENDPOINT,
          onProgress: (p) => {
            const pct = p.total ? Math.floor((100 * p.bytes) / p.total) : 0;
            if (pct !== lastPct) stderr.write(`\rdownloading ${id}: ${pct}% (${formatBytes(p.bytes)} of ${formatBytes(p.total)})`);
            lastPct = pct;
          },
        });
        stderr.write('\n');
        print(stdout, values.json, info);
      },
    }),
    import: subcommand({
      usage: USAGE.import,
      options: json,
      async run({ global, values, positionals, stdout }) {
        print(stdout, values.json, await new ModelStore(global.dataDir).import(need(positionals, USAGE.import)));
      },
    }),
    remove: subcommand({
      usage: USAGE.remove,
      options: json,
      async run({ global, values, positionals, stdout }) {
        const id = need(positionals, USAGE.remove);
        await new ModelStore(global.dataDir).remove(id);
        if (values.json) stdout.write(`${JSON.stringify({ removed: id })}\n`);
        else stdout.write(`removed ${id}\n`);
      },
    }),
  },
});
