import { formatBytes } from '../../shared/format.js';
import { ParlaError } from '../../shared/errors.js';
import type { CliCommand } from '../command.js';
import { guarded, parse } from '../guard.js';
import { openState } from '../job-session.js';

const usage = 'parla cache [stats | clear] [--json]';

export const cacheCommand: CliCommand = {
  name: 'cache',
  usage,
  run: (argv, ctx) =>
    guarded(ctx, async () => {
      const { values, positionals } = parse(argv, { json: { type: 'boolean', default: false } }, usage);
      const [sub = 'stats', ...rest] = positionals;
      if (rest.length > 0 || (sub !== 'stats' && sub !== 'clear')) throw new ParlaError('BAD_INPUT', `usage: ${usage}`);
      const state = openState(ctx);
      try {
        if (sub === 'clear') await state.cache.clear();
        const s = await state.cache.stats();
        ctx.stdout.write(
          values.json
            ? JSON.stringify(s) + '\n'
            : `${sub === 'clear' ? 'cache cleared\n' : ''}entries ${s.entries} · ${formatBytes(s.bytes)} · hits ${s.hits} · misses ${s.misses} · hit rate ${(s.hitRate * 100).toFixed(1)}%\n`,
        );
        return 0;
      } finally {
        await state.close();
      }
    }),
};
