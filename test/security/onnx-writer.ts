// Just enough of a protobuf writer to make ONNX graphs for tests: a valid model whose load is
// slow (a long chain of Adds keeps onnxruntime's graph optimizer busy for seconds).
function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n) b |= 128;
    out.push(b);
  } while (n);
  return Buffer.from(out);
}

const tag = (no: number, wire: number) => varint(no * 8 + wire);
const message = (no: number, body: Buffer) => Buffer.concat([tag(no, 2), varint(body.length), body]);
const text = (no: number, s: string) => message(no, Buffer.from(s));
const int = (no: number, n: number) => Buffer.concat([tag(no, 0), varint(n)]);

/** ValueInfoProto: a float tensor of shape [1]. */
function floatValue(name: string): Buffer {
  const shape = message(2, message(1, int(1, 1)));
  return Buffer.concat([text(1, name), message(2, message(1, Buffer.concat([int(1, 1), shape])))]);
}

/** An ONNX model (opset 17) computing y from x through `nodes` chained Add nodes. */
export function slowGraph(nodes: number): Buffer {
  const body: Buffer[] = [];
  for (let i = 0; i < nodes; i++) {
    const input = i === 0 ? 'x' : `t${i - 1}`;
    body.push(message(1, Buffer.concat([text(1, input), text(1, input), text(2, i === nodes - 1 ? 'y' : `t${i}`), text(4, 'Add')])));
  }
  const graph = Buffer.concat([...body, text(2, 'slow'), message(11, floatValue('x')), message(12, floatValue('y'))]);
  return Buffer.concat([int(1, 8), message(8, Buffer.concat([text(1, ''), int(2, 17)])), message(7, graph)]);
}
