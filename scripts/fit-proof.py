#!/usr/bin/env python3
"""Fit the confidence models of the channel readings (glyph look-alikes,
doubled chars and dropped chars) by logistic regression.

Input: the feature tables that `EVAL_FEATURES=FILE cargo run --release -p
baozhi-proof --example eval -- PAGES...` (injected errors) and the
`ocreval` example (real OCR; its `Mark` rows are punctuation findings, whose
measured confidence is printed apart) write, concatenated: kind, label (1 right, 0 a
false alarm on clean print, 2 a wrong fix next to another injected error,
left out), the features, then the reading, its context and the article's
index (for the held-out check). Every reading the models gain from is in
the table, whatever the current weights say.
Output: the weights to paste into crates/baozhi-proof/src/channel.rs
(GLYPH_WEIGHTS, DOUBLED_WEIGHTS) and omission.rs (OMISSION_WEIGHTS), and
the precision/recall each threshold gives on the table, in sample and held
out (fitted on half of the articles, scored on the other half).

Plain Python + numpy; L2-regularised Newton steps.
"""
import os
import sys
import numpy as np

# columns of the table after kind and right (Reading::features in channel.rs);
# the cues mean different things per kind (see Reading::cues)
NAMES = ["gain_bigram", "gain_unigram", "gain_char", "word_log10", "cue0", "cue1", "cue2", "cue3", "cue4", "cue5", "cue6", "cue7"]
# the char model finds a doubled char in a name or a tentative verb (谭兰兰,
# 喝喝茶) as odd as a doubling, and with it, clean phrases pass 0.8 when
# their article is held out
DOUBLED_LEFT_OUT = {"gain_char", "cue7"}
# cue7 is Tesseract's count of a look-alike's confusion: 0 for the others
GLYPH_ONLY = {"cue7"}
# the features each kind's model uses (the others get weight 0)
USED = {
    # cues: printed char's log10 as a word, the look-alike's, glyph
    # distance, backing word length, printed char's boundness, lone
    # neighbours, echo in the article, ln(1 + times Tesseract read the
    # look-alike as the printed char)
    "Glyph": NAMES,
    # cues: second copy starts a word, first ends one, char log10,
    # ungrammatical, lexical reduplication, pair listed, echo
    "Doubled": [n for n in NAMES if n not in DOUBLED_LEFT_OUT],
    # cues: margin over the next fill, the seam's log10, boundness of the
    # chars on either side, lone tokens beside the gap, backing word length,
    # echo
    "Dropped": [n for n in NAMES if n not in GLYPH_ONLY],
}


# Kinds whose wrong fix at a real error (label 2) counts as a false
# alarm: a look-alike reading is chosen among several at its place (千 or
# 十 for 干), and the readings that lose there teach the weights which
# wins; writing 十亿 for 千亿 is as wrong as a correction of clean print.
WRONG_FIX_IS_WRONG = set(os.environ.get("FIT_WRONG_FIX_IS_WRONG", "Glyph").split(",")) - {""}


# A false correction in an archive is worse than a missed one: each wrong
# reading weighs this many missed errors in the fit (cost-sensitive logistic
# regression; it lowers the bias by about ln 6). The clean text of the fit
# is news prose; real pages also print lists of names and terms newer than
# every lexicon here (a 2 let 省域 read as 省城 at 0.59 on a real page), so
# false alarms are weighed well above misses: 6 costs 1% of recall at 0.8.
FALSE_ALARM_COST = 6.0


# The clean text is small (~27,000 chars, noised 16 times), so a clean
# phrase that fools the models recurs in every round. L2 = 10 is the least
# that leaves no false alarm at >= 0.8 in two-fold cross-validation by
# article on one draw of errors (1 and 5 leave one or two phrases, x16);
# 30 loses 5-10% recall there. A table of several draws (EVAL_SEED) holds
# that many more readings, so the penalty grows with it: FIT_L2=30 for six.
#
# How the shipped weights were fitted: on corpus pages only, never on the
# dev pages (which are for checking), and on pages whose text the char model
# of the features never saw, as a user's text is. The shipped char model
# (data/chargrams.tsv) counts the corpus outside fold 0's test dates, so the
# fit uses a char model built the same way without fold 1's test dates
# (`build-charlm.py --corpus ../shared/corpus/rmrb.jsonl --fold 1 --out
# data/chargrams.tsv`, put back afterwards) and the 250 pages of fold 1's
# test dates (`scripts/pagegen.py --out /tmp/fit-pages --split test --fold 1
# --forms block --pages 250 --seed 5`: 1.2 M chars of clean print), noised
# eight times (`EVAL_ROUNDS=8`, the default draw, EVAL_GLYPH_TAU=0.05),
# FIT_L2=20. Beside them, the readings `ocreval` writes of real OCR
# (`EVAL_FEATURES=/tmp/ocrf.tsv target/release/examples/ocreval
# /tmp/pairs-fit.jsonl`, the same char model): Tesseract's text of 40 pages
# of fold 1's test dates (`scripts/printpages.py --out /tmp/ocr-fit --split
# test --fold 1 --pages 40 --seed 13 --tools tesseract`, paired by
# `scripts/ocr-proof-pairs.py`), whose `Mark` rows give the punctuation
# confidences of detect.rs. Both files are concatenated into one fit.
# Checked with the shipped model on 100 pages of fold 0's test
# dates (`--split test --fold 0 --forms block --pages 100 --seed 7`), which
# neither model nor fit saw: see README "Proofreading" for the numbers.
# With this much clean print the tentative verbs, names and distributive
# pairs a page prints (逛逛, 悦悦, 村村) outnumber injected doublings in the
# fit, and the doubled model is far more careful than the one fitted on the
# dev pages was.
L2 = float(os.environ.get("FIT_L2", "10"))


def fit(x, y, rw=None, l2=L2, iters=50, neg_weight=FALSE_ALARM_COST):
    x1 = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(x1.shape[1])
    sw = np.where(y == 1, 1.0, neg_weight) * (1.0 if rw is None else rw)
    for _ in range(iters):
        p = 1 / (1 + np.exp(-x1 @ w))
        g = x1.T @ (sw * (p - y)) + l2 * np.r_[w[:-1], 0]
        h = (x1 * (sw * p * (1 - p))[:, None]).T @ x1 + l2 * np.diag(np.r_[np.ones(len(w) - 1), 0])
        w -= np.linalg.solve(h, g)
    return w


def report(p, y):
    """Precision and recall of confidences `p` against labels `y`."""
    for th in (0.5, 0.8, 0.9):
        sel = p >= th
        tp = int((y[sel] == 1).sum())
        print(f"  >= {th}: {int(sel.sum())} flagged, {tp} right, precision {tp / max(1, sel.sum()):.3f}, recall {tp / max(1, y.sum()):.3f}")


# The confidence of a punctuation reading is the share of its findings that
# were right on real OCR, smoothed by one right and one wrong finding
# (Laplace) so that a mark seen a few times claims no certainty.
def marks(rows):
    tally = {}
    for kind, right, mark, suggestion, _source, _weight in rows:
        t = tally.setdefault((mark, suggestion), [0, 0])
        t[0] += int(right)
        t[1] += 1
    print("Marks (detect.rs HALF_WIDTH_CONFIDENCE, STRAIGHT_QUOTE_CONFIDENCE):")
    for (mark, suggestion), (right, n) in sorted(tally.items()):
        print(f"  {mark} -> {suggestion}: {right}/{n} right, confidence {(right + 1) / (n + 2):.2f}")


# Rows of the tables after the first (real OCR, where the first holds
# injected errors) weigh this much each: the injected table holds twenty
# times more readings, and real OCR is what users bring. 5 is the most that
# keeps the held-out precision at >= 0.8 over all readings at 0.985 or
# better (1: 0.989, 3: 0.989, 5: 0.988, 10: 0.981, 20: 0.979), while the
# held-out recall of real OCR's readings at 0.8 grows from 0.30 (1) to 0.46.
OCR_WEIGHT = float(os.environ.get("FIT_OCR_WEIGHT", "5"))


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: fit-proof.py INJECTED.tsv [OCR.tsv...]")
    # each row ends with its table (0: injected errors, 1+: real OCR) and
    # its weight in the fit
    rows = []
    for k, path in enumerate(sys.argv[1:]):
        weight = "1" if k == 0 else str(OCR_WEIGHT)
        rows += [l.rstrip("\n").split("\t") + [str(k), weight] for l in open(path, encoding="utf-8")]
    mark_rows = [r for r in rows if r[0] == "Mark"]
    rows = [r for r in rows if r[0] != "Mark"]
    if mark_rows:
        marks(mark_rows)
    for kind in sorted({r[0] for r in rows}):
        # label 2: a wrong reading next to another injected error, which
        # flags a real error with the wrong fix: neither right nor a false
        # alarm on clean print
        rs = [r for r in rows if r[0] == kind and (r[1] != "2" or kind in WRONG_FIX_IS_WRONG)]
        y = np.array([int(r[1] == "1") for r in rs], dtype=float)
        cols = [NAMES.index(n) for n in USED[kind]]
        x = np.array([[float(v) for v in r[2:2 + len(NAMES)]] for r in rs])[:, cols]
        rw = np.array([float(r[-1]) for r in rs])
        ocr = np.array([r[-2] != "0" for r in rs])
        w = fit(x, y, rw)
        p = 1 / (1 + np.exp(-(np.hstack([x, np.ones((len(x), 1))]) @ w)))
        full = np.zeros(len(NAMES) + 1)
        full[cols] = w[:-1]
        full[-1] = w[-1]
        print(f"{kind}: {int(y.sum())} right of {len(y)} readings")
        print("  weights [" + ", ".join(f"{v:.3f}" for v in full) + "]  # " + ", ".join(NAMES) + ", bias")
        report(p, y)
        # held out: fit on every other article, score the rest, and back
        art = np.array([int(r[-3]) for r in rs])
        held = np.zeros(len(y))
        for fold in (0, 1):
            train = art % 2 != fold
            wf = fit(x[train], y[train], rw[train])
            test = ~train
            held[test] = 1 / (1 + np.exp(-(np.hstack([x[test], np.ones((test.sum(), 1))]) @ wf)))
        print("  held out (two-fold by article):")
        report(held, y)
        if ocr.any():
            print("  held out, real OCR's readings alone:")
            report(held[ocr], y[ocr])


if __name__ == "__main__":
    main()
