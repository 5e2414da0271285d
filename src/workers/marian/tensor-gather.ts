// Row gather along the batch dimension: how beams take over their parent's KV cache and how
// finished sentences leave the batch. Each row is a contiguous block, so one `set` per row.

export type RowData = Float32Array | BigInt64Array;

/** `out[r] = data[indices[r]]` for rows of `rowSize` elements. */
export function gatherRows<T extends RowData>(data: T, rowSize: number, indices: readonly number[]): T {
  const out = new (data.constructor as new (n: number) => T)(indices.length * rowSize);
  if (rowSize === 0) return out;
  for (let r = 0; r < indices.length; r++) {
    const from = indices[r]! * rowSize;
    out.set(data.subarray(from, from + rowSize) as never, r * rowSize);
  }
  return out;
}

export function isIdentity(indices: readonly number[], rows: number): boolean {
  if (indices.length !== rows) return false;
  for (let i = 0; i < rows; i++) if (indices[i] !== i) return false;
  return true;
}
