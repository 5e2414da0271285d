"""chrF on the dev and test splits (greedy, batched) and the model card.

Usage: python3 tools/model/evaluate.py --ckpt tools/runs/tiny-en-es/ckpt.pt --tokenizer tools/data/tokenizer \
           --corpus tools/data/corpus --out resources/models/parla-tiny-en-es [--limit 1000]

chrF follows sacrebleu's CHRF (character n-grams up to 6, beta 2, whitespace removed, corpus-level
statistics, precision and recall averaged over orders); sacrebleu itself is not available here.
Also scores the everyday test set (`--everyday`, hand-written, never trained on) next to Apertium's
rule-based eng-spa on the same sentences (when `apertium` is installed), and the seven words every
new user tries first. Writes eval.json and README.md (the model card) into --out.
"""
import argparse
import json
import os
import shutil
import subprocess
import time
from collections import Counter

import sentencepiece as spm
import torch

from decode import greedy
from export import load_model


def char_ngrams(text, n):
    s = text.replace(" ", "")
    return Counter(s[i: i + n] for i in range(len(s) - n + 1))


def chrf(hyps, refs, order=6, beta=2.0):
    match = [0] * order
    hyp_tot = [0] * order
    ref_tot = [0] * order
    for h, r in zip(hyps, refs):
        for n in range(1, order + 1):
            hc, rc = char_ngrams(h, n), char_ngrams(r, n)
            match[n - 1] += sum((hc & rc).values())
            hyp_tot[n - 1] += sum(hc.values())
            ref_tot[n - 1] += sum(rc.values())
    prec = rec = 0.0
    eff = 0
    for n in range(order):
        if hyp_tot[n] > 0 and ref_tot[n] > 0:
            prec += match[n] / hyp_tot[n]
            rec += match[n] / ref_tot[n]
            eff += 1
    if eff == 0:
        return 0.0
    prec, rec = prec / eff, rec / eff
    if prec + rec == 0:
        return 0.0
    b2 = beta * beta
    return 100 * (1 + b2) * prec * rec / (b2 * prec + rec)


def translate(model, sp, sentences, pad, eos, max_length=128, batch=48):
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
    out = [None] * len(sentences)
    for start in range(0, len(order), batch):
        idx = order[start: start + batch]
        ids = [sp.encode(sentences[i])[:200] + [eos] for i in idx]
        S = max(map(len, ids))
        x = torch.full((len(ids), S), pad, dtype=torch.long)
        m = torch.zeros((len(ids), S), dtype=torch.long)
        for r, row in enumerate(ids):
            x[r, : len(row)] = torch.tensor(row)
            m[r, : len(row)] = 1
        # The engine's default output cap (2 × source + 10 tokens): stops repetition loops early.
        cap = min(max_length, 2 * S + 10)
        device = next(model.parameters()).device
        for i, g in zip(idx, greedy(model, x.to(device), m.to(device), cap, pad, eos)):
            out[i] = sp.decode([t for t in g if t not in (eos, pad)])
    return out


def read(path, limit):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for _, l in zip(range(limit), f)]


CARD = """# parla/tiny-en-es

A small demo model; download an opus-mt model for real work (`parla models download Xenova/opus-mt-en-es`).

English→Spanish Marian (Hugging Face `MarianMTModel` layout) trained on {trained_on} by
Parla's model pipeline (`tools/README.md`). It lets Parla translate out of the box, offline, and
gives the engine's tests a real model.

| | |
|---|---|
| architecture | Marian transformer, d_model {d_model}, {encoder_layers}+{decoder_layers} layers (encoder+decoder), {heads} heads, FFN {ffn}, swish, post-LN, sinusoidal positions, tied embeddings |
| vocabulary | shared SentencePiece unigram, {vocab} ids (`</s>`=0, `<unk>`=1, `<pad>`={pad}) |
| parameters | {params:.1f} M |
| files | ONNX graphs in the Optimum/Xenova layout; weights stored once as float16 in `onnx/model.onnx_data` ({fp16_mb:.1f} MB, cast to float32 at load), the int8 graphs' in `onnx/model_quantized.onnx_data` ({int8_mb:.1f} MB), {size_mb:.1f} MB in all |
| training | {train_pairs} pairs, {steps} steps, {tokens:.1f} M tokens seen, {minutes:.0f} minutes on {trained_on} (the last stage; earlier stages in the note below) |
| dev chrF | {dev_chrf:.1f} (greedy, {dev_n} sentences) |
| test chrF | {test_chrf:.1f} (greedy, {test_n} sentences) |
| everyday chrF | {everyday_chrf:.1f} (greedy, {everyday_n} hand-written everyday sentences, `test/fixtures/everyday-en-es.json`; Apertium eng-spa on the same: {apertium_chrf}) |

{training_note}

## First words

| English | Parla tiny |
|---|---|
{first_words}

## Data and licences

About {train_pairs} English–Spanish segment pairs from Debian bookworm's binary packages: gettext `.mo`
catalogues (`usr/share/locale/es*/LC_MESSAGES`, free-software programs under their own licences,
mostly GPL/LGPL family, some BSD/MIT/Apache) and DDTP translated package descriptions (free,
as Debian's package descriptions). Counts and licences per source: `tools/corpus/manifest.json`.
Test and dev sentences are split off by a hash of the English side and never trained on.
{extra_data}

## Limits

Mostly user-interface strings (menus, messages, settings) went into it, so it translates short
software texts best. Greetings and other everyday formulas (its phrasebook) come out right;
everyday sentences mostly read right (chrF above, near the rule-based Apertium whose outputs it
learnt them from), while prose, idioms, rare words and long sentences are rough. It is a small
demo model: for real work download an opus-mt model.

## Samples (test split, greedy)

| English | Parla tiny | Reference |
|---|---|---|
{samples}
"""


FIRST_WORDS = ["Hello", "Thank you", "Good morning", "Goodbye", "Please", "Yes", "No"]


def apertium(sentences):
    """Apertium eng-spa, one sentence per paragraph (blank lines keep outputs aligned)."""
    out = subprocess.run(["apertium", "eng-spa"], input="\n\n".join(sentences) + "\n", capture_output=True,
                         text=True, check=True).stdout.rstrip("\n").split("\n\n")
    return [" ".join(o.split()) for o in out]


def file_mb(folder, name):
    path = os.path.join(folder, name)
    return os.path.getsize(path) / 1e6 if os.path.exists(path) else 0.0


def extra_data(manifest_path):
    if not os.path.exists(manifest_path):
        return ""
    m = json.load(open(manifest_path, encoding="utf-8"))
    per = ", ".join(f"{k} {v}" for k, v in m["pairs_per_source"].items())
    lic = "; ".join(f"{k}: {v}" for k, v in m["licences"].items())
    return (f"\nEveryday language ({m['counts_per_split']['train']} pairs: {per}) from "
            f"`tools/corpus/build_synthetic.py`: English that Debian ships (WordNet usage examples, the fortunes "
            f"collection, common WordNet lemmas) translated by Apertium eng-spa, and FreeDict eng-spa word pairs. "
            f"Licences: {lic}. The everyday test set was written for Parla and is never trained on.\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--tokenizer", default="tools/data/tokenizer")
    ap.add_argument("--corpus", default="tools/data/corpus")
    ap.add_argument("--out", required=True)
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("--everyday", default="test/fixtures/everyday-en-es.json")
    ap.add_argument("--synthetic-manifest", default="tools/corpus/synthetic-manifest.json")
    ap.add_argument("--training-note", default="", help="a sentence on how this model was trained")
    ap.add_argument("--trained-on", default="one 2-core CPU", help="the machine, for the card")
    args = ap.parse_args()
    torch.set_num_threads(2)
    model, size = load_model(args.ckpt)
    sp = spm.SentencePieceProcessor(model_file=os.path.join(args.tokenizer, "spm.model"))
    pad, eos = size.pad_id, 0
    result = {}
    t0 = time.time()
    for split in ("dev", "test"):
        src = read(os.path.join(args.corpus, f"{split}.en"), args.limit)
        ref = read(os.path.join(args.corpus, f"{split}.es"), args.limit)
        hyp = translate(model, sp, src, pad, eos)
        result[split] = {"chrf": chrf(hyp, ref), "n": len(src)}
        if split == "test":
            result["samples"] = [{"en": s, "hyp": h, "ref": r} for s, h, r in list(zip(src, hyp, ref))[:30]]
    everyday = json.load(open(args.everyday, encoding="utf-8"))
    ev_src, ev_ref = [x["en"] for x in everyday], [x["es"] for x in everyday]
    ev_hyp = translate(model, sp, ev_src, pad, eos)
    result["everyday"] = {"chrf": chrf(ev_hyp, ev_ref), "n": len(everyday),
                          "samples": [{"en": s, "hyp": h, "ref": r} for s, h, r in list(zip(ev_src, ev_hyp, ev_ref))[::12]]}
    if shutil.which("apertium"):
        result["everyday"]["apertiumChrf"] = chrf(apertium(ev_src), ev_ref)
    result["firstWords"] = dict(zip(FIRST_WORDS, translate(model, sp, FIRST_WORDS, pad, eos)))
    result["seconds"] = time.time() - t0
    ck = torch.load(args.ckpt, map_location="cpu")
    state = ck.get("state", {})
    onnx_dir = os.path.join(args.out, "onnx")
    size_bytes = sum(os.path.getsize(os.path.join(onnx_dir, f)) for f in os.listdir(onnx_dir)) if os.path.isdir(onnx_dir) else 0
    train_pairs = sum(1 for _ in open(os.path.join(args.corpus, "train.en"), encoding="utf-8"))
    result.update({"steps": state.get("step"), "tokens": state.get("tokens"), "minutes": state.get("elapsed", 0) / 60,
                   "onnxBytes": size_bytes, "trainPairs": train_pairs})
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "eval.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)

    def cell(s):
        return s.replace("|", "\\|")

    samples = "\n".join(f"| {cell(x['en'])} | {cell(x['hyp'])} | {cell(x['ref'])} |" for x in result["samples"])
    card = CARD.format(d_model=size.d_model, encoder_layers=size.encoder_layers,
                       decoder_layers=size.decoder_layers, trained_on=args.trained_on, heads=size.heads, ffn=size.ffn_dim,
                       vocab=size.vocab_size, pad=size.pad_id,
                       params=sum(p.numel() for p in model.parameters() if p.requires_grad) / 1e6,
                       size_mb=size_bytes / 1e6, fp16_mb=file_mb(onnx_dir, "model.onnx_data"),
                       int8_mb=file_mb(onnx_dir, "model_quantized.onnx_data"), train_pairs=train_pairs, steps=state.get("step", 0),
                       tokens=(state.get("tokens") or 0) / 1e6, minutes=state.get("elapsed", 0) / 60,
                       dev_chrf=result["dev"]["chrf"], dev_n=result["dev"]["n"],
                       test_chrf=result["test"]["chrf"], test_n=result["test"]["n"], samples=samples,
                       everyday_chrf=result["everyday"]["chrf"], everyday_n=result["everyday"]["n"],
                       apertium_chrf=f'{result["everyday"]["apertiumChrf"]:.1f}' if "apertiumChrf" in result["everyday"] else "not measured",
                       training_note=args.training_note,
                       first_words="\n".join(f"| {cell(k)} | {cell(v)} |" for k, v in result["firstWords"].items()),
                       extra_data=extra_data(args.synthetic_manifest))
    with open(os.path.join(args.out, "README.md"), "w", encoding="utf-8") as f:
        f.write(card)
    print(json.dumps({k: result[k] for k in ("dev", "test", "seconds")}))


if __name__ == "__main__":
    main()
