// `parla translate` over stdin, in-process with a stand-in engine: a chunk that fails while an
// earlier one is still being translated ends the command with that error, printed once, and
// never as an unhandled rejection; what came before it is printed in order.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { translateCommand } from '../../src/cli/commands/translate.js';
import type { GlobalOptions } from '../../src/cli/registry.js';
import type { ServicesOptions } from '../../src/core/services.js';
import type { TranslateRequest } from '../../src/shared/translation.js';
import { useTmpDirs } from '../state/helpers/tmp.js';

const tmp = useTmpDirs('parla-translate-');

describe('parla translate, streaming stdin', () => {
  it('ends with the failing chunk’s error after printing the chunks before it', async () => {
    // The first chunk (256 lines) is slow; the second fails at once, before the first is done.
    const engine = {
      async translate(request: TranslateRequest) {
        if (request.texts.includes('boom')) throw new Error('model failed on boom');
        await new Promise((r) => setTimeout(r, 200));
        return request.texts.map((t) => ({ source: t, text: t.toUpperCase(), model: 'stand-in', cached: false, ms: 1 }));
      },
    };
    const stdin = new PassThrough();
    stdin.end(`${Array.from({ length: 256 }, (_, i) => `line ${i}`).join('\n')}\nboom\n`);
    let stdout = '';
    const global: GlobalOptions & Pick<ServicesOptions, 'openEngine'> = { dataDir: tmp(), openEngine: async () => engine };
    const run = translateCommand.run({
      global,
      values: { to: 'es', 'no-cache': true },
      positionals: [],
      argv: [],
      stdin,
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true },
    } as unknown as Parameters<typeof translateCommand.run>[0]);
    await expect(run).rejects.toThrow('model failed on boom');
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(256);
    expect(lines.at(-1)).toBe('LINE 255');
  });
});
