"""A reproducible model of OPUS-MT's size, for benchmarks: random weights, real shapes.

Usage: python3 tools/model/realsize.py --out bench/scratch/opus-mt-size [--seed 0] [--fp16]

OPUS-MT's Marian models (Helsinki-NLP/opus-mt-*, converted by Xenova) are d_model 512, 6 + 6
layers, 8 heads, FFN 2048 and a 58-65k vocabulary: ~77 M parameters, ~310 MB of fp32 weights.
This builds a model of exactly that shape with seeded random weights (std 0.02, as training
starts) and the bundled model's tokenizer padded to 65,001 ids, and exports it with
export.py's code in the Xenova layout. Weights go to disk as float32 by default (as Xenova's
fp32 graphs hold them, and so onnxruntime can use them without a converted copy); --fp16 stores
them as the bundled model does.

The translations are noise, and never end: the end-of-sentence token's bias is set very low, so
every output runs to the length cap and benchmark runs with one cap do the same work.
"""
import argparse
import json
import os
import tempfile

import torch

from export import write_model
from marian import MarianMT, MarianSize

BUNDLED = "resources/models/parla-tiny-en-es"
VOCAB = 65001


def padded_tokenizer(src_dir, dst_dir, vocab_size):
    """The bundled tokenizer with unused pieces inserted before <pad>, which stays the last id."""
    tok = json.load(open(os.path.join(src_dir, "tokenizer.json")))
    vocab = tok["model"]["vocab"]
    assert vocab[-1][0] == "<pad>", "the bundled tokenizer keeps <pad> last"
    # Pieces no text produces (the normaliser never emits these brackets next to "unused").
    fillers = [[f"<unused_{i}>", -100.0] for i in range(vocab_size - len(vocab))]
    tok["model"]["vocab"] = vocab[:-1] + fillers + [vocab[-1]]
    for t in tok["added_tokens"]:
        if t["content"] == "<pad>":
            t["id"] = vocab_size - 1
    with open(os.path.join(dst_dir, "tokenizer.json"), "w") as f:
        json.dump(tok, f, ensure_ascii=False)
    cfg = json.load(open(os.path.join(src_dir, "tokenizer_config.json")))
    with open(os.path.join(dst_dir, "tokenizer_config.json"), "w") as f:
        json.dump(cfg, f, indent=2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--fp16", action="store_true", help="store weights as float16 (+ Cast), like the bundled model")
    # Smaller shapes only to test this script quickly; benchmarks use the defaults.
    ap.add_argument("--d-model", type=int, default=512)
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--ffn", type=int, default=2048)
    ap.add_argument("--vocab", type=int, default=VOCAB)
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    size = MarianSize(vocab_size=args.vocab, d_model=args.d_model, encoder_layers=args.layers,
                      decoder_layers=args.layers, heads=args.heads, ffn_dim=args.ffn, dropout=0.0)
    model = MarianMT(size)
    model.eval()
    with torch.no_grad():
        model.model.shared.weight[size.pad_id].zero_()
        model.final_logits_bias[0, 0] = -1e4  # </s> (id 0) never wins: fixed-length outputs
    n_params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    with tempfile.TemporaryDirectory() as tok_dir:
        padded_tokenizer(BUNDLED, tok_dir, size.vocab_size)
        write_model(model, size, args.out, tok_dir, "en", "es", 512, fp16=args.fp16)
    with open(os.path.join(args.out, "realsize.json"), "w") as f:
        json.dump({"seed": args.seed, "parameters": n_params, "weights": "float16" if args.fp16 else "float32",
                   "size": {"d_model": size.d_model, "layers": size.encoder_layers, "heads": size.heads,
                            "ffn": size.ffn_dim, "vocab": size.vocab_size}}, f, indent=2)
    print(f"{args.out}: {n_params / 1e6:.1f} M parameters")


if __name__ == "__main__":
    main()
