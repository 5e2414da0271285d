"""Train the bundled Marian model within a wall-clock budget, with checkpoints and resume.

Usage: python3 tools/model/train.py --corpus tools/data/corpus --tokenizer tools/data/tokenizer \
           --run tools/runs/tiny-en-es --minutes 95 [--src en --tgt es]
Re-running the same command resumes from `<run>/ckpt.pt`. Fine-tuning: `--init CKPT` starts from
a checkpoint's weights (e.g. tools/model/recover.py's, rebuilt from the shipped model) with a
fresh optimiser; `--extra DIR:K` adds another corpus's train split K times per epoch (K may be
fractional); `--watch FILE.json` reports greedy chrF on a held-out everyday dev set at each checkpoint. The learning rate follows warm-up then
cosine decay over the *time* budget, so a run that must stop at a fixed hour still anneals.
`--device cuda` trains on a GPU (bf16 autocast, fused AdamW); with `--watch`, the checkpoint with
the best everyday dev chrF is also kept as `<run>/best.pt`.
"""
import argparse
import json
import math
import os
import random
import time

import sentencepiece as spm
import torch
import torch.nn.functional as F

from marian import MarianMT, MarianSize, size_to_dict


def load_pairs(corpus, split, src, tgt, sp, max_tokens):
    with open(os.path.join(corpus, f"{split}.{src}"), encoding="utf-8") as f:
        s_lines = [l.rstrip("\n") for l in f]
    with open(os.path.join(corpus, f"{split}.{tgt}"), encoding="utf-8") as f:
        t_lines = [l.rstrip("\n") for l in f]
    s_ids = sp.encode(s_lines)
    t_ids = sp.encode(t_lines)
    pairs = []
    for a, b in zip(s_ids, t_ids):
        a, b = a + [0], b + [0]  # append </s>
        if len(a) <= max_tokens and len(b) <= max_tokens:
            pairs.append((a, b))
    return pairs


def make_batches(pairs, batch_tokens, rng):
    """Bucket by length so padding stays small; each batch holds ~batch_tokens target+source tokens."""
    order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][0]), rng.random()))
    batches, cur, longest = [], [], 0
    for i in order:
        longest_next = max(longest, len(pairs[i][0]), len(pairs[i][1]))
        if cur and longest_next * (len(cur) + 1) * 2 > batch_tokens:
            batches.append(cur)
            cur, longest_next = [], max(len(pairs[i][0]), len(pairs[i][1]))
        cur.append(i)
        longest = longest_next
    if cur:
        batches.append(cur)
    rng.shuffle(batches)
    return batches


def collate(pairs, idx, pad, device="cpu"):
    src = [pairs[i][0] for i in idx]
    tgt = [pairs[i][1] for i in idx]
    S, T = max(map(len, src)), max(map(len, tgt))
    input_ids = torch.full((len(idx), S), pad, dtype=torch.long)
    mask = torch.zeros((len(idx), S), dtype=torch.long)
    dec_in = torch.full((len(idx), T), pad, dtype=torch.long)
    labels = torch.full((len(idx), T), -100, dtype=torch.long)
    for r, (a, b) in enumerate(zip(src, tgt)):
        input_ids[r, : len(a)] = torch.tensor(a)
        mask[r, : len(a)] = 1
        dec_in[r, 0] = pad  # decoder_start_token_id = pad
        dec_in[r, 1: len(b)] = torch.tensor(b[:-1])
        labels[r, : len(b)] = torch.tensor(b)
    return tuple(t.to(device, non_blocking=True) for t in (input_ids, mask, dec_in, labels))


def evaluate_loss(model, pairs, pad, batch_tokens, device="cpu"):
    model.eval()
    tot, n = 0.0, 0
    with torch.no_grad():
        for idx in make_batches(pairs, batch_tokens, random.Random(0)):
            ids, mask, dec_in, labels = collate(pairs, idx, pad, device)
            logits = model(ids, mask, dec_in)
            tot += F.cross_entropy(logits.view(-1, logits.shape[-1]), labels.view(-1), ignore_index=-100,
                                   reduction="sum").item()
            n += (labels != -100).sum().item()
    model.train()
    return tot / max(n, 1)


def watch_chrf(model, sp, rows, pad):
    from evaluate import chrf, translate
    model.eval()
    hyp = translate(model, sp, [r["en"] for r in rows], pad, 0)
    model.train()
    return chrf(hyp, [r["es"] for r in rows])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="tools/data/corpus")
    ap.add_argument("--tokenizer", default="tools/data/tokenizer")
    ap.add_argument("--run", default="tools/runs/tiny-en-es")
    ap.add_argument("--src", default="en")
    ap.add_argument("--tgt", default="es")
    ap.add_argument("--minutes", type=float, default=95)
    ap.add_argument("--d-model", type=int, default=256)
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--encoder-layers", type=int, help="default: --layers")
    ap.add_argument("--decoder-layers", type=int, help="default: --layers")
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--ffn", type=int, default=1024)
    ap.add_argument("--batch-tokens", type=int, default=6000)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=int, default=800)
    ap.add_argument("--max-tokens", type=int, default=96)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--ckpt-minutes", type=float, default=5)
    ap.add_argument("--init", help="checkpoint whose weights start the run (fine-tuning)")
    ap.add_argument("--extra", action="append", default=[], help="DIR:K, another corpus repeated K times per epoch")
    ap.add_argument("--watch", help="JSON [{en, es}] scored with greedy chrF at each checkpoint")
    ap.add_argument("--device", default="cpu", help="cpu or cuda")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    device = torch.device(args.device)
    on_gpu = device.type == "cuda"
    os.makedirs(args.run, exist_ok=True)
    log = open(os.path.join(args.run, "train.log"), "a", buffering=1)

    def say(msg):
        line = f"{time.strftime('%H:%M:%S')} {msg}"
        print(line, flush=True)
        log.write(line + "\n")

    sp = spm.SentencePieceProcessor(model_file=os.path.join(args.tokenizer, "spm.model"))
    vocab = sp.get_piece_size() + 1
    size = MarianSize(vocab_size=vocab, d_model=args.d_model, encoder_layers=args.encoder_layers or args.layers,
                      decoder_layers=args.decoder_layers or args.layers, heads=args.heads, ffn_dim=args.ffn,
                      dropout=0.1)
    pad = size.pad_id
    t_load = time.time()
    train = load_pairs(args.corpus, "train", args.src, args.tgt, sp, args.max_tokens)
    dev = load_pairs(args.corpus, "dev", args.src, args.tgt, sp, args.max_tokens)[:1000]
    for spec in args.extra:
        folder, k = spec.rsplit(":", 1)
        more = load_pairs(folder, "train", args.src, args.tgt, sp, args.max_tokens)
        whole, part = int(float(k)), float(k) % 1
        added = more * whole + random.Random(5).sample(more, int(len(more) * part))
        train += added
        say(f"extra {folder}: {len(more)} pairs x {k} = {len(added)}")
    watch = json.load(open(args.watch, encoding="utf-8")) if args.watch else None
    say(f"data: {len(train)} train pairs, {len(dev)} dev pairs, tokenised in {time.time() - t_load:.0f}s")

    model = MarianMT(size)
    if args.init:
        model.load_state_dict(torch.load(args.init, map_location="cpu")["model"])
        say(f"weights from {args.init}")
    model.to(device)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr,
                            betas=(0.9, 0.98), eps=1e-9, weight_decay=0.0,
                            **({"fused": True} if on_gpu else {}))  # Debian's torch 1.13 has no fused AdamW
    state = {"step": 0, "elapsed": 0.0, "epoch": 0, "batch_pos": 0, "tokens": 0}
    ckpt_path = os.path.join(args.run, "ckpt.pt")
    if os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path, map_location=device)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        state = ck["state"]
        say(f"resumed at step {state['step']} ({state['elapsed'] / 60:.1f} min trained)")
    with open(os.path.join(args.run, "size.json"), "w") as f:
        json.dump(size_to_dict(size), f)

    budget = args.minutes * 60
    def save():
        tmp = ckpt_path + ".tmp"
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "state": state}, tmp)
        os.replace(tmp, ckpt_path)

    best_chrf = state.get("best_chrf", -1.0)

    def checkpoint():
        nonlocal best_chrf
        save()
        msg = f"checkpoint step {state['step']} dev loss {evaluate_loss(model, dev[:300], pad, args.batch_tokens, device):.3f}"
        if watch:
            score = watch_chrf(model, sp, watch, pad)
            msg += f" everyday chrF {score:.1f}"
            if score > best_chrf:
                best_chrf = state["best_chrf"] = score
                torch.save({"model": model.state_dict(), "size": size_to_dict(size), "state": dict(state)},
                           os.path.join(args.run, "best.pt"))
                msg += " (best)"
        say(msg)

    model.train()
    last_ckpt = time.time()
    while state["elapsed"] < budget:
        batches = make_batches(train, args.batch_tokens, random.Random(1000 + state["epoch"]))
        while state["batch_pos"] < len(batches) and state["elapsed"] < budget:
            t0 = time.time()
            idx = batches[state["batch_pos"]]
            ids, mask, dec_in, labels = collate(train, idx, pad, device)
            frac = state["elapsed"] / budget
            lr = args.lr * min(1.0, (state["step"] + 1) / args.warmup) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))
            for g in opt.param_groups:
                g["lr"] = lr
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=on_gpu):
                logits = model(ids, mask, dec_in)
            loss = F.cross_entropy(logits.float().view(-1, logits.shape[-1]), labels.view(-1), ignore_index=-100,
                                   label_smoothing=0.1)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            state["step"] += 1
            state["batch_pos"] += 1
            state["tokens"] += sum(len(train[i][0]) + len(train[i][1]) for i in idx)  # no GPU sync
            state["elapsed"] += time.time() - t0
            if state["step"] % (500 if on_gpu else 50) == 0:
                say(f"step {state['step']} epoch {state['epoch']} loss {loss.item():.3f} lr {lr:.2e} "
                    f"tokens {state['tokens'] / 1e6:.2f}M trained {state['elapsed'] / 60:.1f}/{args.minutes:.0f} min")
            if time.time() - last_ckpt > args.ckpt_minutes * 60:
                checkpoint()
                last_ckpt = time.time()
        if state["batch_pos"] >= len(batches):
            state["epoch"] += 1
            state["batch_pos"] = 0
    checkpoint()
    say(f"done: step {state['step']}, dev loss {evaluate_loss(model, dev, pad, args.batch_tokens, device):.3f}, "
        f"{state['elapsed'] / 60:.1f} min")
    torch.save({"model": model.state_dict(), "size": size_to_dict(size), "state": state},
               os.path.join(args.run, "final.pt"))


if __name__ == "__main__":
    main()
