#!/usr/bin/env python3
"""Fit the confidence model of the channel readings (glyph look-alikes and
dropped chars) by logistic regression.

Input: the feature table that `EVAL_FEATURES=FILE cargo run --release -p
baozhi-proof --example eval -- PAGES...` writes (kind, right, features...).
(Look-alike readings below the reporting floor under the current weights,
MIN_CONFIDENCE in channel.rs, are not in the table: refit from weights that
already separate, or lower the floor for the run.)
Output: the weights to paste into crates/baozhi-proof/src/channel.rs, and
the precision/recall each threshold would give on the table.

Plain Python + numpy; L2-regularised Newton steps.
"""
import sys
import numpy as np

# columns of the table after kind and right (Reading::features in channel.rs);
# the cues mean different things per kind (see Reading::cues)
NAMES = ["gain_bigram", "gain_unigram", "word_log10", "cue0", "cue1", "cue2", "cue3"]
# the features each kind's model uses (the others get weight 0)
USED = {
    # cue0: log10 probability of the printed char as a word
    "Glyph": ["gain_bigram", "gain_unigram", "word_log10", "cue0"],
    # cues: second copy starts a word, first ends one, char log10, ungrammatical
    "Doubled": NAMES,
}


# A false correction in an archive is worse than a missed one: each wrong
# reading weighs this many missed errors in the fit (cost-sensitive logistic
# regression; it lowers the bias by about ln 2).
FALSE_ALARM_COST = 2.0


def fit(x, y, l2=1.0, iters=50, neg_weight=FALSE_ALARM_COST):
    x1 = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(x1.shape[1])
    sw = np.where(y == 1, 1.0, neg_weight)
    for _ in range(iters):
        p = 1 / (1 + np.exp(-x1 @ w))
        g = x1.T @ (sw * (p - y)) + l2 * np.r_[w[:-1], 0]
        h = (x1 * (sw * p * (1 - p))[:, None]).T @ x1 + l2 * np.diag(np.r_[np.ones(len(w) - 1), 0])
        w -= np.linalg.solve(h, g)
    return w


def main():
    path = sys.argv[1]
    rows = [l.rstrip("\n").split("\t") for l in open(path, encoding="utf-8")]
    for kind in sorted({r[0] for r in rows}):
        rs = [r for r in rows if r[0] == kind]
        y = np.array([int(r[1]) for r in rs], dtype=float)
        cols = [NAMES.index(n) for n in USED[kind]]
        x = np.array([[float(v) for v in r[2:2 + len(NAMES)]] for r in rs])[:, cols]
        w = fit(x, y)
        p = 1 / (1 + np.exp(-(np.hstack([x, np.ones((len(x), 1))]) @ w)))
        full = np.zeros(len(NAMES) + 1)
        full[cols] = w[:-1]
        full[-1] = w[-1]
        print(f"{kind}: {int(y.sum())} right of {len(y)} readings")
        print("  weights [" + ", ".join(f"{v:.3f}" for v in full) + "]  # " + ", ".join(NAMES) + ", bias")
        for th in (0.5, 0.8, 0.9):
            sel = p >= th
            tp = int((y[sel] == 1).sum())
            print(f"  >= {th}: {int(sel.sum())} flagged, {tp} right, precision {tp / max(1, sel.sum()):.3f}, recall {tp / max(1, y.sum()):.3f}")


if __name__ == "__main__":
    main()
