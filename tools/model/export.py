"""Export a trained checkpoint in the Hugging Face Optimum / Xenova layout.

Usage: python3 tools/model/export.py --ckpt tools/runs/tiny-en-es/ckpt.pt \
           --tokenizer tools/data/tokenizer --out resources/models/parla-tiny-en-es

Writes config.json, generation_config.json, tokenizer.json, tokenizer_config.json and
onnx/{encoder_model,decoder_model,decoder_with_past_model,decoder_model_merged}.onnx.
Weights are rounded to float16 and stored ONCE, in onnx/model.onnx_data, shared by all four
graphs (each graph casts them back to float32; onnxruntime folds the casts at load time). That
keeps the folder small (fp32 copies in four files would be ~100 MB) while every computation
stays float32. The torch model used for goldens and checks carries the same rounded weights.
"""
import argparse
import hashlib
import json
import os
import shutil
import tempfile

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

from marian import MarianMT, MarianSize, hf_config

OPSET = 17
DATA_FILE = "model.onnx_data"


def load_model(ckpt_path):
    ck = torch.load(ckpt_path, map_location="cpu")
    size_path = os.path.join(os.path.dirname(ckpt_path), "size.json")
    size = MarianSize(**(ck.get("size") or json.load(open(size_path))))
    model = MarianMT(size)
    model.load_state_dict(ck["model"])
    model.eval()
    with torch.no_grad():  # the shipped weights are fp16; make torch see exactly those
        for t in list(model.parameters()) + list(model.buffers()):
            t.copy_(t.half().float())
    return model, size


class EncoderExport(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, attention_mask):
        return self.m.model.encoder(input_ids, attention_mask)


class DecoderExport(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, encoder_attention_mask, input_ids, encoder_hidden_states):
        dec = self.m.model.decoder
        enc_kv = dec.encoder_kv(encoder_hidden_states)
        h, present = dec(input_ids, encoder_attention_mask, enc_kv)
        out = [self.m.logits(h)]
        for (k, v), (ek, ev) in zip(present, enc_kv):
            out += [k, v, ek, ev]
        return tuple(out)


class DecoderWithPastExport(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, encoder_attention_mask, input_ids, *past):
        dec = self.m.model.decoder
        n = len(dec.layers)
        past_self = [(past[4 * i], past[4 * i + 1]) for i in range(n)]
        enc_kv = [(past[4 * i + 2], past[4 * i + 3]) for i in range(n)]
        h, present = dec(input_ids, encoder_attention_mask, enc_kv, past_self)
        out = [self.m.logits(h)]
        for k, v in present:
            out += [k, v]
        return tuple(out)


def past_names(n, prefix):
    names = []
    for i in range(n):
        for part in ("decoder", "encoder"):
            names += [f"{prefix}.{i}.{part}.key", f"{prefix}.{i}.{part}.value"]
    return names


def export_graphs(model, size, tmp):
    n, H, hd = size.decoder_layers, size.heads, size.d_model // size.heads
    ids = torch.tensor([[5, 6, 7, 8, 0], [9, 10, 0, size.pad_id, size.pad_id]])
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])
    enc = model.model.encoder(ids, mask)
    kw = dict(opset_version=OPSET, do_constant_folding=False)
    torch.onnx.export(EncoderExport(model), (ids, mask), f"{tmp}/encoder.onnx",
                      input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                      dynamic_axes={"input_ids": {0: "batch_size", 1: "encoder_sequence_length"},
                                    "attention_mask": {0: "batch_size", 1: "encoder_sequence_length"},
                                    "last_hidden_state": {0: "batch_size", 1: "encoder_sequence_length"}}, **kw)
    dec_ids = torch.tensor([[size.pad_id, 11], [size.pad_id, 12]])
    present = past_names(n, "present")
    dyn = {"encoder_attention_mask": {0: "batch_size", 1: "encoder_sequence_length"},
           "input_ids": {0: "batch_size", 1: "decoder_sequence_length"},
           "encoder_hidden_states": {0: "batch_size", 1: "encoder_sequence_length"},
           "logits": {0: "batch_size", 1: "decoder_sequence_length"}}
    for name in present:
        dyn[name] = {0: "batch_size", 2: "decoder_sequence_length" if ".decoder." in name else "encoder_sequence_length_out"}
    torch.onnx.export(DecoderExport(model), (mask, dec_ids, enc), f"{tmp}/decoder.onnx",
                      input_names=["encoder_attention_mask", "input_ids", "encoder_hidden_states"],
                      output_names=["logits"] + present, dynamic_axes=dyn, **kw)
    outs = DecoderExport(model)(mask, dec_ids, enc)
    past = list(outs[1:])
    pkv = past_names(n, "past_key_values")
    dyn = {"encoder_attention_mask": {0: "batch_size", 1: "encoder_sequence_length"},
           "input_ids": {0: "batch_size", 1: "decoder_sequence_length"},
           "logits": {0: "batch_size", 1: "decoder_sequence_length"}}
    for name in pkv:
        dyn[name] = {0: "batch_size", 2: "past_decoder_sequence_length" if ".decoder." in name else "encoder_sequence_length_out"}
    present_dec = [p for p in present if ".decoder." in p]
    for name in present_dec:
        dyn[name] = {0: "batch_size", 2: "past_decoder_sequence_length + 1"}
    torch.onnx.export(DecoderWithPastExport(model), (mask, torch.tensor([[13], [14]]), *past),
                      f"{tmp}/decoder_with_past.onnx",
                      input_names=["encoder_attention_mask", "input_ids"] + pkv,
                      output_names=["logits"] + present_dec, dynamic_axes=dyn, **kw)
    # Fix head counts and head_dim as numbers: transformers.js builds its empty step-0 cache
    # from the graph's input metadata.
    return H, hd


def canonical(name):
    return name[2:] if name.startswith("m.") else name


def rename_values(graph, mapping):
    """Rename value names in nodes/outputs of a graph (not its inputs)."""
    for node in graph.node:
        node.input[:] = [mapping.get(x, x) for x in node.input]
        node.output[:] = [mapping.get(x, x) for x in node.output]
    for out in graph.output:
        out.name = mapping.get(out.name, out.name)


def prepare(model_proto, param_names):
    """Canonical initializer names (HF param names); returns the graph."""
    g = model_proto.graph
    mapping = {init.name: canonical(init.name) for init in g.initializer}
    for init in g.initializer:
        init.name = mapping[init.name]
    rename_values(g, mapping)
    return g


def make_merged(dec, past_dec, n, H, hd):
    """One If on use_cache_branch: then = with-past graph, else = no-past graph."""
    outer_inputs = {vi.name: vi for vi in list(dec.input) + list(past_dec.input)}
    outer_names = set(outer_inputs) | {i.name for i in dec.initializer} | {i.name for i in past_dec.initializer}

    def branch(g, prefix, extra_nodes=(), extra_outputs=()):
        mapping = {}
        for node in g.node:
            for o in node.output:
                if o not in outer_names:
                    mapping[o] = prefix + o
        for out in g.output:
            mapping.setdefault(out.name, prefix + out.name)
        nodes = []
        for node in g.node:
            nn_ = onnx.NodeProto()
            nn_.CopyFrom(node)
            nn_.name = prefix + node.name
            nn_.input[:] = [mapping.get(x, x) for x in node.input]
            nn_.output[:] = [mapping.get(x, x) for x in node.output]
            nodes.append(nn_)
        outputs = {}
        for out in g.output:
            vi = onnx.ValueInfoProto()
            vi.CopyFrom(out)
            vi.name = mapping[out.name]
            outputs[out.name] = vi
        for node, vi in zip(extra_nodes, extra_outputs):
            nodes.append(node)
            outputs[vi[0]] = vi[1]
        return nodes, outputs

    order = ["logits"] + past_names(n, "present")
    empties, empty_vis = [], []
    for name in order:
        if ".encoder." in name:
            local = "then/" + name
            empties.append(helper.make_node("Constant", [], [local], name="then/empty_" + name,
                                            value=helper.make_tensor("empty", TensorProto.FLOAT, [1, H, 0, hd], [])))
            vi = helper.make_value_info(local, helper.make_tensor_type_proto(TensorProto.FLOAT, None))
            empty_vis.append((name, vi))
    then_nodes, then_outs = branch(past_dec, "then/", empties, empty_vis)
    else_nodes, else_outs = branch(dec, "else/")
    then_graph = helper.make_graph(then_nodes, "with_past", [], [then_outs[k] for k in order])
    else_graph = helper.make_graph(else_nodes, "no_past", [], [else_outs[k] for k in order])
    if_node = helper.make_node("If", ["use_cache_branch"], order, name="optimum::if",
                               then_branch=then_graph, else_branch=else_graph)
    inits = {}
    for init in list(dec.initializer) + list(past_dec.initializer):
        inits.setdefault(init.name, init)
    inputs = [outer_inputs["encoder_attention_mask"], outer_inputs["input_ids"], outer_inputs["encoder_hidden_states"]]
    inputs += [outer_inputs[x] for x in past_names(n, "past_key_values")]
    inputs.append(helper.make_tensor_value_info("use_cache_branch", TensorProto.BOOL, [1]))
    outputs = [vi for vi in dec.output]
    graph = helper.make_graph([if_node], "decoder_merged", inputs, outputs, list(inits.values()))
    return graph


def fix_past_shapes(graph, H, hd, dims_batch="batch_size"):
    for vi in list(graph.input) + list(graph.output):
        if vi.name.startswith(("past_key_values.", "present.")):
            shape = vi.type.tensor_type.shape
            if len(shape.dim) == 4:
                shape.dim[1].ClearField("dim_param")
                shape.dim[1].dim_value = H
                shape.dim[3].ClearField("dim_param")
                shape.dim[3].dim_value = hd


class WeightStore:
    """Every weight stored once in a shared external data file, each at an offset that is a
    multiple of `align` (4096, a page, lets onnxruntime map a tensor instead of copying it)."""

    def __init__(self, align=64):
        self.blobs, self.offsets, self.size, self.align = [], {}, 0, align

    def add(self, array16):
        data = array16.tobytes()
        key = hashlib.sha256(data + str(array16.shape).encode() + str(array16.dtype).encode()).hexdigest()
        if key not in self.offsets:
            pad = (-self.size) % self.align
            if pad:
                self.blobs.append(b"\0" * pad)
                self.size += pad
            self.offsets[key] = (self.size, len(data))
            self.blobs.append(data)
            self.size += len(data)
        return self.offsets[key]

    def write(self, path):
        with open(path, "wb") as f:
            for b in self.blobs:
                f.write(b)


def externalize(graph, store, param_names, fp16=True):
    """Move each model weight to the shared external data file: as float16 + a Cast back to
    float32 (fp16=True), or as float32 read directly (fp16=False: onnxruntime can then use the
    file's bytes as they are instead of folding a Cast into a new float32 copy)."""
    casts, new_inits = [], []
    for init in graph.initializer:
        if init.name in param_names and init.data_type == TensorProto.FLOAT:
            arr = numpy_helper.to_array(init).astype(np.float16 if fp16 else np.float32)
            offset, length = store.add(arr)
            t = TensorProto()
            t.name = init.name + "__fp16" if fp16 else init.name
            t.data_type = TensorProto.FLOAT16 if fp16 else TensorProto.FLOAT
            t.dims[:] = arr.shape
            t.data_location = TensorProto.EXTERNAL
            for k, v in (("location", DATA_FILE), ("offset", str(offset)), ("length", str(length))):
                e = t.external_data.add()
                e.key, e.value = k, v
            new_inits.append(t)
            if fp16:
                casts.append(helper.make_node("Cast", [t.name], [init.name], name="cast_" + init.name, to=TensorProto.FLOAT))
        else:
            new_inits.append(init)
    del graph.initializer[:]
    graph.initializer.extend(new_inits)
    nodes = casts + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)


def fold_transposes(graph, param_names):
    """Stores each weight that the graph only transposes (torch's Linear: MatMul(x, W^T)) already
    transposed, as `W__T`, and drops the Transpose. onnxruntime would otherwise fold every such
    Transpose into a new copy of the weight at load time, once per If branch of the merged
    decoder; stored once, both branches read the same initializer."""
    inits = {i.name: i for i in graph.initializer}
    # The token embedding is also the output layer (tied): gathered by rows, it stays as it is and
    # the output layer reads it with FusedMatMul(transB=1) instead of a 133 MB transposed copy.
    gathered = {n.input[0] for n in graph.node if n.op_type == "Gather"}
    tied = {}
    added, keep, rename = {}, [], {}
    for node in graph.node:
        perm = [list(a.ints) for a in node.attribute if a.name == "perm"]
        src = node.input[0] if node.op_type == "Transpose" else None
        if src in inits and src in param_names and perm in ([[1, 0]], []) and len(inits[src].dims) == 2 and src in gathered:
            tied[node.output[0]] = src
        elif src in inits and src in param_names and perm in ([[1, 0]], []) and len(inits[src].dims) == 2:
            name = src + "__T"
            if name not in added:
                t = numpy_helper.from_array(np.ascontiguousarray(numpy_helper.to_array(inits[src]).T), name)
                added[name] = t
            rename[node.output[0]] = name
        else:
            keep.append(node)
    nodes = []
    for node in keep:
        if node.op_type == "MatMul" and node.input[1] in tied:
            fused = helper.make_node("FusedMatMul", [node.input[0], tied[node.input[1]]], list(node.output), name=node.name,
                                     domain="com.microsoft", transA=0, transB=1, alpha=1.0)
            nodes.append(fused)
        else:
            nodes.append(node)
    assert not {x for n in nodes for x in n.input} & set(tied), "a tied weight's transpose is read by something other than MatMul"
    del graph.node[:]
    graph.node.extend(nodes)
    rename_values(graph, rename)
    graph.initializer.extend(added.values())
    used = {x for n in graph.node for x in n.input}
    live = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(live)
    return set(added)


def save(graph, path, opset_imports):
    m = helper.make_model(graph, producer_name="parla-tools", opset_imports=opset_imports)
    m.ir_version = 8
    onnx.save(m, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--tokenizer", default="tools/data/tokenizer")
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-length", type=int, default=512)
    ap.add_argument("--src", default="en")
    ap.add_argument("--tgt", default="es")
    args = ap.parse_args()
    model, size = load_model(args.ckpt)
    write_model(model, size, args.out, args.tokenizer, args.src, args.tgt, args.max_length)


def write_model(model, size, out, tokenizer_dir, src, tgt, max_length, fp16=True):
    """The whole model folder: ONNX graphs + shared weights, config and tokenizer files."""
    param_names = set(model.state_dict().keys())
    onnx_dir = os.path.join(out, "onnx")
    os.makedirs(onnx_dir, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        H, hd = export_graphs(model, size, tmp)
        enc = onnx.load(f"{tmp}/encoder.onnx")
        dec = onnx.load(f"{tmp}/decoder.onnx")
        past = onnx.load(f"{tmp}/decoder_with_past.onnx")
    # com.microsoft: onnxruntime's contrib ops (FusedMatMul for the tied output layer, fp32 mode).
    opsets = [helper.make_opsetid("", OPSET)] + ([] if fp16 else [helper.make_opsetid("com.microsoft", 1)])
    graphs = {name: prepare(m, param_names) for name, m in (("encoder_model", enc), ("decoder_model", dec),
                                                              ("decoder_with_past_model", past))}
    for g in graphs.values():
        fix_past_shapes(g, H, hd)
        if not fp16:
            param_names |= fold_transposes(g, param_names)
    merged = make_merged(graphs["decoder_model"], graphs["decoder_with_past_model"], size.decoder_layers, H, hd)
    fix_past_shapes(merged, H, hd)
    graphs["decoder_model_merged"] = merged
    store = WeightStore(64 if fp16 else 4096)
    for name, g in graphs.items():
        externalize(g, store, param_names, fp16)
    store.write(os.path.join(onnx_dir, DATA_FILE))
    for name, g in graphs.items():
        path = os.path.join(onnx_dir, f"{name}.onnx")
        save(g, path, opsets)
        onnx.checker.check_model(path)
    cfg = hf_config(size, max_length)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    gen = {k: cfg[k] for k in ("bad_words_ids", "decoder_start_token_id", "eos_token_id", "forced_eos_token_id",
                                "max_length", "num_beams", "pad_token_id")}
    with open(os.path.join(out, "generation_config.json"), "w") as f:
        json.dump(gen, f, indent=2)
    tok_cfg = json.load(open(os.path.join(tokenizer_dir, "tokenizer_config.json")))
    tok_cfg.update({"source_lang": src, "target_lang": tgt})
    with open(os.path.join(out, "tokenizer_config.json"), "w") as f:
        json.dump(tok_cfg, f, indent=2)
    shutil.copy(os.path.join(tokenizer_dir, "tokenizer.json"), os.path.join(out, "tokenizer.json"))
    total = sum(os.path.getsize(os.path.join(onnx_dir, f)) for f in os.listdir(onnx_dir))
    print(f"exported to {out}: onnx files {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
