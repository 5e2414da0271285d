// stdin chunking for `parla translate`: whole chunks from a fast source, a prompt answer for a
// line typed by a person, and reading held back while enough chunks wait.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readLineChunks } from '../../src/cli/commands/read-lines.js';

const options = { size: 4, waitMs: 30, ahead: 2 };

describe('readLineChunks', () => {
  it('cuts a fast input into chunks of `size` lines, in order, with CRLF and no final newline', async () => {
    const input = new PassThrough();
    input.end('a\r\nb\nc\nd\ne\nf\ng\nh\ni\nj');
    const chunks: string[][] = [];
    for await (const chunk of readLineChunks(input, options)) chunks.push(chunk);
    expect(chunks).toEqual([['a', 'b', 'c', 'd'], ['e', 'f', 'g', 'h'], ['i', 'j']]);
  });

  it('hands over a typed line within `waitMs`, while the input is still open', async () => {
    const input = new PassThrough();
    const chunks = readLineChunks(input, options);
    input.write('Hello\n');
    const started = performance.now();
    const first = await chunks.next();
    expect(first.value).toEqual(['Hello']);
    expect(performance.now() - started).toBeLessThan(1000);
    input.write('Good night\n');
    expect((await chunks.next()).value).toEqual(['Good night']);
    input.end();
    expect((await chunks.next()).done).toBe(true);
  });

  it('stops reading while `ahead` chunks wait, and reads on as they are taken', async () => {
    const input = new PassThrough();
    const chunks = readLineChunks(input, options);
    const first = chunks.next(); // starts reading
    for (let i = 0; i < 400; i++) input.write(`line ${i}\n`);
    await first;
    await new Promise((r) => setTimeout(r, 50));
    // Paused: most of the input waits in the stream instead of in memory as lines.
    expect(input.readableFlowing).toBe(false);
    expect(input.readableLength).toBeGreaterThan(300 * 'line 000\n'.length);
    input.end();
    const rest: string[] = [];
    for await (const chunk of chunks) rest.push(...chunk);
    expect(rest).toHaveLength(396);
    expect(rest.at(-1)).toBe('line 399');
  });
});
