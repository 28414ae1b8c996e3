#!/usr/bin/env python3
"""Fit OCR_PRIOR_LOGIT (crates/baozhi-proof/src/channel.rs): how much
likelier, in log-odds, a look-alike reading is right in OCR's text than
the shipped glyph weights say.

    python3 scripts/printpages.py --out /tmp/ocr-fit --split test --fold 1 \\
        --pages 40 --seed 6 --tools tesseract
    python3 scripts/ocr-proof-pairs.py /tmp/ocr-fit > /tmp/pairs-fit.jsonl
    # the confusion table without fold 1's pages, as a user's page meets it
    # (pairs of folds 2-4, see scripts/build-ocr-confusions.py)
    python3 scripts/build-ocr-confusions.py /tmp/pairs-ocr-conf*.jsonl > data/ocr-confusions.tsv
    cargo build --release -p baozhi-proof --example ocreval
    EVAL_FEATURES=/tmp/ocrf.tsv target/release/examples/ocreval /tmp/pairs-fit.jsonl
    python3 scripts/fit-ocr-prior.py /tmp/ocrf.tsv
    # then put the shipped table (folds 1-4) back

The glyph weights (`GLYPH_WEIGHTS`, read from channel.rs) were fitted
mostly on print with errors put in at about one per 500 chars
(`scripts/fit-proof.py`); Tesseract's text of a newspaper page misreads
about one Han char in a hundred. With the weights fixed, the one free
parameter is an offset added to every reading's log-odds in OCR text:
fitted here by Newton steps on the `Glyph` rows of `ocreval`'s readings of
Tesseract's text (label 1 right, 0 a false alarm, 2 a wrong fix at a real
error, which counts as a false alarm as in the weights' own fit), a false
correction weighing FALSE_ALARM_COST missed ones as there. Check the
result on pages of other dates (`ocreval` on fold 0's pairs), never on the
pages fitted.

Needs numpy.
"""
import os
import re
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CHANNEL = os.path.join(HERE, "..", "crates", "baozhi-proof", "src", "channel.rs")
# as in scripts/fit-proof.py: a false correction in an archive is worse
# than a missed one
FALSE_ALARM_COST = 6.0


def glyph_weights():
    src = open(CHANNEL, encoding="utf-8").read()
    m = re.search(r"const GLYPH_WEIGHTS: \[f64; FEATURES \+ 1\] = \[([^\]]*)\]", src)
    return np.array([float(x) for x in m.group(1).replace("\n", " ").split(",") if x.strip()])


def rows(paths, n):
    z_x, y = [], []
    for path in paths:
        for line in open(path, encoding="utf-8"):
            f = line.rstrip("\n").split("\t")
            if f[0] != "Glyph":
                continue
            z_x.append([float(v) for v in f[2:2 + n]])
            y.append(1.0 if f[1] == "1" else 0.0)
    return np.array(z_x), np.array(y)


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: fit-ocr-prior.py OCR_READINGS.tsv...")
    w = glyph_weights()
    x, y = rows(sys.argv[1:], len(w) - 1)
    z = x @ w[:-1] + w[-1]
    sw = np.where(y == 1, 1.0, FALSE_ALARM_COST)
    d = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(z + d)))
        g = np.sum(sw * (p - y))
        h = np.sum(sw * p * (1 - p))
        d -= g / h
    print(f"{len(y)} glyph readings of OCR text, {int(y.sum())} right")
    print(f"OCR_PRIOR_LOGIT = {d:.2f}")
    for shift in (0.0, d):
        p = 1 / (1 + np.exp(-(z + shift)))
        cells = []
        for th in (0.5, 0.8, 0.9):
            sel = p >= th
            cells.append(f">= {th}: {int((y[sel] == 1).sum())}/{int(sel.sum())} right")
        print(f"  offset {shift:.2f}: " + ", ".join(cells))


if __name__ == "__main__":
    main()
