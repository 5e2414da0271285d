import { describe, expect, it } from 'vitest';
import { previewRows } from '../../src/renderer/lib/csv.js';
import { formatBytes, formatDuration } from '../../src/renderer/lib/format.js';
import { windowedRates } from '../../src/renderer/lib/throughput.js';

describe('renderer helpers', () => {
  it('measures throughput over one-second windows, so a burst at the start does not dominate', () => {
    const samples = [
      { t: 0, done: 0 },
      { t: 5, done: 100 }, // 20,000/s over 5 ms: not a rate anyone should see
      { t: 1000, done: 200 },
      { t: 2000, done: 400 },
      { t: 3000, done: 400 }, // paused
    ];
    expect(windowedRates(samples)).toEqual([
      { t: 1000, rate: 200 },
      { t: 2000, rate: 200 },
      { t: 3000, rate: 0 },
    ]);
    expect(windowedRates(samples.slice(0, 2))).toEqual([]);
  });

  it('previews quoted CSV, TSV and semicolon files', () => {
    expect(previewRows('a,b\n"x, y","say ""hi"""\n3,4\n', 2)).toEqual([['a', 'b'], ['x, y', 'say "hi"']]);
    expect(previewRows('a\tb\r\n1\t2', 5)).toEqual([['a', 'b'], ['1', '2']]);
    expect(previewRows('a;b\n1;2\n', 5)).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('formats sizes and durations', () => {
    expect(formatBytes(31_457_280)).toBe('30 MB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(75)).toBe('1 min 15 s');
  });
});
