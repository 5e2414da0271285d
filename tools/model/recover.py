"""Rebuild a training starting point from a shipped model folder: the SentencePiece model from its
`tokenizer.json` and a torch checkpoint from its ONNX weights.

Usage: /usr/bin/python3 tools/model/recover.py --model resources/models/parla-tiny-en-es \
           --tokenizer-out tools/data/tokenizer --run tools/runs/recovered

Why: `tools/data/` and `tools/runs/` are not in git, so a fresh machine has the shipped model but
not the checkpoint it came from. Fine-tuning must start from exactly the shipped weights and ids.
- Tokenizer: the unigram pieces and scores of `tokenizer.json` (ids 0..n-2; the last id is the
  appended `<pad>`) are written into a SentencePiece ModelProto with the `nmt_nfkc` rule the
  original was trained with; `--check FILE` compares ids with the shipped tokenizer's golden.
- Weights: every initializer of the encoder and the (non-merged) decoder graphs, named by Hugging
  Face parameter names, read as fp16 from `onnx/model.onnx_data` and cast to fp32. The shipped
  weights were fp16-rounded, so the checkpoint equals what the app runs.
"""
import argparse
import json
import os

import numpy as np
import onnx
import sentencepiece as spm
import torch
from onnx import numpy_helper
from sentencepiece import sentencepiece_model_pb2 as spm_pb

from marian import MarianMT, MarianSize, size_to_dict


def template_proto(work: str) -> spm_pb.ModelProto:
    """A throwaway unigram model trained on a few lines, for its nmt_nfkc normaliser spec."""
    text = os.path.join(work, "template.txt")
    with open(text, "w", encoding="utf-8") as f:
        f.write("\n".join(f"template line {i} alpha beta gamma" for i in range(200)) + "\n")
    spm.SentencePieceTrainer.train(input=text, model_prefix=os.path.join(work, "template"), model_type="unigram",
                                   vocab_size=30, eos_id=0, unk_id=1, bos_id=-1, pad_id=-1,
                                   normalization_rule_name="nmt_nfkc", hard_vocab_limit=False)
    proto = spm_pb.ModelProto()
    with open(os.path.join(work, "template.model"), "rb") as f:
        proto.ParseFromString(f.read())
    for name in ("template.txt", "template.model", "template.vocab"):
        os.remove(os.path.join(work, name))
    return proto


def recover_tokenizer(model_dir: str, out: str) -> str:
    os.makedirs(out, exist_ok=True)
    tok = json.load(open(os.path.join(model_dir, "tokenizer.json"), encoding="utf-8"))
    vocab = tok["model"]["vocab"][:-1]  # the last id is <pad>, appended outside SentencePiece
    proto = template_proto(out)
    del proto.pieces[:]
    for i, (piece, score) in enumerate(vocab):
        p = proto.pieces.add()
        p.piece, p.score = piece, score
        p.type = spm_pb.ModelProto.SentencePiece.CONTROL if i == 0 else (
            spm_pb.ModelProto.SentencePiece.UNKNOWN if i == 1 else spm_pb.ModelProto.SentencePiece.NORMAL)
    proto.trainer_spec.vocab_size = len(vocab)
    path = os.path.join(out, "spm.model")
    with open(path, "wb") as f:
        f.write(proto.SerializeToString())
    for name in ("tokenizer.json", "tokenizer_config.json"):
        with open(os.path.join(model_dir, name), "rb") as src, open(os.path.join(out, name), "wb") as dst:
            dst.write(src.read())
    return path


def initializers(path: str, data_dir: str) -> dict:
    m = onnx.load(path, load_external_data=False)
    onnx.load_external_data_for_model(m, data_dir)
    # The export stores each weight as `<name>__fp16` and casts it to fp32 inside the graph.
    return {i.name.removesuffix("__fp16"): numpy_helper.to_array(i) for i in m.graph.initializer}


def recover_weights(model_dir: str, run: str) -> None:
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    size = MarianSize(vocab_size=cfg["vocab_size"], d_model=cfg["d_model"], encoder_layers=cfg["encoder_layers"],
                      decoder_layers=cfg["decoder_layers"], heads=cfg["encoder_attention_heads"],
                      ffn_dim=cfg["encoder_ffn_dim"], max_position_embeddings=cfg["max_position_embeddings"])
    onnx_dir = os.path.join(model_dir, "onnx")
    found = {}
    for graph in ("encoder_model.onnx", "decoder_model.onnx"):
        found.update(initializers(os.path.join(onnx_dir, graph), onnx_dir))
    model = MarianMT(size)
    state = model.state_dict()
    missing = []
    for name, tensor in state.items():
        candidates = [name, name.removeprefix("model."), "model." + name]
        hit = next((c for c in candidates if c in found), None)
        if hit is None:
            missing.append(name)
            continue
        arr = np.asarray(found[hit], dtype=np.float32)
        if tuple(arr.shape) != tuple(tensor.shape):
            raise SystemExit(f"{name}: shape {arr.shape} in ONNX, {tuple(tensor.shape)} in torch")
        state[name] = torch.from_numpy(arr.copy())
    # Tied/derived tensors the graphs do not carry as initializers keep their defined values.
    allowed = {"lm_head.weight", "model.encoder.embed_positions.weight", "model.decoder.embed_positions.weight",
               "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "final_logits_bias"}
    unexpected = [m for m in missing if m not in allowed]
    if unexpected:
        raise SystemExit(f"not found in the ONNX graphs: {unexpected[:8]} ({len(unexpected)} in all)")
    model.load_state_dict(state)
    os.makedirs(run, exist_ok=True)
    with open(os.path.join(run, "size.json"), "w") as f:
        json.dump(size_to_dict(size), f)
    torch.save({"model": model.state_dict(), "size": size_to_dict(size), "state": {}},
               os.path.join(run, "recovered.pt"))
    print(f"weights: {len(state) - len(missing)} tensors from ONNX, {len(missing)} tied/derived: {missing}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="resources/models/parla-tiny-en-es")
    ap.add_argument("--tokenizer-out", default="tools/data/tokenizer")
    ap.add_argument("--run", default="tools/runs/recovered")
    args = ap.parse_args()
    path = recover_tokenizer(args.model, args.tokenizer_out)
    sp = spm.SentencePieceProcessor(model_file=path)
    print(f"tokenizer: {sp.get_piece_size()} pieces -> {path}; 'Hello world' = {sp.encode('Hello world', out_type=str)}")
    recover_weights(args.model, args.run)


if __name__ == "__main__":
    main()
