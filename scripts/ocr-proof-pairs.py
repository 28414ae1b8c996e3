#!/usr/bin/env python3
"""Pair each printed paragraph with what Tesseract read of it, for the
proofreader's evaluation on real OCR errors (`examples/ocreval` of
baozhi-proof).

    python3 scripts/printpages.py --out /tmp/ocrpages --split test --fold 0 \\
        --pages 10 --seed 11 --tools tesseract
    python3 scripts/ocr-proof-pairs.py /tmp/ocrpages > /tmp/pairs.jsonl
    cargo run --release -p baozhi-proof --example ocreval -- /tmp/pairs.jsonl

For every `tesseract-NAME.txt` with its `NAME.gold.json` (what the page
printed), the OCR text's lines are joined (Chinese wraps without spaces)
and each printed paragraph is looked for in it by the closest match
(rapidfuzz's partial_ratio_alignment). A paragraph is kept when the match
is close (MIN_SCORE) and about as long as the print (MAX_LENGTH_CHANGE):
a paragraph cut by a column break with a caption read into the middle
would count layout as misreading. Spaces are taken out of both sides:
where a page puts them is layout, not what the proofreader reads. Each
article with at least one kept paragraph is a line `{"clean": ARTICLE,
"ocr": ARTICLE}`: the gold article with only the kept paragraphs, as
printed and as read.

Needs rapidfuzz (pip).
"""
import copy
import glob
import json
import os
import re
import sys

from rapidfuzz import fuzz

# The closest match must score this (0-100) for a paragraph to be kept:
# Tesseract misreads about 3 chars in 100, and a paragraph that scores less
# has lost more than misread characters (lines of other text in it).
MIN_SCORE = 90
# ...and be within this share of the print's length.
MAX_LENGTH_CHANGE = 0.05
# Shorter paragraphs match too many places by chance.
MIN_CHARS = 12

SPACE = re.compile(r"\s+")


def pairs(txt_path, gold_path):
    with open(txt_path, encoding="utf-8") as f:
        ocr = SPACE.sub("", f.read())
    with open(gold_path, encoding="utf-8") as f:
        gold = json.load(f)
    for a in gold["articles"]:
        clean, read = copy.deepcopy(a), copy.deepcopy(a)
        clean["paragraphs"], read["paragraphs"] = [], []
        for p in a["paragraphs"]:
            text = SPACE.sub("", p["text"])
            if len(text) < MIN_CHARS:
                continue
            m = fuzz.partial_ratio_alignment(text, ocr)
            if m is None or m.score < MIN_SCORE:
                continue
            span = ocr[m.dest_start:m.dest_end]
            if abs(len(span) - len(text)) > MAX_LENGTH_CHANGE * len(text):
                continue
            clean["paragraphs"].append({**p, "text": text})
            read["paragraphs"].append({**p, "text": span})
        if clean["paragraphs"]:
            yield {"clean": clean, "ocr": read}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    kept = 0
    for txt in sorted(glob.glob(os.path.join(sys.argv[1], "tesseract-*.txt"))):
        gold = txt[: -len(".txt")] + ".gold.json"
        if not os.path.exists(gold):
            continue
        for pair in pairs(txt, gold):
            kept += 1
            print(json.dumps(pair, ensure_ascii=False))
    print(f"{kept} articles paired", file=sys.stderr)


if __name__ == "__main__":
    main()
