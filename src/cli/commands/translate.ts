// parla translate [TEXT...] --to LANG [--from LANG|auto] [--model ID|DIR] [--beam N] [--protect auto|none] [--json] [--no-cache]
import { ParlaError } from '../../shared/errors.js';
import { openServices } from '../../core/services.js';
import { checkPairCodes } from '../../core/safe-path.js';
import { noModelHint, noModelPairs } from '../../core/detect/no-model.js';
import { language, sourceLanguage } from '../guard.js';
import { defineCommand, type CliOutput } from '../registry.js';
import { PROTECT_MODES, type Translation } from '../../shared/translation.js';
import { canonicalTranslateRequest } from '../../shared/translate-request.js';
import { LINE_CHUNKS, readLineChunks } from './read-lines.js';

export const translateCommand = defineCommand({
  name: 'translate',
  usage: 'parla translate [TEXT...] --to LANG [--from LANG|auto] [--model ID|DIR] [--beam N] [--protect auto|none] [--json] [--no-cache]',
  summary: 'Translate TEXT (or each stdin line); one translation per line, in input order.',
  options: {
    to: { type: 'string' },
    from: { type: 'string' },
    model: { type: 'string' },
    beam: { type: 'string' },
    protect: { type: 'string' },
    json: { type: 'boolean' },
    'no-cache': { type: 'boolean' },
  },
  async run({ global, values, positionals, stdin, stdout, stderr }) {
    if (!values.to) throw new ParlaError('BAD_INPUT', 'missing --to LANG (e.g. --to es)');
    const to = language(values.to, '--to');
    const from = values.from ? sourceLanguage(values.from) : undefined;
    checkPairCodes([to], from, '--to/--from');
    let beam: number | undefined;
    if (values.beam !== undefined) {
      beam = Number(values.beam);
      if (!Number.isInteger(beam) || beam < 1 || beam > 16) throw new ParlaError('BAD_INPUT', '--beam must be a whole number from 1 to 16');
    }
    const protect = PROTECT_MODES.find((mode) => mode === (values.protect ?? 'auto'));
    if (!protect) throw new ParlaError('BAD_INPUT', '--protect must be auto (keep placeholders, markup and codes) or none');
    // --model may name a folder: the local user gives it (requests from elsewhere name ids only).
    const services = await openServices({ ...global, modelFolders: true });
    // Canonical like every door's request, so `--beam 1` keys as no --beam, and as HTTP and IPC.
    const request = canonicalTranslateRequest({
      to,
      from,
      model: values.model,
      options: beam ? { beam } : undefined,
      noCache: values['no-cache'] === true,
      protect,
      // --json lists close translation memory entries for texts the memory does not answer.
      suggest: values.json === true,
    });
    // The host starts and loads the model while this process loads the detector and opens its
    // caches: a cold `parla translate` overlaps the two instead of doing one after the other.
    void services.translator.warm?.(request).catch(() => undefined);
    const print = values.json ? jsonArrayWriter(stdout) : lineWriter(stdout, stderr, to);
    try {
      if (positionals.length) {
        print.write(await services.translator.translate({ ...request, texts: positionals }));
      } else {
        // Chunks of stdin translate while the next ones are read. Each chunk's answers print as
        // soon as they and every earlier chunk's are in (a typed line is answered at once), in
        // input order; at most `ahead` chunks are in flight.
        let printed: Promise<void> = Promise.resolve();
        const inFlight: Promise<void>[] = [];
        for await (const texts of readLineChunks(stdin)) {
          const translated = services.translator.translate({ ...request, texts });
          printed = printed.then(async () => print.write(await translated));
          // A failure surfaces once, where the chain is awaited. Until the chain reaches it, a
          // chunk that fails while an earlier one is in flight has no handler: mark it (and the
          // chain's copies) handled so node does not end the process over it.
          translated.catch(() => undefined);
          printed.catch(() => undefined);
          inFlight.push(printed);
          while (inFlight.length >= LINE_CHUNKS.ahead) await inFlight.shift();
        }
        await printed;
      }
      print.end();
    } finally {
      await services.close();
    }
  },
});

interface TranslationWriter {
  write(results: readonly Translation[]): void;
  end(): void;
}

/**
 * One translation per line: line N of the output answers input line N. Flagged lines are
 * counted and the count said on stderr at the end (`--json` says which and why).
 */
function lineWriter(out: CliOutput, err: CliOutput, to: string): TranslationWriter {
  let lines = 0;
  let flagged = 0;
  const missing: [string, string][] = [];
  return {
    write(results) {
      lines += results.length;
      flagged += results.filter((r) => r.flags?.length).length;
      missing.push(...noModelPairs(results, to));
      // A translation never spans lines in this output.
      out.write(results.map((r) => `${r.text.replace(/\r?\n/g, ' ')}\n`).join(''));
    },
    end() {
      if (flagged) err.write(`${flagged} of ${lines} ${lines === 1 ? 'line' : 'lines'} flagged for review (--json says why)\n`);
      if (missing.length) err.write(`${missing.length} left untranslated: ${noModelHint(missing)}\n`);
    },
  };
}

/** The JSON array `JSON.stringify(all, null, 2)` would print, written element by element. */
function jsonArrayWriter(out: CliOutput): TranslationWriter {
  let first = true;
  return {
    write(results) {
      for (const { source, text, model, cached, ms, from, detected, confidence, flags, origin, suggestions } of results) {
        // `none`: no model ran (passed through as same_language, or no_model).
        const fields = {
          source, text, model, cached, ms, from: from ?? null, ...(detected ? { detected } : {}), confidence: confidence ?? null, flags: flags ?? [],
          origin: origin ?? (cached ? 'cache' : model ? 'model' : 'none'),
          suggestions: (suggestions ?? []).map(({ source: s, target, score }) => ({ source: s, target, score })),
        };
        const item = JSON.stringify(fields, null, 2).replace(/\n/g, '\n  ');
        out.write(`${first ? '[\n' : ',\n'}  ${item}`);
        first = false;
      }
    },
    end: () => void out.write(first ? '[]\n' : '\n]\n'),
  };
}
