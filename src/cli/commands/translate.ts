// parla translate [TEXT...] --to LANG [--from LANG] [--model ID|DIR] [--beam N] [--json] [--no-cache]
import { ParlaError } from '../../shared/errors.js';
import { openServices } from '../../core/services.js';
import type { Command } from '../registry.js';
import { readLines } from './read-lines.js';

export const translateCommand: Command = {
  name: 'translate',
  usage: 'parla translate [TEXT...] --to LANG [--from LANG] [--model ID|DIR] [--beam N] [--json] [--no-cache]',
  summary: 'Translate TEXT (or each stdin line); one translation per line, in input order.',
  options: {
    to: { type: 'string' },
    from: { type: 'string' },
    model: { type: 'string' },
    beam: { type: 'string' },
    json: { type: 'boolean' },
    'no-cache': { type: 'boolean' },
  },
  async run({ global, values, positionals, stdin, stdout }) {
    const to = values.to as string | undefined;
    if (!to) throw new ParlaError('BAD_INPUT', 'missing --to LANG (e.g. --to es)');
    let beam: number | undefined;
    if (values.beam !== undefined) {
      beam = Number(values.beam);
      if (!Number.isInteger(beam) || beam < 1 || beam > 16) throw new ParlaError('BAD_INPUT', '--beam must be a whole number from 1 to 16');
    }
    const texts = positionals.length ? positionals : await readLines(stdin);
    const services = await openServices(global);
    try {
      const results = await services.translator.translate({
        texts,
        to,
        from: values.from as string | undefined,
        model: values.model as string | undefined,
        options: beam ? { beam } : undefined,
        noCache: values['no-cache'] === true,
      });
      if (values.json) {
        stdout.write(`${JSON.stringify(results.map(({ source, text, model, cached, ms }) => ({ source, text, model, cached, ms })), null, 2)}\n`);
      } else {
        // A translation never spans lines in this output: line N answers input line N.
        stdout.write(results.map((r) => `${r.text.replace(/\r?\n/g, ' ')}\n`).join(''));
      }
    } finally {
      await services.close();
    }
  },
};
