#!/usr/bin/env python3
"""The mean of two line-model files (`data/layout-lines.tsv`), as one file.

usage: mean-layout.py NEW.tsv OLD.tsv [--new-share X] > data/layout-lines.tsv

With `--new-share X` (0 < X < 1; default 0.5) the mean is weighted: NEW's
scores count X, OLD's 1 - X.

The linear parts (`w`), the transition table (`trans`) and its weight are
averaged; the hidden layers are set side by side (`v`, `vbias`) and each
one's output weights (`u`) halved, so the scores are the mean of the two
models' scores, as `fit-layout.py --seeds N` makes the mean of N fits.
A feature NEW has and OLD does not (a feature added since OLD was fitted)
gets OLD's weight 0, which is what OLD gave it; a feature OLD has and NEW
does not is an error (the engine no longer computes it).
"""
import sys


def read(path):
    header, rows = [], []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        if line.startswith("#"):
            header.append(line)
        else:
            rows.append(line.split("\t"))
    return header, rows


def one(rows, kind):
    return next(r for r in rows if r[0] == kind)


def table(rows, kind):
    return {r[1]: [float(x) for x in r[2:]] for r in rows if r[0] == kind}


def main():
    args = sys.argv[1:]
    share = 0.5
    if len(args) == 4 and args[2] == "--new-share":
        share = float(args[3])
        args = args[:2]
    if len(args) != 2 or not 0.0 < share < 1.0:
        sys.exit(__doc__)
    (head_new, new), (_, old) = read(args[0]), read(args[1])
    mix = lambda x, y: share * x + (1.0 - share) * y
    if one(new, "labels") != one(old, "labels"):
        sys.exit("the two files have different labels")
    for kind in ("w", "v"):
        gone = set(table(old, kind)) - set(table(new, kind))
        if gone:
            sys.exit(f"{args[1]} has inputs the engine no longer computes: {sorted(gone)[:5]}")
    out = ["# The mean of two line models (scripts/mean-layout.py):",
           f"# {args[0]} (share {share:g}) and {args[1]}. The first one's header:"]
    out += ["#   " + h.lstrip("# ") for h in head_new]
    out.append("\t".join(one(new, "labels")))
    tw = mix(float(one(new, "trans_weight")[1]), float(one(old, "trans_weight")[1]))
    out.append(f"trans_weight\t{tw:g}")
    for kind in ("trans", "w"):
        a, b = table(new, kind), table(old, kind)
        for k, xs in a.items():
            ys = b.get(k, [0.0] * len(xs))
            out.append("\t".join([kind, k] + [f"{mix(x, y):.5f}" for x, y in zip(xs, ys)]))
    ha, hb = int(one(new, "hidden")[1]), int(one(old, "hidden")[1])
    out.append(f"hidden\t{ha + hb}")
    a, b = table(new, "v"), table(old, "v")
    for k, xs in a.items():
        out.append("\t".join(["v", k] + [f"{x:.5f}" for x in xs + b.get(k, [0.0] * hb)]))
    vbias = [float(x) for x in one(new, "vbias")[1:]] + [float(x) for x in one(old, "vbias")[1:]]
    out.append("\t".join(["vbias"] + [f"{x:.5f}" for x in vbias]))
    a, b = table(new, "u"), table(old, "u")
    for k, xs in a.items():
        out.append("\t".join(["u", k] + [f"{share * x:.5f}" for x in xs]
                              + [f"{(1.0 - share) * y:.5f}" for y in b[k]]))
    print("\n".join(out))


if __name__ == "__main__":
    main()
