// Builds a one-node MatMul ONNX graph in memory (hand-encoded protobuf), so the benchmark can
// measure onnxruntime's achievable matmul FLOP/s on this machine without shipping a file.

function varint(n) {
  const out = [];
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}
const tag = (field, wire) => varint((field << 3) | wire);
const int = (field, n) => [...tag(field, 0), ...varint(n)];
const bytes = (field, payload) => [...tag(field, 2), ...varint(payload.length), ...payload];
const str = (field, s) => bytes(field, [...Buffer.from(s, 'utf8')]);

function valueInfo(name, dims) {
  const shape = dims.flatMap((d) => bytes(1, typeof d === 'number' ? int(1, d) : str(2, d)));
  const tensorType = [...int(1, 1 /* FLOAT */), ...bytes(2, shape)];
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))];
}

/** A model computing C = A @ B with A [m, k], B [k, n] (symbolic m so batch sizes can vary). */
export function matmulModel(k, n) {
  const node = [...str(1, 'A'), ...str(1, 'B'), ...str(2, 'C'), ...str(3, 'mm'), ...str(4, 'MatMul')];
  const graph = [
    ...bytes(1, node),
    ...str(2, 'matmul'),
    ...bytes(11, valueInfo('A', ['m', k])),
    ...bytes(11, valueInfo('B', [k, n])),
    ...bytes(12, valueInfo('C', ['m', n])),
  ];
  const opset = [...str(1, ''), ...int(2, 13)];
  const model = [...int(1, 7), ...str(2, 'parla-bench'), ...bytes(7, graph), ...bytes(8, opset)];
  return Uint8Array.from(model);
}
