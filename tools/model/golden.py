"""Golden outputs and reference logits for the Node engine tests.

Usage: python3 tools/model/golden.py --ckpt tools/runs/tiny-en-es/ckpt.pt --tokenizer tools/data/tokenizer \
           --corpus tools/data/corpus --out test/fixtures [--n 50 --max-length 64]

golden-tiny-en-es.json: for n test-split sentences the input ids, greedy ids and text, and beam-4
n-best-2 ids, texts and scores (decode.py, Hugging Face generate semantics).
logits-tiny-en-es.json: encoder states and decoder logits (no-past step and two with-past steps)
for a padded batch of dev sentences, float32 little-endian base64, to check the ONNX graphs
against torch (max abs diff <= 1e-4).
"""
import argparse
import base64
import json
import os

import numpy as np
import sentencepiece as spm
import torch

from decode import beam_search, greedy
from export import load_model


def b64(t: torch.Tensor) -> dict:
    a = t.detach().to(torch.float32).contiguous().numpy().astype("<f4")
    return {"shape": list(a.shape), "data": base64.b64encode(a.tobytes()).decode()}


def read_lines(path, n):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for _, line in zip(range(n), f)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--tokenizer", default="tools/data/tokenizer")
    ap.add_argument("--corpus", default="tools/data/corpus")
    ap.add_argument("--out", default="test/fixtures")
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--max-length", type=int, default=64)
    ap.add_argument("--name", default="tiny-en-es")
    ap.add_argument("--src", default="en")
    args = ap.parse_args()
    torch.set_num_threads(2)
    model, size = load_model(args.ckpt)
    sp = spm.SentencePieceProcessor(model_file=os.path.join(args.tokenizer, "spm.model"))
    pad, eos = size.pad_id, 0
    special = {eos, 1, pad}  # decode(skip_special_tokens=True) drops </s>, <unk> and <pad>
    os.makedirs(args.out, exist_ok=True)

    # Golden decodes: short-to-medium test sentences (skip very long ones to keep beams quick).
    candidates = [s for s in read_lines(os.path.join(args.corpus, f"test.{args.src}"), 2000) if 3 <= len(s) <= 160]
    items = []
    for source in candidates[: args.n]:
        ids = sp.encode(source) + [eos]
        x = torch.tensor([ids])
        g = greedy(model, x, torch.ones_like(x), args.max_length, pad, eos)[0]
        beams = beam_search(model, x, args.max_length, pad, eos, num_beams=4, n_best=2, length_penalty=1.0)
        items.append({
            "source": source, "inputIds": ids,
            "greedy": {"ids": g, "text": sp.decode([t for t in g if t not in special])},
            "beam": [{"ids": b, "text": sp.decode([t for t in b if t not in special]), "score": s} for b, s in beams],
        })
    golden = {"model": f"parla/{args.name}", "maxLength": args.max_length, "numBeams": 4, "nBest": 2,
              "lengthPenalty": 1.0, "items": items}
    with open(os.path.join(args.out, f"golden-{args.name}.json"), "w", encoding="utf-8") as f:
        json.dump(golden, f, ensure_ascii=False, indent=1)

    # Reference logits: a padded batch of two dev sentences, three decoder steps.
    dev = read_lines(os.path.join(args.corpus, f"dev.{args.src}"), 2)
    enc_ids = [sp.encode(s) + [eos] for s in dev]
    S = max(map(len, enc_ids))
    ids = torch.full((2, S), pad, dtype=torch.long)
    mask = torch.zeros((2, S), dtype=torch.long)
    for r, row in enumerate(enc_ids):
        ids[r, : len(row)] = torch.tensor(row)
        mask[r, : len(row)] = 1
    with torch.no_grad():
        enc = model.model.encoder(ids, mask)
        dec = model.model.decoder
        enc_kv = dec.encoder_kv(enc)
        tokens = torch.full((2, 1), pad, dtype=torch.long)
        steps, past = [], None
        for _ in range(3):
            h, past = dec(tokens, mask, enc_kv, past)
            logits = model.logits(h)[:, -1]
            steps.append({"inputIds": tokens[:, 0].tolist(), "logits": b64(logits)})
            tokens = logits.argmax(-1, keepdim=True)
    ref = {"inputIds": ids.tolist(), "attentionMask": mask.tolist(), "encoder": b64(enc), "steps": steps}
    with open(os.path.join(args.out, f"logits-{args.name}.json"), "w") as f:
        json.dump(ref, f)
    # Tokenizer parity: SentencePiece ids for held-out sentences (the JS tokenizer must agree).
    held_out = read_lines(os.path.join(args.corpus, f"test.{args.src}"), 1000)
    held_out += read_lines(os.path.join(args.corpus, f"test.{'es' if args.src == 'en' else 'en'}"), 500)
    tokens = [{"text": s, "ids": sp.encode(s) + [eos]} for s in held_out]
    with open(os.path.join(args.out, f"tokens-{args.name}.json"), "w", encoding="utf-8") as f:
        json.dump(tokens, f, ensure_ascii=False)
    print(f"golden: {len(items)} items; logits: {len(steps)} steps -> {args.out}")


if __name__ == "__main__":
    main()
