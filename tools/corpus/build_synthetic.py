"""Everyday English -> Spanish pairs from Debian: synthetic sentence pairs (English prose Debian
ships, translated by Apertium) and word/phrase pairs (FreeDict eng-spa, human-made).

Usage: /usr/bin/python3 tools/corpus/build_synthetic.py --out tools/data/synthetic
Needs: apt-get install -y apertium-en-es dict-freedict-eng-spa wordnet-base fortunes

Why: the catalog corpus (build_corpus.py) is UI strings and package descriptions; a model trained
on it alone answers "Hello" with "Hámbo". These sources add everyday language:
- WordNet's usage examples (`wordnet-base`, "he ate a big breakfast"): short everyday English.
- Sentences from the `fortunes` collection's general-language files (people, food, love, work...).
- WordNet lemmas that occur in its sense-tagged corpus (common words and collocations such as
  "good morning"), translated by Apertium as phrases.
- FreeDict eng-spa headwords and their first translation (human-made).
- Everyday formulas: WordNet's greetings, farewells, thanks, apologies, yes and no (every
  hyponym of those synsets: "hello", "good morning", "goodbye"...), translated by Apertium.
- Sentence-case variants of the word and phrase pairs ("Hello" as well as "hello", with "." and
  "!"), because people type a greeting capitalised and a model trained on lower case leaves
  "Hello" as it is.
Apertium output is filtered: a pair is dropped when Apertium marks a word it does not know (`*`),
a generation error (`#`) or an untranslatable lemma (`@`), when the length ratio is outside
0.5-2.2, when the English side is in an everyday test/dev fixture, or when it is a duplicate.
"""
import argparse
import collections
import gzip
import json
import os
import random
import re
import subprocess
import time
import unicodedata

WORDNET = "/usr/share/wordnet"
FORTUNES = "/usr/share/games/fortunes"
FREEDICT = "/usr/share/dictd/freedict-eng-spa.dict.dz"
# General-language fortune files; computing, politics and in-jokes left out on purpose.
FORTUNE_FILES = ["education", "food", "fortunes", "humorists", "kids", "literature", "love", "men-women",
                 "miscellaneous", "people", "pets", "platitudes", "science", "songs-poems", "sports", "wisdom", "work"]
HELD_OUT = ["test/fixtures/everyday-en-es.json", "test/fixtures/everyday-en-es.dev.json"]
LICENCES = {
    "wordnet-examples": "WordNet 3.0 licence (Princeton; free, DFSG, Debian main package wordnet-base); "
                        "Spanish side machine-translated by Apertium apertium-en-es (GPL-2)",
    "fortunes": "fortunes (Debian main; public domain / BSD-style per debian/copyright); Spanish by Apertium (GPL-2)",
    "wordnet-lemmas": "WordNet 3.0 licence; Spanish by Apertium (GPL-2)",
    "freedict": "FreeDict eng-spa 0.3.1, GPL-2+ (Debian main package dict-freedict-eng-spa)",
    "wordnet-formulas": "WordNet 3.0 licence; Spanish by Apertium (GPL-2)",
    "sentence-case": "variants of the wordnet-lemmas, wordnet-formulas and freedict pairs (same licences)",
}
# Synsets whose hyponyms are everyday formulas (data.noun offsets, WordNet 3.0): greeting,
# farewell, thanks, apology (acknowledgment of a fault), affirmative, negative.
FORMULA_SYNSETS = ["06630017", "06629392", "07228971", "06633363", "07203696", "07204911"]


def say(msg):
    print(f"{time.strftime('%H:%M:%S')} {msg}", flush=True)


def squash(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


def held_key(s: str) -> str:
    return re.sub(r"[^\w ]", "", s.lower()).strip()


def words(s: str) -> int:
    return len(s.split())


def usable_english(s: str, lo=3, hi=20) -> bool:
    if not (lo <= words(s) <= hi) or len(s) > 160:
        return False
    if re.search(r"https?:|www\.|@|[{}<>\[\]|\\_=~^]|--", s):
        return False
    letters = sum(c.isalpha() for c in s)
    return letters >= 0.6 * len(s.replace(" ", ""))


def cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s[:1].islower() else s


def wordnet_examples():
    out = []
    for part in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(WORDNET, f"data.{part}"), encoding="latin-1") as f:
            for line in f:
                if line.startswith("  ") or "|" not in line:
                    continue
                for ex in re.findall(r'"([^"]+)"', line.split("|", 1)[1]):
                    ex = squash(ex.strip(" ;'"))
                    if usable_english(ex, 3, 18):
                        out.append(cap(ex))
    return out


def fortune_sentences():
    out = []
    for name in FORTUNE_FILES:
        path = os.path.join(FORTUNES, name)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            for cookie in f.read().split("\n%\n"):
                lines = [l for l in cookie.split("\n") if not re.match(r"^\s*(--|-- )", l.strip()[:3])]
                text = squash(" ".join(l.strip() for l in lines if not l.strip().startswith("--")))
                for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"'])", text):
                    s = s.strip(" \"'")
                    if usable_english(s, 3, 16) and not re.search(r"[A-Z]{4,}|\t|:\s*$", s):
                        out.append(s)
    return out


def wordnet_lemmas(min_count: int):
    """Lemmas with at least min_count sense-tagged occurrences (WordNet's cntlist.rev)."""
    counts = collections.Counter()
    with open(os.path.join(WORDNET, "cntlist.rev"), encoding="latin-1") as f:
        for line in f:
            key, _, n = line.split()
            counts[key.split("%")[0]] += int(n)
    return [k.replace("_", " ") for k, n in counts.items()
            if n >= min_count and re.fullmatch(r"[a-z]+( [a-z]+){0,2}", k.replace("_", " "))]


def wordnet_formulas():
    """Lemmas of the formula synsets and of all their hyponyms (pointer "~"), breadth first."""
    synsets = {}
    with open(os.path.join(WORDNET, "data.noun"), encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):
                continue
            head = line.split("|", 1)[0].split()
            offset, count = head[0], int(head[3], 16)
            lemmas = [head[4 + 2 * i] for i in range(count)]
            at = 4 + 2 * count
            hyponyms = [head[at + 1 + 4 * i + 1] for i in range(int(head[at]))
                        if head[at + 1 + 4 * i] == "~"]
            synsets[offset] = (lemmas, hyponyms)
    out, todo, seen = [], list(FORMULA_SYNSETS), set()
    while todo:
        offset = todo.pop(0)
        if offset in seen or offset not in synsets:
            continue
        seen.add(offset)
        lemmas, hyponyms = synsets[offset]
        out += [re.sub(r"\(.*\)$", "", l).replace("_", " ") for l in lemmas]
        todo += hyponyms
    return [l for l in dict.fromkeys(out) if re.fullmatch(r"[a-z][a-z' -]*( [a-z'-]+){0,3}", l)]


def sentence_case(pairs):
    """("hello", "hola") -> ("Hello", "Hola") for pairs of at most three words, and for formulas also
    ("Hello.", "Hola.") and ("Hello!", "¡Hola!"); the Spanish side's accents are kept."""
    out = []
    for kind, en, es in pairs:
        if words(en) > 3 or not en[:1].islower() or not es[:1].isalpha():
            continue
        en_c, es_c = en[:1].upper() + en[1:], es[:1].upper() + es[1:]
        out.append(("sentence-case", en_c, es_c))
        if kind == "wordnet-formulas":  # said on their own, as a sentence
            out += [("sentence-case", en_c + ".", es_c + "."), ("sentence-case", en_c + "!", "¡" + es_c + "!")]
    return out


def freedict_pairs():
    with gzip.open(FREEDICT, "rt", encoding="utf-8") as f:
        text = f.read()
    pairs = []
    # Entries: "headword /pron/" then translation lines ("1. x" for numbered senses).
    for m in re.finditer(r"^([^\n/]+?) /[^/\n]*/\n((?:(?![^\n/]+ /[^/\n]*/\n)[^\n]+\n?)+)", text, re.M):
        head, body = squash(m.group(1)), m.group(2).strip().split("\n")[0]
        first = squash(re.sub(r"^\d+\.\s*", "", body).split(",")[0].split(";")[0])
        if re.fullmatch(r"[A-Za-z][A-Za-z' -]{0,40}", head) and first and len(first) <= 50 and "(" not in first:
            pairs.append((head, first))
    return pairs


def apertium(lines, chunk=5000):
    """Apertium eng-spa, one sentence per paragraph: in its text mode a blank line always survives,
    so outputs align with inputs (its line mode drops final full stops and shifted some lines)."""
    out = []
    for start in range(0, len(lines), chunk):
        part = lines[start: start + chunk]
        res = subprocess.run(["apertium", "eng-spa"], input="\n\n".join(part) + "\n", capture_output=True,
                             text=True, check=True).stdout.rstrip("\n").split("\n\n")
        if len(res) != len(part):
            raise SystemExit(f"apertium returned {len(res)} paragraphs for {len(part)}")
        out += [squash(r) for r in res]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="tools/data/synthetic")
    ap.add_argument("--manifest", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "synthetic-manifest.json"))
    ap.add_argument("--lemma-min-count", type=int, default=3)
    ap.add_argument("--dev", type=int, default=500)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    t0 = time.time()
    held = set()
    for path in HELD_OUT:
        if os.path.exists(path):
            held |= {held_key(x["en"]) for x in json.load(open(path, encoding="utf-8"))}
    say(f"{len(held)} held-out everyday sentences excluded")

    sources = {
        "wordnet-examples": wordnet_examples(),
        "fortunes": fortune_sentences(),
        "wordnet-lemmas": wordnet_lemmas(args.lemma_min_count),
        "wordnet-formulas": wordnet_formulas(),
    }
    stats = {"raw": {k: len(v) for k, v in sources.items()}, "dropped": collections.Counter(), "kept": {}}
    say(f"raw English: {stats['raw']}")
    pairs, seen = [], set()
    for kind, lines in sources.items():
        uniq = []
        for s in lines:
            k = held_key(s)
            if k in held:
                stats["dropped"]["held_out"] += 1
            elif k in seen:
                stats["dropped"]["duplicate"] += 1
            else:
                seen.add(k)
                uniq.append(s)
        es = apertium(uniq)
        kept = 0
        for en, sp in zip(uniq, es):
            if en[:1].islower():  # Apertium capitalises each paragraph's first letter
                sp = sp[:1].lower() + sp[1:]
            if not sp or re.search(r"[*#@]", sp):
                stats["dropped"]["apertium_unknown_or_error"] += 1
                continue
            ratio = len(sp) / max(len(en), 1)
            if not 0.5 <= ratio <= 2.2:
                stats["dropped"]["bad_ratio"] += 1
                continue
            if sp.lower() == en.lower() and kind not in ("wordnet-lemmas", "wordnet-formulas"):
                stats["dropped"]["identical"] += 1
                continue
            pairs.append((kind, en, sp))
            kept += 1
        stats["kept"][kind] = kept
        say(f"{kind}: {kept} pairs of {len(uniq)}")
    fd = [(kind, en, es) for kind, en, es in (("freedict", a, b) for a, b in freedict_pairs())
          if held_key(en) not in held]
    stats["kept"]["freedict"] = len(fd)
    pairs += fd
    variants = [p for p in sentence_case([p for p in pairs if p[0] in ("wordnet-lemmas", "wordnet-formulas", "freedict")])
                if held_key(p[1]) not in held]
    stats["kept"]["sentence-case"] = len(variants)
    pairs += variants
    random.Random(11).shuffle(pairs)
    dev, train = pairs[: args.dev], pairs[args.dev:]
    for split, rows in (("train", train), ("dev", dev)):
        for lang, i in (("en", 1), ("es", 2)):
            with open(os.path.join(args.out, f"{split}.{lang}"), "w", encoding="utf-8") as f:
                f.write("\n".join(r[i] for r in rows) + "\n")
        with open(os.path.join(args.out, f"{split}.kind"), "w", encoding="utf-8") as f:
            f.write("\n".join(r[0] for r in rows) + "\n")
    apertium_version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "apertium-en-es"],
                                      capture_output=True, text=True).stdout
    manifest = {
        "description": "Everyday English->Spanish pairs: Apertium-translated English from Debian + FreeDict word pairs",
        "command": "python3 tools/corpus/build_synthetic.py --out tools/data/synthetic",
        "apertium_en_es_version": apertium_version,
        "counts_per_split": {"train": len(train), "dev": len(dev)},
        "raw_english_per_source": stats["raw"],
        "pairs_per_source": stats["kept"],
        "dropped": dict(stats["dropped"]),
        "licences": LICENCES,
        "elapsed_seconds": round(time.time() - t0, 1),
    }
    with open(args.manifest, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
    say(json.dumps(manifest["pairs_per_source"]))


if __name__ == "__main__":
    main()
