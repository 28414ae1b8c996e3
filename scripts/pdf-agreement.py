#!/usr/bin/env python3
"""How much of a PDF's printed text a reader gives, against pdftotext and gold.

usage: pdf-agreement.py [--pdftext target/release/examples/pdftext] PDF...

For each PDF with a `NAME.gold.json` beside it (as in
`../shared/pages/extracted`), it compares the characters (whitespace left
out, as a multiset, so reading order does not count) that baozhi's reader
(`pdftext`, the example of `baozhi-pdf`) and poppler's `pdftotext` give
with the characters the gold prints (the share of the gold's characters each
reader gives: titles, labels, paragraphs, captions and page furniture),
and the two readers with each other (multiset F1: 2·|A∩B| / (|A| + |B|)).
Prints one row per PDF and the total.
"""
import argparse
import collections
import json
import os
import subprocess

# The gold fields that hold printed text once (a dateline and the bylines
# it names are also in the first paragraph, and a jump in `marks`).
PRINTED = ("column", "series", "kicker", "title", "subtitle", "paragraphs", "captions", "text")
HERE = os.path.dirname(os.path.abspath(__file__))


def chars(text):
    return collections.Counter(c for c in text if not c.isspace())


def gold_text(path):
    doc = json.load(open(path, encoding="utf-8"))
    parts = []

    def walk(v):
        if isinstance(v, str):
            parts.append(v)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for k, x in v.items():
                if k in PRINTED:
                    walk(x)

    for art in doc.get("articles", []):
        walk({k: v for k, v in art.items() if k in PRINTED})
    for page in doc.get("pages", []):
        for item in page.get("furniture", []):
            walk(item if isinstance(item, str) else {"text": item.get("text", "")})
    return "".join(parts)


def recall(a, gold):
    return sum((a & gold).values()) / max(1, sum(gold.values()))


def f1(a, b):
    both = sum((a & b).values())
    total = sum(a.values()) + sum(b.values())
    return (2 * both / total if total else 1.0), both, total


def run(cmd):
    return subprocess.run(cmd, capture_output=True, check=True).stdout.decode("utf-8", "replace")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pdftext", default=os.path.join(HERE, "..", "target", "release", "examples", "pdftext"))
    ap.add_argument("pdfs", nargs="+")
    args = ap.parse_args()
    sums = collections.defaultdict(lambda: [0, 0])
    print("page\tbaozhi: share of gold\tpdftotext: share of gold\tbaozhi~pdftotext F1")
    for pdf in args.pdfs:
        ours = chars(run([args.pdftext, pdf]))
        poppler = chars(run(["pdftotext", "-enc", "UTF-8", pdf, "-"]))
        gold_path = pdf[: -len(".pdf")] + ".gold.json"
        row = [os.path.basename(pdf)]
        if os.path.exists(gold_path):
            gold = chars(gold_text(gold_path))
            for name, got in (("ours", ours), ("poppler", poppler)):
                sums[name][0] += sum((got & gold).values())
                sums[name][1] += sum(gold.values())
                row.append(f"{recall(got, gold):.4f}")
        else:
            row += ["-", "-"]
        score, both, total = f1(ours, poppler)
        sums["agree"][0] += 2 * both
        sums["agree"][1] += total
        row.append(f"{score:.4f}")
        print("\t".join(row))
    print("\t".join(["all"] + [
        f"{sums[k][0] / sums[k][1]:.4f}" if sums[k][1] else "-" for k in ("ours", "poppler", "agree")
    ]))


if __name__ == "__main__":
    main()
