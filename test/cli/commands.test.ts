// The one command shape: the registry parses a command's (or subcommand's) own options strictly,
// dispatches subcommands, and refuses what it does not know with exit 2 and one line; the types
// of `values` follow the options (checked by `npm run typecheck`, which covers this file).
import { PassThrough } from 'node:stream';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { cacheCommand } from '../../src/cli/commands/cache.js';
import { jobsCommand } from '../../src/cli/commands/jobs.js';
import { keysCommand } from '../../src/cli/commands/keys.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { defineCommand, runCommand, subcommand, type Command, type CommandContext } from '../../src/cli/registry.js';
import { useTmpDirs } from '../state/helpers/tmp.js';

const tmp = useTmpDirs('parla-commands-');

async function run(command: Command, argv: string[], dataDir = tmp()) {
  let stdout = '';
  let stderr = '';
  const code = await runCommand(command, argv, {
    stdin: new PassThrough(),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    global: (values) => ({ dataDir: values['data-dir'] ?? dataDir }),
  });
  return { code, stdout, stderr };
}

/** A command that records what each subcommand was given. */
function recorder() {
  const calls: { sub: string; values: unknown; positionals: string[]; dataDir: string }[] = [];
  const record = (sub: string) => async ({ values, positionals, global }: CommandContext<unknown>) => void calls.push({ sub, values, positionals, dataDir: global.dataDir });
  const command = defineCommand({
    name: 'thing',
    usage: 'parla thing [list | add NAME [--force]] [--json]',
    summary: 'Things.',
    defaultSubcommand: 'list',
    subcommands: {
      list: subcommand({ options: { json: { type: 'boolean' } }, run: record('list') }),
      add: subcommand({ usage: 'parla thing add NAME [--force]', options: { json: { type: 'boolean' }, force: { type: 'boolean', default: false } }, run: record('add') }),
    },
  });
  return { command, calls };
}

describe('the registry', () => {
  it('dispatches the subcommand named first, with its own options and the arguments after its name', async () => {
    const { command, calls } = recorder();
    expect((await run(command, ['--json', 'add', 'one', '--force', '--data-dir', '/tmp/x'])).code).toBe(0);
    expect(calls.at(-1)).toMatchObject({ sub: 'add', values: { json: true, force: true }, positionals: ['one'], dataDir: '/tmp/x' });
    await run(command, []);
    expect(calls.at(-1)).toMatchObject({ sub: 'list', positionals: [] });
  });

  it('refuses an unknown subcommand with exit 2 and one line', async () => {
    const { command, calls } = recorder();
    const r = await run(command, ['frob', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('parla: unknown thing command "frob" (usage: parla thing [list | add NAME [--force]] [--json])\n');
    expect(calls).toEqual([]);
  });

  it('refuses an unknown flag, and a flag of another subcommand, with exit 2 and one line', async () => {
    const { command, calls } = recorder();
    const unknown = await run(command, ['add', 'x', '--nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^parla: Unknown option '--nope'.*\(usage: parla thing .*\)\n$/u);
    const misplaced = await run(command, ['list', '--force']);
    expect(misplaced).toMatchObject({ code: 2, stderr: 'parla: --force goes with `parla thing add`\n' });
    expect(calls).toEqual([]);
  });

  it('prints the usage for --help, the subcommand’s own when it has one', async () => {
    const { command, calls } = recorder();
    expect(await run(command, ['--help'])).toMatchObject({ code: 0, stdout: 'usage: parla thing [list | add NAME [--force]] [--json]\nThings.\n' });
    expect((await run(command, ['add', '-h'])).stdout).toBe('usage: parla thing add NAME [--force]\nThings.\n');
    expect((await run(command, ['frob', '--help'])).code).toBe(0);
    expect(calls).toEqual([]);
  });

  it('refuses what real commands do not know, before opening anything', async () => {
    const dataDir = tmp();
    for (const argv of [['frob', 'id'], ['list', '--bogus'], ['show'], ['list', 'a', 'b']]) {
      const r = await run(jobsCommand, argv, dataDir);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr.split('\n').filter(Boolean), argv.join(' ')).toHaveLength(1);
    }
    expect(await run(cacheCommand, ['frob'], dataDir)).toMatchObject({ code: 2, stderr: 'parla: usage: parla cache [stats | clear] [--json]\n' });
    expect(await run(keysCommand, ['revoke', 'x', '--chars', '5'], dataDir)).toMatchObject({ code: 2, stderr: 'parla: --chars goes with `parla keys create`\n' });
  });

  it('has one entry per name, and each usage line names its command', () => {
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
    for (const c of COMMANDS) expect(c.usage.startsWith(`parla ${c.name}`), c.name).toBe(true);
  });

  it('refuses subcommands whose same-named options differ (the dispatcher reads them together)', () => {
    expect(() =>
      defineCommand({
        name: 'bad',
        usage: 'parla bad',
        summary: '',
        subcommands: {
          a: subcommand({ options: { n: { type: 'string' } }, run: async () => undefined }),
          b: subcommand({ options: { n: { type: 'boolean' } }, run: async () => undefined }),
        },
      }),
    ).toThrow(/--n differs/u);
  });
});

describe('the types of values', () => {
  it('follow the options', () => {
    defineCommand({
      name: 'typed',
      usage: 'parla typed',
      summary: '',
      options: {
        to: { type: 'string' },
        json: { type: 'boolean' },
        tag: { type: 'string', multiple: true },
        limit: { type: 'string', default: '10' },
      },
      async run({ values }) {
        expectTypeOf(values.to).toEqualTypeOf<string | undefined>();
        expectTypeOf(values.json).toEqualTypeOf<boolean | undefined>();
        expectTypeOf(values.tag).toEqualTypeOf<string[] | undefined>();
        expectTypeOf(values.limit).toEqualTypeOf<string>();
        // @ts-expect-error a string option's value is not a boolean
        const json: boolean | undefined = values.to;
        // @ts-expect-error a boolean option's value is not a string
        const to: string | undefined = values.json;
        // @ts-expect-error an option the command does not declare
        const other = values.other;
        return void [json, to, other];
      },
    });
    subcommand({
      options: { force: { type: 'boolean', default: false } },
      async run({ values }) {
        expectTypeOf(values.force).toEqualTypeOf<boolean>();
        // @ts-expect-error a subcommand sees its own options only
        return void values.json;
      },
    });
  });
});
