"""Everyday formulas from Parla's own phrasebook (`tools/corpus/phrasebook.tsv`), in the ways
people type them, as a small training corpus for fine-tuning.

Usage: /usr/bin/python3 tools/corpus/build_phrasebook.py --out tools/data/phrasebook

Why: a greeting typed alone ("Hello", "Good morning", "Yes") is the first thing a new user tries,
and neither the catalogues nor Apertium's output teach it well (Apertium gives "Bien mañana" for
"good morning" word by word). Each entry is written as typed: capitalised and lower case, and
with the ending its kind allows ("Hello!" -> "¡Hola!", "Yes." -> "Sí.", "How are you?" ->
"¿Cómo estás?"). Entries whose English is in an everyday test or dev fixture are refused.
"""
import argparse
import json
import os
import sys

from build_synthetic import HELD_OUT, held_key


def lower_first(s: str) -> str:
    return s[:1].lower() + s[1:]


def variants(en: str, es: str, kind: str) -> list[tuple[str, str]]:
    out = [(en, es), (lower_first(en), lower_first(es))]
    if kind == "!":
        out += [(en + "!", "¡" + es + "!"), (en + ".", es + "."), (lower_first(en) + "!", "¡" + lower_first(es) + "!")]
    elif kind == ".":
        out += [(en + ".", es + "."), (lower_first(en) + ".", lower_first(es) + ".")]
    elif kind == "?":
        out += [(en + "?", "¿" + es + "?"), (lower_first(en) + "?", "¿" + lower_first(es) + "?")]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--phrasebook", default="tools/corpus/phrasebook.tsv")
    ap.add_argument("--out", default="tools/data/phrasebook")
    args = ap.parse_args()
    held = set()
    for path in HELD_OUT:
        held |= {held_key(x["en"]) for x in json.load(open(path, encoding="utf-8"))}
    pairs, clashes = [], []
    for line in open(args.phrasebook, encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        en, es, kind, *weight = line.rstrip("\n").split("\t")
        if held_key(en) in held:
            clashes.append(en)
        pairs += variants(en, es, kind) * int(weight[0] if weight else 1)
    if clashes:
        sys.exit(f"phrasebook: in an everyday test or dev fixture: {', '.join(clashes)}")
    os.makedirs(args.out, exist_ok=True)
    for lang, i in (("en", 0), ("es", 1)):
        with open(os.path.join(args.out, f"train.{lang}"), "w", encoding="utf-8") as f:
            f.write("\n".join(p[i] for p in pairs) + "\n")
    print(f"phrasebook: {len(pairs)} pairs -> {args.out}")


if __name__ == "__main__":
    main()
