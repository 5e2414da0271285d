// Newline-delimited JSON framing for the model-host socket: one message per line, chunks
// reassembled across reads. Pure (no Node imports) so both ends and tests share it.

export class LineDecoder {
  private buffer = '';

  /** Feeds a chunk and returns the complete lines it finished. */
  push(chunk: string): string[] {
    this.buffer += chunk;
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop() ?? '';
    return lines.filter((l) => l.length > 0);
  }
}

export function encodeLine(message: unknown): string {
  return `${JSON.stringify(message)}\n`;
}
