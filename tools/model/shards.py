"""Carry a checkpoint's weights between machines as float16 .npz shards, and back.

Usage: python3 tools/model/shards.py pack CKPT OUT_DIR NAME [--max-mb 15]
       python3 tools/model/shards.py unpack OUT.pt SHARD.npz [SHARD.npz ...]

Why: a training run on a lent GPU machine returns files of at most 16 MiB each, and that machine's
torch (2.x) is newer than Debian's (1.13). NumPy's .npz is read the same by both, and float16 is
what the exported model keeps anyway (export.py rounds every weight to float16). The model size
and the run's counters travel in each shard as JSON.
"""
import argparse
import json
import os

import numpy as np
import torch


def pack(ckpt_path: str, out_dir: str, name: str, max_mb: float) -> list[str]:
    ck = torch.load(ckpt_path, map_location="cpu")
    meta = json.dumps({"size": ck["size"], "state": ck.get("state", {})})
    shards, current, current_bytes = [], {}, 0
    for key, tensor in ck["model"].items():
        array = tensor.detach().to(torch.float16).numpy()
        if current and current_bytes + array.nbytes > max_mb * 1e6:
            shards.append(current)
            current, current_bytes = {}, 0
        current[key] = array
        current_bytes += array.nbytes
    shards.append(current)
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    for i, arrays in enumerate(shards):
        path = os.path.join(out_dir, f"{name}.{i}.npz")
        np.savez(path, __meta__=np.array(meta), **arrays)
        paths.append(path)
    return paths


def unpack(out_path: str, shard_paths: list[str]) -> None:
    weights, meta = {}, None
    for path in shard_paths:
        with np.load(path) as shard:
            meta = json.loads(str(shard["__meta__"]))
            for key in shard.files:
                if key != "__meta__":
                    weights[key] = torch.from_numpy(shard[key].astype(np.float32))
    os.makedirs(os.path.dirname(out_path) or ".", exist_ok=True)
    torch.save({"model": weights, "size": meta["size"], "state": meta["state"]}, out_path)
    with open(os.path.join(os.path.dirname(out_path) or ".", "size.json"), "w") as f:
        json.dump(meta["size"], f)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pack")
    p.add_argument("ckpt")
    p.add_argument("out_dir")
    p.add_argument("name")
    p.add_argument("--max-mb", type=float, default=15)
    u = sub.add_parser("unpack")
    u.add_argument("out")
    u.add_argument("shards", nargs="+")
    args = ap.parse_args()
    if args.cmd == "pack":
        for path in pack(args.ckpt, args.out_dir, args.name, args.max_mb):
            print(f"{path}: {os.path.getsize(path) / 1e6:.1f} MB")
    else:
        unpack(args.out, args.shards)
        print(f"{args.out}: {len(args.shards)} shard(s)")


if __name__ == "__main__":
    main()
