#!/usr/bin/env python3
"""Build data/layout-lexicon.tsv: how much a character pair says that a
short line is a column label, a headline or an in-article heading rather
than body text. The page engine's line model reads three features from it
(`lex_label`, `lex_title`, `lex_heading`; crates/baozhi-layout/src/features.rs).

usage: build-layout-lexicon.py [--corpus ../shared/corpus/rmrb.jsonl]
                               [--fold 0] [--folds 5] [--out data/layout-lexicon.tsv]

Source: `../shared/corpus/rmrb.jsonl` (People's Daily articles with their
printed structure; see its README). Only articles whose date is outside
fold `--fold` (the dates `pagegen.py --split test --fold K` lays out) are
read, so pages of that fold stay held out of this table as of the line
model fitted beside it. The shipped file is built with the default, fold 0,
the fold every held-out score of the page engine is measured on.

Method
  1. Four kinds of text: labels (an article's `column` and `series`),
     headlines (`kicker`, `title`, `subtitle`), in-article headings
     (paragraphs of kind `heading`), body (the other paragraphs).
  2. Each text is framed as `^text$` and cut into adjacent character
     pairs, after white space is dropped, digits read as `0` and Latin
     letters as `a` (a pair of digits says the same whatever the digits).
  3. For each kind K other than body: log P(pair | K) - log P(pair | body),
     each with add-`SMOOTH` smoothing over the pairs seen anywhere. For
     labels only what speaks for a label is kept (the ratio floored at 0):
     the corpus's labels are one paper's few hundred column names, so a
     pair they share says much, and a pair they lack says little about
     another paper's labels (a local paper's `乡村振兴` column: its pairs
     are common in body text and absent from the People's Daily's labels).
  4. Only pairs seen at least `MIN_COUNT` times in labels, headlines and
     headings together, in at least `MIN_ARTICLES` articles, are written:
     the table keeps what recurs (column names, the shapes of headings
     such as `^一、`), holds no pair that one article alone prints, and
     stays small.
The same corpus and options give the same file.
"""
import argparse
import collections
import json
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pagegen import fold_of  # noqa: E402

KINDS = ["label", "title", "heading"]
# add-one-half smoothing: a pair unseen in a kind is rare there, not impossible
SMOOTH = 0.5
# a pair must recur this often in the short-line kinds to be written
MIN_COUNT = 3
# ... and in this many articles: no pair is kept that one article alone holds
MIN_ARTICLES = 2


def pairs(text):
    t = re.sub(r"\s+", "", text)
    t = re.sub(r"[0-9０-９]", "0", t)
    t = re.sub(r"[A-Za-zＡ-Ｚａ-ｚ]", "a", t)
    t = "^" + t + "$"
    return [t[i:i + 2] for i in range(len(t) - 1)]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(here, "..", "..", "shared", "corpus", "rmrb.jsonl"))
    ap.add_argument("--fold", type=int, default=0, help="the fold of dates left out")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", default=os.path.join(here, "..", "data", "layout-lexicon.tsv"))
    a = ap.parse_args()
    counts = {k: collections.Counter() for k in KINDS + ["body"]}
    articles_with = collections.Counter()  # articles whose short lines hold a pair
    articles = 0
    with open(a.corpus, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if fold_of(r["date"], a.folds) == a.fold:
                continue
            articles += 1
            in_article = set()
            for field in ("column", "series"):
                if r.get(field):
                    counts["label"].update(pairs(r[field]))
                    in_article.update(pairs(r[field]))
            for field in ("kicker", "title", "subtitle"):
                if r.get(field):
                    counts["title"].update(pairs(r[field]))
                    in_article.update(pairs(r[field]))
            for p in r.get("paragraphs") or []:
                kind = "heading" if p.get("kind") == "heading" else "body"
                counts[kind].update(pairs(p["text"]))
                if kind == "heading":
                    in_article.update(pairs(p["text"]))
            articles_with.update(in_article)
    vocab = set()
    for c in counts.values():
        vocab.update(c)
    totals = {k: sum(c.values()) + SMOOTH * len(vocab) for k, c in counts.items()}

    def logp(kind, pair):
        return math.log((counts[kind][pair] + SMOOTH) / totals[kind])

    short = collections.Counter()
    for k in KINDS:
        short.update(counts[k])
    keep = sorted(p for p, n in short.items() if n >= MIN_COUNT and articles_with[p] >= MIN_ARTICLES)
    tmp = a.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("# Character pairs of short lines (crates/baozhi-layout/src/features.rs, lex_*).\n")
        f.write("# Written by scripts/build-layout-lexicon.py from ../shared/corpus/rmrb.jsonl,\n")
        f.write(f"# {articles} articles outside fold {a.fold} of {a.folds} (by date); "
                f"pairs seen {MIN_COUNT}+ times in labels, headlines and headings\n"
                f"# of {MIN_ARTICLES}+ articles.\n")
        f.write("# Columns: pair (^ and $ frame the line; 0 any digit, a any Latin letter), then\n")
        f.write("# log P(pair|kind) - log P(pair|body text) for each kind (for labels, at least 0).\n")
        f.write("kinds\t" + "\t".join(KINDS) + "\n")
        for p in keep:
            body = logp("body", p)
            ratios = [logp(k, p) - body for k in KINDS]
            ratios[KINDS.index("label")] = max(0.0, ratios[KINDS.index("label")])
            f.write(p + "\t" + "\t".join(f"{r:.3f}" for r in ratios) + "\n")
    os.replace(tmp, a.out)
    print(f"wrote {a.out}: {len(keep)} pairs from {articles} articles", file=sys.stderr)


if __name__ == "__main__":
    main()
