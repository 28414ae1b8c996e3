#!/usr/bin/env python3
"""Fit the page engine's line model and write data/layout-lines.tsv.

usage: fit-layout.py TABLE.tsv [--out data/layout-lines.tsv] [--l2 X]

TABLE is what `cargo run --release -p baozhi-layout --example linefeatures
-- PAGES...` writes for pages of `scripts/pagegen.py --split train`: one row
per line with its page, gold label and features. The model is a
multinomial logistic regression over the line's own features and its two
neighbours' (self/prev/next), L2-regularised, fitted by full-batch
gradient descent with Adam; the transition table is the smoothed
log-probability of each label after the one before (and at the page's
start). The weight of the transitions in the Viterbi decode is chosen on
pages of dates held out of the fit (a fifth of the table's dates), and the
line accuracy there is printed, per label.

Plain Python + numpy. The same table and options give the same file.
"""
import argparse
import collections
import os
import sys
import zlib

import numpy as np

LABELS = ["header", "label", "kicker", "title", "subtitle", "byline", "para", "cont", "heading", "caption", "credit", "jump"]
CONTEXTS = ["self", "prev", "next"]
# A line with no label (`skip`: an OCR line that matched nothing printed):
# it is its neighbours' context, but neither fitted nor scored, and no
# transition is counted into or out of it.
SKIP = -1
# add-one smoothing of the transition counts keeps every sequence possible
TRANS_SMOOTH = 1.0
TRANS_WEIGHTS = [0.0, 0.25, 0.5, 0.75, 1.0]
STEPS = 300
RATE = 0.05
# The hidden layer: minibatch Adam, a few passes over the table.
HIDDEN = 32
EPOCHS = 30
BATCH = 2048
MLP_RATE = 0.005


def read(path):
    pages = collections.OrderedDict()
    with open(path, encoding="utf-8") as f:
        names = f.readline().rstrip("\n").split("\t")[3:]
        for line in f:
            c = line.rstrip("\n").split("\t")
            label = SKIP if c[2] == "skip" else LABELS.index(c[2])
            pages.setdefault(c[0], []).append((label, [float(x) for x in c[3:]]))
    return names, pages


def date_of(page):
    # FORM-rmrb-YYYY-MM-DD-pPP.txt
    i = page.index("-rmrb-") + 6
    return page[i:i + 10]


def inputs(rows):
    f = np.array([r[1] for r in rows], dtype=np.float32)
    z = np.zeros((1, f.shape[1]))
    prev = np.vstack([z, f[:-1]])
    nxt = np.vstack([f[1:], z])
    return np.hstack([f, prev, nxt]), np.array([r[0] for r in rows])


def adam(params, grads, state, t, rate):
    for name, g in grads.items():
        m1, m2 = state.setdefault(name, (np.zeros_like(g), np.zeros_like(g)))
        m1 = 0.9 * m1 + 0.1 * g
        m2 = 0.999 * m2 + 0.001 * g * g
        state[name] = (m1, m2)
        params[name] -= rate * (m1 / (1 - 0.9 ** t)) / (np.sqrt(m2 / (1 - 0.999 ** t)) + 1e-8)


def forward(Xs, P):
    """Logits of the model on standardized inputs, and the hidden layer."""
    s = Xs @ P["W"] + P["b"]
    h = None
    if "V" in P:
        h = np.maximum(Xs @ P["V"] + P["c"], 0)
        s = s + h @ P["U"]
    return s, h


def fit(X, y, l2, hidden, seed=0):
    """Multinomial logistic regression over the inputs, plus (hidden > 0)
    a layer of `hidden` ReLU units between inputs and labels, which lets
    the model weigh one feature differently depending on others (a short
    line after a byline is a title, after a paragraph a heading)."""
    n, d = X.shape
    k = len(LABELS)
    mu = X.mean(0)
    sd = X.std(0)
    sd[sd == 0] = 1
    Xs = ((X - mu) / sd).astype(np.float32)
    Y = np.eye(k, dtype=np.float32)[y]
    rng = np.random.default_rng(seed)
    P = {"W": np.zeros((d, k), np.float32), "b": np.zeros(k, np.float32)}
    if hidden:
        P["V"] = (rng.standard_normal((d, hidden)) / np.sqrt(d)).astype(np.float32)
        P["c"] = np.zeros(hidden, np.float32)
        P["U"] = (rng.standard_normal((hidden, k)) * 0.01).astype(np.float32)
    state = {}
    if not hidden:
        # full batch, as the linear model always was
        batches = [(STEPS, None)]
    else:
        batches = [(EPOCHS, BATCH)]
    t = 0
    for rounds, size in batches:
        for _ in range(rounds):
            order = rng.permutation(n) if size else [np.arange(n)]
            chunks = [order[i:i + size] for i in range(0, n, size)] if size else order
            for idx in chunks:
                xb, yb = Xs[idx], Y[idx]
                m = len(idx)
                s, h = forward(xb, P)
                s -= s.max(1, keepdims=True)
                p = np.exp(s)
                p /= p.sum(1, keepdims=True)
                g = (p - yb) / m
                grads = {"W": xb.T @ g + l2 * P["W"] / n, "b": g.sum(0)}
                if hidden:
                    grads["U"] = h.T @ g + l2 * P["U"] / n
                    gh = (g @ P["U"].T) * (h > 0)
                    grads["V"] = xb.T @ gh + l2 * P["V"] / n
                    grads["c"] = gh.sum(0)
                t += 1
                adam(P, grads, state, t, RATE if not hidden else MLP_RATE)
    # back to the raw features: w·(x-mu)/sd + b = (w/sd)·x + (b - Σ w mu/sd)
    R = {"W": P["W"] / sd[:, None], "b": P["b"] - (mu / sd) @ P["W"]}
    if hidden:
        R["V"] = P["V"] / sd[:, None]
        R["c"] = P["c"] - (mu / sd) @ P["V"]
        R["U"] = P["U"]
    return R


def ensemble(models):
    """One model whose scores are the mean of the models' scores (their
    log-probabilities averaged, up to normalisation): the linear parts
    averaged, the hidden layers side by side with their output weights
    divided by the number of models. A single fit's held-out accuracy per
    form moves by a few hundredths with the seed; the mean of a few does
    not, and is as good as their best."""
    if len(models) == 1:
        return models[0]
    k = len(models)
    R = {"W": sum(m["W"] for m in models) / k, "b": sum(m["b"] for m in models) / k}
    if "V" in models[0]:
        R["V"] = np.hstack([m["V"] for m in models])
        R["c"] = np.concatenate([m["c"] for m in models])
        R["U"] = np.vstack([m["U"] for m in models]) / k
    return R


def transitions(seqs):
    k = len(LABELS)
    c = np.full((k + 1, k), TRANS_SMOOTH)
    for y in seqs:
        prev = k
        for l in y:
            if l != SKIP and prev != SKIP:
                c[prev, l] += 1
            prev = l
    return np.log(c / c.sum(1, keepdims=True))


def decode(emit, trans, tw):
    n, k = emit.shape
    score = emit[0] + tw * trans[k]
    # nothing above the first line for it to continue (as tagger.rs decodes)
    score[LABELS.index("cont")] = -np.inf
    back = np.zeros((n, k), dtype=int)
    for i in range(1, n):
        cand = score[:, None] + tw * trans[:k]
        back[i] = cand.argmax(0)
        score = cand.max(0) + emit[i]
    out = [int(score.argmax())]
    for i in range(n - 1, 0, -1):
        out.append(int(back[i][out[-1]]))
    return out[::-1]


def log_probs(X, P):
    s, _ = forward(X, P)
    s -= s.max(1, keepdims=True)
    return s - np.log(np.exp(s).sum(1, keepdims=True))


def accuracy(pages, P, trans, tw):
    right = collections.Counter()
    total = collections.Counter()
    for X, y in pages:
        pred = decode(log_probs(X, P), trans, tw)
        for g, p in zip(y, pred):
            if g == SKIP:
                continue
            total[g] += 1
            right[g] += g == p
    return sum(right.values()) / max(1, sum(total.values())), right, total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("table")
    ap.add_argument("--out", default="data/layout-lines.tsv")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--hidden", type=int, default=HIDDEN,
                    help="ReLU units between inputs and labels (0: the linear model)")
    ap.add_argument("--seed", type=int, default=0, help="the hidden layer's initial weights and batches")
    ap.add_argument("--seeds", type=int, default=1,
                    help="fit this many models (seeds SEED, SEED+1, ...) and write their average")
    ap.add_argument("--all", action="store_true", help="refit on every page before writing")
    a = ap.parse_args()
    names, pages = read(a.table)
    data = {p: inputs(r) for p, r in pages.items()}
    held = {p for p in data if zlib.crc32(("check " + date_of(p)).encode()) % 5 == 0}
    fit_pages = [p for p in data if p not in held]
    X = np.vstack([data[p][0] for p in fit_pages])
    y = np.concatenate([data[p][1] for p in fit_pages])
    print(f"fitting on {len(fit_pages)} pages ({len(y)} lines, {int((y == SKIP).sum())} without a label); "
          f"checking on {len(held)} pages", file=sys.stderr)
    P = ensemble([fit(X[y != SKIP], y[y != SKIP], a.l2, a.hidden, a.seed + k) for k in range(a.seeds)])
    trans = transitions([data[p][1] for p in fit_pages])
    best = None
    for tw in TRANS_WEIGHTS:
        acc, right, total = accuracy([data[p] for p in held], P, trans, tw)
        print(f"trans_weight {tw}: held-out line accuracy {acc:.4f}", file=sys.stderr)
        if best is None or acc > best[0] + 1e-9:
            best = (acc, tw, right, total)
    acc, tw, right, total = best
    for k, l in enumerate(LABELS):
        if total[k]:
            print(f"  {l:8} {right[k] / total[k]:.3f} of {total[k]}", file=sys.stderr)
    if a.all:
        # the shipped model is fitted on every page of the table
        X = np.vstack([data[p][0] for p in data])
        y = np.concatenate([data[p][1] for p in data])
        P = ensemble([fit(X[y != SKIP], y[y != SKIP], a.l2, a.hidden, a.seed + k) for k in range(a.seeds)])
        trans = transitions([data[p][1] for p in data])
    tmp = a.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("# The page engine's line model (crates/baozhi-layout/src/tagger.rs).\n")
        f.write("# Written by scripts/fit-layout.py from pages that scripts/pagegen.py laid out\n")
        f.write(f"# from ../shared/corpus/rmrb.jsonl ({len(data)} pages, {len(y)} lines; l2 {a.l2}; "
                f"{a.hidden} hidden units" + (f", the mean of {a.seeds} fits (seeds {a.seed}..{a.seed + a.seeds - 1})"
                                              if a.seeds > 1 else "") + ").\n")
        f.write(f"# Held-out line accuracy (dates left out of the fit): {acc:.4f}.\n")
        f.write("# Rows: labels; trans_weight; trans FROM then log P(to|FROM) per label;\n")
        f.write("# w CONTEXT:FEATURE then one weight per label (the bias is self:bias);\n")
        f.write("# hidden H; v CONTEXT:FEATURE then one weight per hidden unit; vbias per unit;\n")
        f.write("# u LABEL then the weight of each hidden unit (ReLU) on that label.\n")
        f.write("labels\t" + "\t".join(LABELS) + "\n")
        f.write(f"trans_weight\t{tw}\n")
        for i, frm in enumerate(LABELS + ["start"]):
            row = trans[i] if frm != "start" else trans[len(LABELS)]
            f.write(f"trans\t{frm}\t" + "\t".join(f"{v:.5f}" for v in row) + "\n")
        d = len(names)
        W, b = P["W"], P["b"]
        for c, ctx in enumerate(CONTEXTS):
            for j, nm in enumerate(names):
                w = W[c * d + j].copy()
                if ctx == "self" and nm == "bias":
                    w = w + b
                f.write(f"w\t{ctx}:{nm}\t" + "\t".join(f"{v:.5f}" for v in w) + "\n")
        if "V" in P:
            f.write(f"hidden\t{P['V'].shape[1]}\n")
            for c, ctx in enumerate(CONTEXTS):
                for j, nm in enumerate(names):
                    f.write(f"v\t{ctx}:{nm}\t" + "\t".join(f"{v:.5f}" for v in P["V"][c * d + j]) + "\n")
            f.write("vbias\t" + "\t".join(f"{v:.5f}" for v in P["c"]) + "\n")
            for k, l in enumerate(LABELS):
                f.write(f"u\t{l}\t" + "\t".join(f"{v:.5f}" for v in P["U"][:, k]) + "\n")
    os.replace(tmp, a.out)
    print(f"wrote {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
