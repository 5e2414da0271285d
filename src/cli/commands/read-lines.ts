// stdin as lines (one input per line), in chunks: a chunk holds up to `size` lines, or what
// arrived within `waitMs` of its first line. A file or a fast pipe fills whole chunks (good
// batches for the model host); a person typing gets each line answered at once, not at EOF.
// Reading pauses while `ahead` chunks wait to be taken, so a huge input stays bounded.
import { createInterface } from 'node:readline';

export interface LineChunkOptions {
  size: number;
  waitMs: number;
  ahead: number;
}

export const LINE_CHUNKS: LineChunkOptions = { size: 256, waitMs: 30, ahead: 2 };

export async function* readLineChunks(stream: NodeJS.ReadableStream, options: LineChunkOptions = LINE_CHUNKS): AsyncGenerator<string[]> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  const ready: string[][] = [];
  let chunk: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (chunk.length) {
      ready.push(chunk);
      chunk = [];
      if (ready.length >= options.ahead) lines.pause();
    }
    wake?.();
  };
  lines.on('line', (line) => {
    chunk.push(line);
    if (chunk.length >= options.size) flush();
    else timer ??= setTimeout(flush, options.waitMs);
  });
  lines.on('close', () => {
    ended = true;
    flush();
  });
  try {
    for (;;) {
      const next = ready.shift();
      if (next) {
        if (ready.length < options.ahead) lines.resume();
        yield next;
      } else if (ended) {
        return;
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    }
  } finally {
    clearTimeout(timer);
    lines.close();
  }
}
