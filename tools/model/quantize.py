"""Dynamic int8 quantization of a model folder's graphs, the way Xenova's `*_quantized.onnx` are made.

Usage: python3 tools/model/quantize.py MODEL_DIR [--per-tensor] [--inline]

Writes onnx/encoder_model_quantized.onnx and onnx/decoder_model_merged_quantized.onnx next to the
fp32 graphs, their weights in onnx/model_quantized.onnx_data, with python3-onnx only (onnxruntime's Python quantizer is not packaged in Debian).
What onnxruntime's `quantize_dynamic` does, and so what transformers.js's quantized exports hold:

- every MatMul whose second input is a weight (an initializer, possibly behind a Cast from
  float16 or a Transpose) becomes DynamicQuantizeLinear(x) -> MatMulInteger(x_q, W_q) -> Cast
  -> Mul by (x_scale * W_scale). W_q is uint8 with a scale and zero point per output column
  (per tensor with --per-tensor). onnxruntime's CPU provider fuses the chain into one
  DynamicQuantizeMatMul kernel. Activations are quantized per run (per batch), so batched
  outputs can differ slightly from one-by-one ones.
- every Gather from a token embedding table (not the sinusoidal positions) reads a uint8 table and dequantizes the
  gathered rows (DequantizeLinear, one scale for the table).

Weights go to one external file shared by both graphs (a weight both hold, the token embedding's
uint8 table, is stored once), each at a page-aligned offset, so onnxruntime maps it instead of
parsing it out of the graph into the heap: measured on an OPUS-MT-size model, RSS growth after a
run 258-263 MB instead of 374-408 MB (the parsed graph's freed memory stayed in glibc's arenas).
With --inline each graph holds its own weights, as Xenova's do.
"""
import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

GRAPHS = ("encoder_model", "decoder_model_merged")
DATA_FILE = "model_quantized.onnx_data"

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export import WeightStore  # noqa: E402  (one page-aligned, deduplicating weight file)


def subgraphs(node):
    for a in node.attribute:
        if a.type == onnx.AttributeProto.GRAPH:
            yield a.g
        elif a.type == onnx.AttributeProto.GRAPHS:
            yield from a.graphs


def all_graphs(graph):
    yield graph
    for node in graph.node:
        for g in subgraphs(node):
            yield from all_graphs(g)


def quantize_columns(w, per_channel):
    """uint8 weights [K, N] with scale and zero point per column (or one for all): w ≈ (q - zp) * s."""
    axis = 0 if per_channel else None
    lo = np.minimum(w.min(axis=axis), 0.0)
    hi = np.maximum(w.max(axis=axis), 0.0)
    scale = np.maximum((hi - lo) / 255.0, 1e-12).astype(np.float32)
    zp = np.clip(np.round(-lo / scale), 0, 255).astype(np.uint8)
    q = np.clip(np.round(w / scale) + zp.astype(np.float32), 0, 255).astype(np.uint8)
    return q, scale, zp


class Quantizer:
    def __init__(self, model, per_channel):
        self.model, self.per_channel = model, per_channel
        self.top = model.graph
        self.inits = {i.name: i for i in self.top.initializer}
        self.producers = {o: n for g in all_graphs(self.top) for n in g.node for o in n.output}
        self.added = {}  # quantized weights by source, shared by every graph (both If branches)
        self.count = {"MatMul": 0, "Gather": 0}

    def weight(self, name):
        """(float32 array, source name) when a value always holds a (cast, transposed) weight, else
        None. The source names the initializer and the transposes applied, so both If branches'
        Transposes of one weight map to one quantized copy."""
        if name in self.inits:
            init = self.inits[name]
            ok = init.data_type in (TensorProto.FLOAT, TensorProto.FLOAT16)
            return (numpy_helper.to_array(init).astype(np.float32), name.removesuffix("__fp16")) if ok else None
        node = self.producers.get(name)
        if node is None or len(node.input) != 1:
            return None
        if node.op_type in ("Cast", "Identity"):
            return self.weight(node.input[0])
        if node.op_type == "Transpose":
            found = self.weight(node.input[0])
            if found is None:
                return None
            perm = [list(a.ints) for a in node.attribute if a.name == "perm"]
            return np.transpose(found[0], perm[0] if perm else None), found[1] + "__T"
        return None

    def constant(self, key, make):
        """Outer-graph initializers, made once per key."""
        if key not in self.added:
            tensors = make()
            self.top.initializer.extend(tensors)
            self.added[key] = [t.name for t in tensors]
        return self.added[key]

    def matmul(self, node, w, base):
        q_name, s_name, z_name = self.constant(("matmul", base), lambda: [
            numpy_helper.from_array(a, f"{base}_quantized{suffix}")
            for a, suffix in zip(quantize_columns(w, self.per_channel), ("", "_scale", "_zero_point"))])
        out = node.output[0]
        p = f"{out}_q"
        self.count["MatMul"] += 1
        return [
            helper.make_node("DynamicQuantizeLinear", [node.input[0]], [f"{p}/x", f"{p}/x_scale", f"{p}/x_zero_point"], name=f"{p}/quantize"),
            helper.make_node("MatMulInteger", [f"{p}/x", q_name, f"{p}/x_zero_point", z_name], [f"{p}/int32"], name=f"{p}/matmul"),
            helper.make_node("Cast", [f"{p}/int32"], [f"{p}/float"], name=f"{p}/cast", to=TensorProto.FLOAT),
            helper.make_node("Mul", [f"{p}/x_scale", s_name], [f"{p}/scale"], name=f"{p}/scale"),
            helper.make_node("Mul", [f"{p}/float", f"{p}/scale"], [out], name=f"{p}/rescale"),
        ]

    def gather(self, node, w, base):
        q_name, s_name, z_name = self.constant(("gather", base), lambda: [
            numpy_helper.from_array(a.reshape(w.shape) if a.ndim else a, f"{base}_quantized{suffix}")
            for a, suffix in zip(quantize_columns(w.reshape(-1, 1), False), ("", "_scale", "_zero_point"))])
        out = node.output[0]
        p = f"{out}_q"
        self.count["Gather"] += 1
        gathered = helper.make_node("Gather", [q_name, node.input[1]], [f"{p}/rows"], name=f"{p}/gather")
        gathered.attribute.extend(node.attribute)
        return [gathered, helper.make_node("DequantizeLinear", [f"{p}/rows", s_name, z_name], [out], name=f"{p}/dequantize")]

    def rewrite(self, graph):
        nodes = []
        for node in graph.node:
            for g in subgraphs(node):
                self.rewrite(g)
            if node.op_type == "FusedMatMul" and node.domain == "com.microsoft":
                # The tied output layer (export.py, fp32 mode): x · Wᵀ, quantized as a MatMul by Wᵀ.
                attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
                found = self.weight(node.input[1])
                if (found is not None and found[0].ndim == 2 and attrs.get("transB") == 1 and not attrs.get("transA")
                        and attrs.get("alpha", 1.0) == 1.0 and self.weight(node.input[0]) is None):
                    nodes += self.matmul(node, np.ascontiguousarray(found[0].T), found[1] + "__T")
                    continue
            if node.op_type == "MatMul":
                found = self.weight(node.input[1])
                if found is not None and found[0].ndim == 2 and self.weight(node.input[0]) is None:
                    nodes += self.matmul(node, *found)
                    continue
            elif node.op_type == "Gather":
                found = self.weight(node.input[0])
                if found is not None and found[0].ndim == 2 and "embed_positions" not in found[1] and self.weight(node.input[1]) is None:
                    nodes += self.gather(node, *found)
                    continue
            nodes.append(node)
        del graph.node[:]
        graph.node.extend(nodes)


def used_names(graph):
    """Every value read in a graph and its subgraphs (node inputs and graph outputs)."""
    used = {o.name for o in graph.output}
    for node in graph.node:
        used.update(node.input)
        for g in subgraphs(node):
            used |= used_names(g)
    return used


def prune(model):
    """Drops nodes whose outputs nothing reads (the weights' old Cast/Transpose), then unread initializers."""
    while True:
        used = used_names(model.graph)
        removed = False
        for g in all_graphs(model.graph):
            keep = [n for n in g.node if any(o in used for o in n.output) or not n.output]
            if len(keep) != len(g.node):
                removed = True
                del g.node[:]
                g.node.extend(keep)
        if not removed:
            break
    used = used_names(model.graph)
    live = [i for i in model.graph.initializer if i.name in used]
    del model.graph.initializer[:]
    model.graph.initializer.extend(live)


def externalize(model, store):
    """Moves every initializer of 1 KiB or more into `store` (written later as DATA_FILE)."""
    for init in model.graph.initializer:
        arr = numpy_helper.to_array(init)
        if arr.nbytes < 1024:
            continue
        offset, length = store.add(arr)
        for field in ("raw_data", "float_data", "int32_data", "int64_data", "double_data", "uint64_data"):
            init.ClearField(field)
        init.data_location = TensorProto.EXTERNAL
        del init.external_data[:]
        for k, v in (("location", DATA_FILE), ("offset", str(offset)), ("length", str(length))):
            e = init.external_data.add()
            e.key, e.value = k, v


def quantize_file(src, dst, per_channel, store=None):
    """Quantizes one graph; its weights go to `store` (shared external file), or inline when None."""
    model = onnx.load(src)  # external fp32 weights read in
    q = Quantizer(model, per_channel)
    q.rewrite(model.graph)
    prune(model)
    for init in model.graph.initializer:
        init.data_location = TensorProto.DEFAULT
        del init.external_data[:]
    if store is not None:
        externalize(model, store)
    onnx.save(model, dst)
    return q.count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model_dir")
    ap.add_argument("--per-tensor", action="store_true", help="one scale per weight instead of one per output column")
    ap.add_argument("--inline", action="store_true", help="each graph holds its own weights (as Xenova's), no shared data file")
    args = ap.parse_args()
    onnx_dir = os.path.join(args.model_dir, "onnx")
    store = None if args.inline else WeightStore(4096)
    written = []
    for name in GRAPHS:
        src = os.path.join(onnx_dir, f"{name}.onnx")
        dst = os.path.join(onnx_dir, f"{name}_quantized.onnx")
        count = quantize_file(src, dst, not args.per_tensor, store)
        written.append(dst)
        print(f"{dst}: {count['MatMul']} MatMul, {count['Gather']} Gather quantized, {os.path.getsize(dst) / 1e6:.1f} MB")
    data = os.path.join(onnx_dir, DATA_FILE)
    if store is None:
        if os.path.exists(data):
            os.remove(data)
    else:
        store.write(data)
        print(f"{data}: {os.path.getsize(data) / 1e6:.1f} MB")
    for dst in written:  # after the data file exists: the checker reads external tensors' sizes
        onnx.checker.check_model(dst)


if __name__ == "__main__":
    main()
