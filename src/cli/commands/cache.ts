import { formatBytes } from '../../shared/format.js';
import { exactly } from '../guard.js';
import { openState } from '../job-session.js';
import { defineCommand, subcommand } from '../registry.js';

const usage = 'parla cache [stats | clear] [--json]';

/** The cache's statistics, after clearing it when `clear`. */
const stats = (clear: boolean) =>
  subcommand({
    options: { json: { type: 'boolean', default: false } },
    async run({ global, values, positionals, stdout }) {
      exactly(positionals, 0, usage);
      const state = openState(global);
      try {
        if (clear) await state.cache.clear();
        const s = await state.cache.stats();
        stdout.write(
          values.json
            ? JSON.stringify(s) + '\n'
            : `${clear ? 'cache cleared\n' : ''}entries ${s.entries} · ${formatBytes(s.bytes)} · hits ${s.hits} · misses ${s.misses} · hit rate ${(s.hitRate * 100).toFixed(1)}%\n`,
        );
      } finally {
        await state.close();
      }
    },
  });

export const cacheCommand = defineCommand({
  name: 'cache',
  usage,
  summary: 'Show cache statistics or clear the cache.',
  subcommands: { stats: stats(false), clear: stats(true) },
  defaultSubcommand: 'stats',
  unknownSubcommand: () => `usage: ${usage}`,
});
