// stdin as lines (one input per line), for commands that accept piped text.
import { createInterface } from 'node:readline';

export async function readLines(stream: NodeJS.ReadableStream): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) lines.push(line);
  return lines;
}
