#!/usr/bin/env python3
"""Build an English->Spanish parallel corpus from Debian (bookworm, main).

Usage (re-runnable; downloaded .mo files are cached in /tmp/corpus-work):

    python3 tools/corpus/build_corpus.py --out tools/data/corpus

Sources
  * gettext-mo: the Spanish (`es`, `es_ES`) gettext catalogs shipped by Debian
    packages under usr/share/locale/<lang>/LC_MESSAGES/*.mo.  Regional
    variants (es_AR, es_MX, es_419, ...) are deliberately skipped: we want one
    consistent (peninsular/neutral) target variety.  Packages are found via
    dists/bookworm/main/Contents-amd64.gz AND Contents-all.gz (since buster,
    arch:all files are only listed in Contents-all).  .debs are fetched over
    plain HTTP from the pool path given by the Packages index (8 threads),
    only the es .mo files (plus usr/share/doc/<pkg>/copyright, for licence
    bookkeeping) are pulled out of `dpkg-deb --fsys-tarfile`, and the .deb is
    deleted right away.
  * ddtp: Debian Description Translation Project, i18n/Translation-es.bz2
    paired with Translation-en.xz (the only form published) by Description-md5 (short description, and
    long description paragraph by paragraph when paragraph counts match).

A private apt configuration (own Dir::State, Dir::Cache, empty
Dir::Etc::Parts, Acquire::Languages "es","en") is written to
/tmp/corpus-work/apt so the system apt setup is never touched; all index and
.deb fetches are done with urllib against http://deb.debian.org/debian.

Cleaning: whitespace normalised; empty / identical / no-letter /
placeholder-only pairs dropped; > 400 chars either side dropped; length
ratio > 3 dropped (when the longer side exceeds 20 chars, so that e.g.
"OK"->"Aceptar" survives); accelerator markers (_X / &X) removed consistently
on both sides; placeholders kept verbatim.  Dedup on (en, es) and one es per
en (most frequent; ties -> first seen).

Split: bucket = int(md5(en), 16) % 1000; 0-4 test, 5-9 dev, rest train;
dev/test capped at 3000 each (first N in md5 order, overflow goes to train;
each English string occurs once, so no English crosses splits).

Outputs: <out>/{train,dev,test}.{en,es} and tools/corpus/manifest.json.
"""
import argparse, bz2, collections, concurrent.futures as cf, gzip, hashlib
import io, json, lzma, os, random, re, struct, subprocess, sys, tarfile
import threading, time, urllib.request

MIRROR = "http://deb.debian.org/debian"
DIST = "bookworm"
WORK = "/tmp/corpus-work"
LANGS = ("es", "es_ES")
MO_RE = re.compile(r"^(?:\./)?usr/share/locale/(es|es_ES)/LC_MESSAGES/[^/]+\.mo$")
HERE = os.path.dirname(os.path.abspath(__file__))
TIMES = {}


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, file=sys.stderr, flush=True)


def fetch(url, dest, force=False):
    if os.path.exists(dest) and not force:
        return dest
    tmp = dest + ".part"
    with urllib.request.urlopen(url, timeout=120) as r, open(tmp, "wb") as f:
        while True:
            b = r.read(1 << 20)
            if not b:
                break
            f.write(b)
    os.replace(tmp, dest)
    return dest


def write_private_apt_config():
    d = os.path.join(WORK, "apt")
    for sub in ("state/lists/partial", "cache/archives/partial", "etc/parts"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    with open(os.path.join(d, "sources.list"), "w") as f:
        f.write(f"deb {MIRROR} {DIST} main\n")
    conf = os.path.join(d, "apt.conf")
    with open(conf, "w") as f:
        f.write(f'''Dir::State "{d}/state";
Dir::State::status "{d}/state/status";
Dir::Cache "{d}/cache";
Dir::Etc::SourceList "{d}/sources.list";
Dir::Etc::SourceParts "{d}/etc/parts";
Dir::Etc::Parts "{d}/etc/parts";
Acquire::Languages {{ "es"; "en"; }};
APT::Architecture "amd64";
''')
    open(os.path.join(d, "state/status"), "a").close()
    return conf


# ---------------------------------------------------------------- indices
def find_mo_packages():
    pkgs = collections.defaultdict(list)
    for part in ("Contents-amd64.gz", "Contents-all.gz"):
        p = fetch(f"{MIRROR}/dists/{DIST}/main/{part}", os.path.join(WORK, part))
        with gzip.open(p, "rt", encoding="utf-8", errors="replace") as f:
            for line in f:
                if not line.startswith("usr/share/locale/es"):
                    continue
                path, _, locs = line.rstrip("\n").rpartition(" ")
                path = path.strip()
                if not MO_RE.match(path):
                    continue
                for loc in locs.split(","):
                    pkgs[loc.rsplit("/", 1)[-1]].append(path)
    return pkgs


def read_packages_index():
    p = fetch(f"{MIRROR}/dists/{DIST}/main/binary-amd64/Packages.xz",
              os.path.join(WORK, "Packages.xz"))
    info = {}
    with lzma.open(p, "rt", encoding="utf-8", errors="replace") as f:
        cur = {}
        for line in f:
            if line == "\n":
                if "Package" in cur:
                    info.setdefault(cur["Package"], cur)
                cur = {}
                continue
            if line[0] in " \t":
                continue
            k, _, v = line.partition(":")
            if k in ("Package", "Filename", "Size", "Version", "Section"):
                cur[k] = v.strip()
        if "Package" in cur:
            info.setdefault(cur["Package"], cur)
    return info


# ---------------------------------------------------------------- debs
def extract_pkg(pkg, meta, mo_dir):
    """Download one .deb, keep its es .mo files + copyright, delete the deb."""
    outd = os.path.join(mo_dir, pkg)
    done = os.path.join(outd, ".done")
    if os.path.exists(done):
        return pkg, "cached"
    os.makedirs(outd, exist_ok=True)
    deb = os.path.join(WORK, "debs", pkg + ".deb")
    try:
        fetch(f"{MIRROR}/{meta['Filename']}", deb, force=True)
        proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        n = 0
        with tarfile.open(fileobj=proc.stdout, mode="r|*") as tf:
            for m in tf:
                name = m.name[2:] if m.name.startswith("./") else m.name
                if not m.isfile():
                    continue
                if MO_RE.match(name):
                    data = tf.extractfile(m).read()
                    lang = name.split("/")[3]
                    fn = lang + "__" + os.path.basename(name)
                    with open(os.path.join(outd, fn), "wb") as f:
                        f.write(data)
                    n += 1
                elif name == f"usr/share/doc/{pkg}/copyright":
                    with open(os.path.join(outd, "copyright"), "wb") as f:
                        f.write(tf.extractfile(m).read()[:200000])
        proc.wait()
        open(done, "w").close()
        return pkg, f"ok {n}"
    except Exception as e:  # keep going; report
        return pkg, f"error {e!r}"
    finally:
        if os.path.exists(deb):
            os.remove(deb)


def download_all(pkgs, info, mo_dir, threads, deadline, cap):
    todo = [p for p in pkgs if p in info]
    missing = [p for p in pkgs if p not in info]
    # "prefer largest catalogs": most es .mo files first, then smaller debs
    todo.sort(key=lambda p: (-len(pkgs[p]), int(info[p].get("Size", 0))))
    todo = todo[:cap]
    os.makedirs(os.path.join(WORK, "debs"), exist_ok=True)
    results = {}
    stop = threading.Event()

    def job(p):
        if stop.is_set() or time.time() > deadline:
            return p, "skipped (time budget)"
        return extract_pkg(p, info[p], mo_dir)

    with cf.ThreadPoolExecutor(threads) as ex:
        futs = [ex.submit(job, p) for p in todo]
        for i, fu in enumerate(cf.as_completed(futs), 1):
            p, st = fu.result()
            results[p] = st
            if i % 100 == 0:
                log(f"  debs {i}/{len(todo)}")
            if time.time() > deadline:
                stop.set()
    return results, missing


# ---------------------------------------------------------------- .mo parsing
def parse_mo(data):
    if len(data) < 28:
        return []
    magic = struct.unpack("<I", data[:4])[0]
    e = "<" if magic == 0x950412DE else ">" if magic == 0xDE120495 else None
    if e is None:
        return []
    _, n, oo, to = struct.unpack(e + "4I", data[4:20])
    out = []
    for i in range(n):
        ol, oof = struct.unpack(e + "2I", data[oo + 8 * i: oo + 8 * i + 8])
        tl, tof = struct.unpack(e + "2I", data[to + 8 * i: to + 8 * i + 8])
        mid = data[oof:oof + ol]
        mstr = data[tof:tof + tl]
        if not mid:  # header
            continue
        if b"\x04" in mid:  # msgctxt
            mid = mid.split(b"\x04", 1)[1]
        mid = mid.split(b"\x00", 1)[0]      # plural: singular form
        mstr = mstr.split(b"\x00", 1)[0]    # first plural form
        try:
            out.append((mid.decode("utf-8"), mstr.decode("utf-8")))
        except UnicodeDecodeError:
            continue
    return out


def mo_charset_ok(data):
    return True


# ---------------------------------------------------------------- DDTP
def read_translation(path, lang):
    res = {}
    key = "Description-" + lang
    opener = lzma.open if path.endswith(".xz") else bz2.open
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        md5 = None
        desc = None
        for line in f:
            if line == "\n":
                if md5 and desc is not None:
                    res[md5] = desc
                md5, desc = None, None
                continue
            if line[0] == " " and desc is not None:
                desc.append(line[1:].rstrip("\n"))
            elif line.startswith("Description-md5:"):
                md5 = line.split(":", 1)[1].strip()
            elif line.startswith(key + ":"):
                desc = [line.split(":", 1)[1].strip()]
            else:
                if desc is not None and not line.startswith(" "):
                    pass
        if md5 and desc is not None:
            res[md5] = desc
    return res


def desc_parts(lines):
    short = lines[0]
    paras, cur = [], []
    for l in lines[1:]:
        if l.strip() == ".":
            if cur:
                paras.append(" ".join(cur))
            cur = []
        else:
            cur.append(l.strip())
    if cur:
        paras.append(" ".join(cur))
    return short, paras


def ddtp_pairs():
    es = read_translation(fetch(f"{MIRROR}/dists/{DIST}/main/i18n/Translation-es.bz2",
                                os.path.join(WORK, "Translation-es.bz2")), "es")
    # Translation-en is only published as .xz in bookworm (Translation-es as .bz2)
    en = read_translation(fetch(f"{MIRROR}/dists/{DIST}/main/i18n/Translation-en.xz",
                                os.path.join(WORK, "Translation-en.xz")), "en")
    out = []
    for md5, esl in es.items():
        enl = en.get(md5)
        if not enl:
            continue
        s_en, p_en = desc_parts(enl)
        s_es, p_es = desc_parts(esl)
        out.append((s_en, s_es))
        if len(p_en) == len(p_es):
            out.extend(zip(p_en, p_es))
    return out, len(es)


# ---------------------------------------------------------------- cleaning
WS = re.compile(r"\s+")
PH = re.compile(r"%(?:\d+\$)?[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t|I64|I32)?[diouxXeEfFgGcspnaA%@]"
                r"|%\([^)]+\)[-+ #0]*\d*(?:\.\d+)?[diouxXeEfFgGcsr]"
                r"|\{[^{}\s]*\}|\$\{[^}]*\}|\$\w+|<[^>]{1,40}>|&[a-zA-Z]+;|%[A-Za-z_]+%")
LETTER = re.compile(r"[^\W\d_]")
ACC_RE = {"_": re.compile(r"_(?=[^\W\d_])"), "&": re.compile(r"&(?=[^\W\d_])(?![a-zA-Z]+;)")}


def has_letters(s):
    return bool(LETTER.search(PH.sub(" ", s)))


def strip_acc(en, es):
    for ch, rx in ACC_RE.items():
        en_hits = rx.findall(en)
        es_hits = rx.findall(es)
        if len(en_hits) > 1 or len(es_hits) > 1:
            continue
        if not en_hits and not es_hits:
            continue
        if ch == "_":
            # identifiers like foo_bar present verbatim on both sides: keep
            # (only mid-word underscores can be identifiers; "_File" is a mnemonic)
            toks = re.findall(r"\w+_\w+", en)
            if any(re.search(r"(?<!\w)" + re.escape(t) + r"(?!\w)", es) for t in toks):
                continue
        if len(en_hits) <= 1:
            en = rx.sub("", en, count=1)
        if len(es_hits) <= 1:
            es = rx.sub("", es, count=1)
    return en, es


def clean(en, es, stats):
    en = WS.sub(" ", en).strip()
    es = WS.sub(" ", es).strip()
    if not en or not es:
        stats["empty"] += 1; return None
    en, es = strip_acc(en, es)
    en = WS.sub(" ", en).strip(); es = WS.sub(" ", es).strip()
    if en == es:
        stats["identical"] += 1; return None
    if not has_letters(en) or not has_letters(es):
        stats["no_letters_or_placeholder_only"] += 1; return None
    le, ls = len(en), len(es)
    if le > 400 or ls > 400:
        stats["too_long"] += 1; return None
    if max(le, ls) > 20 and max(le, ls) > 3 * min(le, ls):
        stats["bad_ratio"] += 1; return None
    return en, es


def licence_of(cfile):
    try:
        txt = open(cfile, encoding="utf-8", errors="replace").read()
    except OSError:
        return "unknown (copyright file not in .deb, see debian/copyright)"
    lic = collections.Counter(m.strip() for m in re.findall(r"^License:[ \t]*(\S[^\n]*)", txt, re.M))
    if lic:
        return ", ".join(k for k, _ in lic.most_common(6))
    found = [n for n, rx in (("LGPL", r"Lesser General Public|LGPL|Library General Public"),
                             ("GPL", r"(?<!Lesser )General Public License|\bGPL"),
                             ("BSD", r"\bBSD\b"), ("MIT/Expat", r"\bMIT\b|Expat"),
                             ("Apache", r"Apache License"), ("MPL", r"Mozilla Public"),
                             ("Artistic", r"Artistic")) if re.search(rx, txt)]
    return ", ".join(found) or "see copyright file"


# ---------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="tools/data/corpus")
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--max-packages", type=int, default=1600,
                    help="cap (most .mo files first); bookworm has ~1549 such packages")
    ap.add_argument("--download-budget", type=float, default=600, help="seconds")
    ap.add_argument("--dev-test-cap", type=int, default=3000)
    ap.add_argument("--manifest", default=os.path.join(HERE, "manifest.json"))
    a = ap.parse_args()
    t_all = time.time()
    os.makedirs(WORK, exist_ok=True)
    mo_dir = os.path.join(WORK, "mo")
    os.makedirs(mo_dir, exist_ok=True)

    t = time.time()
    apt_conf = write_private_apt_config()
    pkgs = find_mo_packages()
    info = read_packages_index()
    TIMES["indices"] = round(time.time() - t, 1)
    log(f"{len(pkgs)} packages ship es/es_ES .mo files")

    t = time.time()
    results, missing = download_all(pkgs, info, mo_dir, a.threads,
                                    time.time() + a.download_budget, a.max_packages)
    TIMES["download_extract"] = round(time.time() - t, 1)
    st = collections.Counter(v.split()[0] for v in results.values())
    log(f"download: {dict(st)}; not in Packages index: {len(missing)}")

    t = time.time()
    raw = []  # (en, es, kind)
    pkg_used, licences, mo_files = [], {}, 0
    for pkg in sorted(os.listdir(mo_dir)):
        d = os.path.join(mo_dir, pkg)
        if not os.path.exists(os.path.join(d, ".done")):
            continue
        mos = [f for f in sorted(os.listdir(d)) if f.endswith(".mo")]
        if not mos:
            continue
        n0 = len(raw)
        for f in mos:
            with open(os.path.join(d, f), "rb") as fh:
                for en, es in parse_mo(fh.read()):
                    raw.append((en, es, "gettext-mo"))
            mo_files += 1
        if len(raw) > n0:
            pkg_used.append(pkg)
            licences[pkg] = licence_of(os.path.join(d, "copyright"))
    n_mo_raw = len(raw)
    TIMES["parse_mo"] = round(time.time() - t, 1)

    t = time.time()
    dd, n_ddtp_desc = ddtp_pairs()
    raw.extend((en, es, "ddtp") for en, es in dd)
    TIMES["ddtp"] = round(time.time() - t, 1)
    log(f"raw pairs: gettext-mo {n_mo_raw}, ddtp {len(dd)}")

    t = time.time()
    stats = collections.Counter()
    counts = collections.defaultdict(collections.Counter)  # en -> Counter(es)
    kind_of = {}
    order = {}
    for en, es, kind in raw:
        c = clean(en, es, stats)
        if not c:
            continue
        counts[c[0]][c[1]] += 1
        kind_of.setdefault(c, kind)
        order.setdefault(c, len(order))
    pairs = []
    for en, cnt in counts.items():
        best = max(cnt.items(), key=lambda kv: (kv[1], -order[(en, kv[0])]))[0]
        pairs.append((en, best))
    stats["distinct_en_pairs_dropped_alt_es"] = len(order) - len(pairs)
    TIMES["clean_dedupe"] = round(time.time() - t, 1)

    t = time.time()
    splits = {"train": [], "dev": [], "test": []}
    keyed = sorted((hashlib.md5(en.encode("utf-8")).hexdigest(), en, es) for en, es in pairs)
    overflow = 0
    for h, en, es in keyed:
        b = int(h, 16) % 1000
        s = "test" if b < 5 else "dev" if b < 10 else "train"
        if s != "train" and len(splits[s]) >= a.dev_test_cap:
            s = "train"; overflow += 1
        splits[s].append((en, es))
    os.makedirs(a.out, exist_ok=True)
    for s, ps in splits.items():
        with open(os.path.join(a.out, s + ".en"), "w", encoding="utf-8") as fe, \
             open(os.path.join(a.out, s + ".es"), "w", encoding="utf-8") as fs:
            for en, es in ps:
                fe.write(en + "\n"); fs.write(es + "\n")
    TIMES["split_write"] = round(time.time() - t, 1)
    TIMES["total"] = round(time.time() - t_all, 1)

    kind_counts = collections.Counter(kind_of[p] for p in pairs)
    manifest = {
        "description": "English->Spanish parallel corpus from Debian bookworm main "
                       "(gettext es/es_ES catalogs + DDTP descriptions)",
        "command": "python3 tools/corpus/build_corpus.py --out " + a.out,
        "built_at_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "mirror": MIRROR, "dist": DIST, "component": "main",
        "locales_kept": list(LANGS),
        "private_apt_config": apt_conf,
        "counts_per_split": {s: len(p) for s, p in splits.items()},
        "dev_test_overflow_moved_to_train": overflow,
        "counts_per_source_kind": dict(kind_counts),
        "raw_pairs_per_source_kind": {"gettext-mo": n_mo_raw, "ddtp": len(dd)},
        "ddtp_translated_descriptions": n_ddtp_desc,
        "packages_with_es_mo_in_contents": len(pkgs),
        "packages_downloaded_status": dict(st),
        "packages_not_in_packages_index": len(missing),
        "packages_contributing": len(pkg_used),
        "mo_files": mo_files,
        "english_words": {s: sum(len(en.split()) for en, _ in p) for s, p in splits.items()},
        "english_words_total": sum(len(en.split()) for en, _ in pairs),
        "dropped": dict(stats),
        "licences": {
            "gettext-mo": "Each catalog is under the licence of its package (per its "
                          "debian/copyright; mostly GPL/LGPL-family free licences, all DFSG-free "
                          "since from Debian main). Per-package summary in 'package_licences'.",
            "ddtp": "Debian Description Translation Project translations are distributed under "
                    "the same terms as Debian's package descriptions (free, DFSG).",
        },
        "package_licences": licences,
        "elapsed_seconds": TIMES,
    }
    with open(a.manifest, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
    log(json.dumps({k: manifest[k] for k in ("counts_per_split", "counts_per_source_kind",
                                             "packages_contributing", "english_words_total",
                                             "elapsed_seconds")}))


if __name__ == "__main__":
    main()
