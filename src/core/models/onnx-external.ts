// What an ONNX graph needs from external data files: for every tensor stored outside the graph
// (`data_location: EXTERNAL`), the file it names and how far into that file it reads. A model
// whose `.onnx_data` is shorter than that loads as garbage or not at all, so the model store
// compares these needs with the files' sizes before installing a model and whenever it lists.
//
// Reads only the protobuf structure: length-delimited fields it does not need (weights held
// inside the graph, names, docs) are skipped by offset, so a 300 MB graph with inline weights
// costs a few hundred small reads, not 300 MB. The parse is synchronous over 64 KiB windows read
// with readSync: it was asynchronous per varint, and a `parla translate --model DIR` spent
// ~700 ms and most of a second of garbage collection in it on an OPUS-MT-size model's graphs.
import { readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { ParlaError } from '../../shared/errors.js';

/** Bytes each file named by external_data must hold at least, by its location (relative to the graph's folder). */
export type ExternalNeeds = Map<string, number>;

const WINDOW = 64 * 1024;
/** Subgraphs (If/Loop bodies) nest; real exports go 2–3 deep. */
const MAX_DEPTH = 16;

// Field numbers from onnx.proto.
const MODEL = { graph: 7, functions: 25 };
const GRAPH = { node: 1, initializer: 5, sparseInitializer: 15 };
const FUNCTION = { node: 7 };
const NODE = { attribute: 5 };
const ATTRIBUTE = { t: 5, g: 6, tensors: 10, graphs: 11, sparseTensor: 22, sparseTensors: 23 };
const SPARSE = { values: 1, indices: 2 };
const TENSOR = { dims: 1, dataType: 2, externalData: 13, dataLocation: 14 };
const ENTRY = { key: 1, value: 2 };
const EXTERNAL = 1;

/** Element sizes in bits by TensorProto.DataType; strings (8) cannot be external. */
const BITS: Record<number, number> = { 1: 32, 2: 8, 3: 8, 4: 16, 5: 16, 6: 32, 7: 64, 9: 8, 10: 16, 11: 64, 12: 32, 13: 64, 14: 64, 15: 128, 16: 16, 17: 8, 18: 8, 19: 8, 20: 8, 21: 4, 22: 4, 23: 4 };

class Malformed extends Error {}

/** Random access to a file through one cached window. */
class Bytes {
  private window = Buffer.alloc(0);
  private at = 0;

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  /** Makes [pos, pos + length) readable through `byte`. */
  load(pos: number, length: number): void {
    if (pos < 0 || pos + length > this.size) throw new Malformed('a field runs past the end of the file');
    if (pos < this.at || pos + length > this.at + this.window.length) {
      const n = Math.min(Math.max(length, WINDOW), this.size - pos);
      const buffer = Buffer.alloc(n);
      const bytesRead = readSync(this.fd, buffer, 0, n, pos);
      if (bytesRead < length) throw new Malformed('the file changed while it was read');
      this.window = buffer.subarray(0, bytesRead);
      this.at = pos;
    }
  }

  /** The byte at `pos`, inside the range last loaded. */
  byte(pos: number): number {
    return this.window[pos - this.at]!;
  }

  get(pos: number, length: number): Buffer {
    this.load(pos, length);
    return this.window.subarray(pos - this.at, pos - this.at + length);
  }
}

interface Field {
  no: number;
  wire: number;
  /** Varint value (wire type 0). */
  value: number;
  /** Payload bounds (wire type 2). */
  start: number;
  end: number;
}

function varint(bytes: Bytes, pos: number): { value: number; next: number } {
  const length = Math.min(10, bytes.size - pos);
  bytes.load(pos, length);
  let value = 0;
  for (let i = 0, scale = 1; i < length; i++, scale *= 128) {
    const b = bytes.byte(pos + i);
    value += (b & 0x7f) * scale;
    if (!(b & 0x80)) return { value, next: pos + i + 1 };
  }
  throw new Malformed('a varint does not end');
}

/** Calls `visit` for each field of the message in [start, end). */
function fields(bytes: Bytes, start: number, end: number, visit: (f: Field) => void): void {
  let pos = start;
  while (pos < end) {
    const tag = varint(bytes, pos);
    const no = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    pos = tag.next;
    const field: Field = { no, wire, value: 0, start: pos, end: pos };
    if (wire === 0) {
      const v = varint(bytes, pos);
      field.value = v.value;
      pos = v.next;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const len = varint(bytes, pos);
      field.start = len.next;
      field.end = len.next + len.value;
      pos = field.end;
    } else throw new Malformed(`unsupported wire type ${wire}`);
    if (pos > end || no === 0) throw new Malformed('a field runs past its message');
    visit(field);
  }
}

function text(bytes: Bytes, f: Field): string {
  if (f.end - f.start > 4096) throw new Malformed('an external_data entry is too long');
  return bytes.get(f.start, f.end - f.start).toString('utf8');
}

function decimal(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,16}$/.test(value)) throw new Malformed(`external_data ${what} "${value.slice(0, 20)}" is not a byte count`);
  return Number(value);
}

function tensor(bytes: Bytes, start: number, end: number, needs: ExternalNeeds): void {
  const dims: number[] = [];
  let dataType = 0;
  let location = 0;
  const entries: Record<string, string> = {};
  fields(bytes, start, end, (f) => {
    if (f.no === TENSOR.dims && f.wire === 0) dims.push(f.value);
    else if (f.no === TENSOR.dims && f.wire === 2) {
      for (let p = f.start; p < f.end; ) {
        const d = varint(bytes, p);
        dims.push(d.value);
        p = d.next;
      }
    } else if (f.no === TENSOR.dataType && f.wire === 0) dataType = f.value;
    else if (f.no === TENSOR.dataLocation && f.wire === 0) location = f.value;
    else if (f.no === TENSOR.externalData && f.wire === 2) {
      let key = '';
      let value = '';
      fields(bytes, f.start, f.end, (e) => {
        if (e.no === ENTRY.key && e.wire === 2) key = text(bytes, e);
        else if (e.no === ENTRY.value && e.wire === 2) value = text(bytes, e);
      });
      entries[key] = value;
    }
  });
  if (location !== EXTERNAL) return;
  const file = entries.location;
  if (!file) throw new Malformed('an external tensor names no file');
  const offset = decimal(entries.offset, 'offset') ?? 0;
  const bits = BITS[dataType];
  const elements = dims.reduce((n, d) => n * d, 1);
  const expected = bits === undefined ? undefined : Math.ceil((elements * bits) / 8);
  const length = decimal(entries.length, 'length') ?? expected;
  if (length === undefined) throw new Malformed(`an external tensor in ${file} has no length`);
  if (expected !== undefined && length !== expected) throw new Malformed(`an external tensor in ${file} declares ${length} bytes for ${expected} bytes of data`);
  needs.set(file, Math.max(needs.get(file) ?? 0, offset + length));
}

function graph(bytes: Bytes, start: number, end: number, needs: ExternalNeeds, depth: number): void {
  if (depth > MAX_DEPTH) throw new Malformed('subgraphs nest too deep');
  fields(bytes, start, end, (f) => {
    if (f.wire !== 2) return;
    if (f.no === GRAPH.initializer) tensor(bytes, f.start, f.end, needs);
    else if (f.no === GRAPH.sparseInitializer) sparse(bytes, f, needs);
    else if (f.no === GRAPH.node) node(bytes, f, needs, depth);
  });
}

function sparse(bytes: Bytes, f: Field, needs: ExternalNeeds): void {
  fields(bytes, f.start, f.end, (s) => {
    if (s.wire === 2 && (s.no === SPARSE.values || s.no === SPARSE.indices)) tensor(bytes, s.start, s.end, needs);
  });
}

/** A node's attributes may hold tensors (Constant) and subgraphs (If, Loop, Scan). */
function node(bytes: Bytes, f: Field, needs: ExternalNeeds, depth: number): void {
  fields(bytes, f.start, f.end, (n) => {
    if (n.no !== NODE.attribute || n.wire !== 2) return;
    fields(bytes, n.start, n.end, (a) => {
      if (a.wire !== 2) return;
      if (a.no === ATTRIBUTE.t || a.no === ATTRIBUTE.tensors) tensor(bytes, a.start, a.end, needs);
      else if (a.no === ATTRIBUTE.g || a.no === ATTRIBUTE.graphs) graph(bytes, a.start, a.end, needs, depth + 1);
      else if (a.no === ATTRIBUTE.sparseTensor || a.no === ATTRIBUTE.sparseTensors) sparse(bytes, a, needs);
    });
  });
}

/** The external data a graph file needs; MODEL_INVALID naming the file when it is not a readable ONNX model. */
export async function externalDataNeeds(path: string, label = path): Promise<ExternalNeeds> {
  const file = await open(path, 'r');
  try {
    const bytes = new Bytes(file.fd, (await file.stat()).size);
    const needs: ExternalNeeds = new Map();
    let graphs = 0;
    fields(bytes, 0, bytes.size, (f) => {
      if (f.wire !== 2) return;
      if (f.no === MODEL.graph) {
        graphs++;
        graph(bytes, f.start, f.end, needs, 0);
      } else if (f.no === MODEL.functions) {
        fields(bytes, f.start, f.end, (n) => {
          if (n.no === FUNCTION.node && n.wire === 2) node(bytes, n, needs, 1);
        });
      }
    });
    if (graphs === 0) throw new Malformed('it holds no graph');
    return needs;
  } catch (e) {
    if (e instanceof Malformed) throw new ParlaError('MODEL_INVALID', `${label} is not a complete ONNX model (${e.message})`);
    throw e;
  } finally {
    await file.close();
  }
}
