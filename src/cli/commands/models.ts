// parla models [list | search [LANGUAGE...] | download ID [--quantized] | import DIR | remove ID] [--json]
import { ParlaError } from '../../shared/errors.js';
import { formatBytes } from '../../shared/format.js';
import { describeCatalogModel, searchCatalog } from '../../shared/model-catalog.js';
import type { ModelInfo } from '../../shared/translation.js';
import { DEFAULT_HUB_ENDPOINT } from '../../core/models/hub-download.js';
import { ModelStore } from '../../core/models/model-store.js';
import type { Command } from '../registry.js';


function line(m: ModelInfo): string {
  const fix = m.bundled ? 'reinstall Parla' : `parla models remove ${m.id}`;
  const broken = m.problem ? `\tBROKEN: ${m.problem} (fix: ${fix})` : '';
  return `${m.id}\t${m.from}→${m.to.join(',')}\t${formatBytes(m.sizeBytes)}${m.bundled ? '\tbundled' : ''}${m.hasQuantized ? '\tquantized' : ''}${broken}`;
}

export const modelsCommand: Command = {
  name: 'models',
  usage: 'parla models [list | search [LANGUAGE...] | download ID [--quantized] | import DIR | remove ID] [--json]',
  summary: 'List installed models, search the catalog of downloadable ones (by language code or name), download one from the Hub (PARLA_HUB_ENDPOINT; --quantized: its int8 graphs only), import a folder, or remove one.',
  options: { json: { type: 'boolean' }, quantized: { type: 'boolean' } },
  async run({ global, values, positionals, stdout, stderr }) {
    const [action = 'list', arg, ...extra] = positionals;
    const store = new ModelStore(global.dataDir);
    const json = values.json === true;
    const need = (what: string) => {
      if (!arg || extra.length) throw new ParlaError('BAD_INPUT', `usage: parla models ${action} ${what}`);
      return arg;
    };
    const print = (info: ModelInfo) => stdout.write(json ? `${JSON.stringify(info, null, 2)}\n` : `${line(info)}\n`);
    switch (action) {
      case 'list': {
        const models = await store.list();
        stdout.write(json ? `${JSON.stringify(models, null, 2)}\n` : models.map((m) => `${line(m)}\n`).join(''));
        return;
      }
      case 'search': {
        const query = [arg, ...extra].filter((w): w is string => w !== undefined).join(' ');
        const found = searchCatalog(query);
        if (found.length === 0) throw new ParlaError('NOT_FOUND', `no model in Parla's catalog for "${query}"; see parla models search (all of them)`);
        stdout.write(json ? `${JSON.stringify(found, null, 2)}\n` : found.map((m) => `${describeCatalogModel(m)}\n`).join(''));
        return;
      }
      case 'download': {
        const id = need('ID');
        let lastPct = -1;
        const info = await store.download(id, {
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
        return void print(info);
      }
      case 'import':
        return void print(await store.import(need('DIR')));
      case 'remove': {
        const id = need('ID');
        await store.remove(id);
        if (json) stdout.write(`${JSON.stringify({ removed: id })}\n`);
        else stdout.write(`removed ${id}\n`);
        return;
      }
      default:
        throw new ParlaError('BAD_INPUT', `unknown models action "${action}"; use list, search, download, import or remove`);
    }
  },
};
