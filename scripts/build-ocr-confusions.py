#!/usr/bin/env python3
"""Build data/ocr-confusions.tsv: the Han characters Tesseract reads in
place of others, counted on corpus pages it read.

    python3 scripts/printpages.py --out /tmp/ocr-fit --split test --fold 1 \\
        --pages 40 --seed 6 --tools tesseract
    python3 scripts/printpages.py --out /tmp/ocr-conf --split test --fold 2 \\
        --pages 40 --seed 17 --tools tesseract
    python3 scripts/printpages.py --out /tmp/ocr-conf3 --split test --fold 3 \\
        --pages 40 --seed 19 --tools tesseract
    python3 scripts/printpages.py --out /tmp/ocr-conf4 --split test --fold 4 \\
        --pages 40 --seed 23 --tools tesseract
    for d in ocr-fit ocr-conf ocr-conf3 ocr-conf4; do
        python3 scripts/ocr-proof-pairs.py /tmp/$d > /tmp/pairs-$d.jsonl
    done
    python3 scripts/build-ocr-confusions.py /tmp/pairs-ocr-*.jsonl > data/ocr-confusions.tsv

(The shipped table: these 160 pages of folds 1-4, 2,653 pairs. The
OCR offset and the weights are fitted on fold 1's pages with a table of
the other folds alone, as a user's page meets it; see
scripts/fit-ocr-prior.py.)

Input: pairs of printed and OCR paragraphs (`scripts/ocr-proof-pairs.py`)
of pages `scripts/printpages.py` laid out from `../shared/corpus/rmrb.jsonl`,
printed to PDF by headless Chromium, rasterized by poppler and read by
Tesseract `chi_sim` (Debian's packages). Each OCR paragraph is aligned to
its print by edit distance (rapidfuzz's `Levenshtein.editops`); a
replacement of one Han character by another is a confusion `read ->
printed`.

Output: `read<TAB>printed<TAB>count`, most frequent first per read char.
Only the pairs of characters are kept, never text, so no article can be
read back from the table.

Why a table beside the glyph table (`data/glyph-similar.tsv`): Tesseract's
confusions are its own. On 30 pages of fold 0 it read 千 as 干 27 times, 眼
as 腿 16 and 亩 as 雷 4, and only one in five of its Han substitutions has
the print among the char's look-alikes by font bitmap. Which pages: the
pages of every fold but 0, whose pages the evaluation reads (`ocreval` on
fold 0's pages); the weights' fit reads fold 1's pages with a table built
without them (fold 2's alone), so the fit sees the table as a user's page
does.

Needs rapidfuzz (pip).
"""
import collections
import json
import sys

from rapidfuzz.distance import Levenshtein

# A confusion seen this many times goes into the table. Once is enough:
# the table proposes readings, the language models and the fitted weights
# (with the count as a feature) decide on them.
MIN_COUNT = 1


def is_han(c):
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def confusions(path):
    """(read, printed) for every Han substitution in the pairs at `path`."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            pair = json.loads(line)
            printed = pair["clean"]["paragraphs"]
            read = pair["ocr"]["paragraphs"]
            for p, r in zip(printed, read):
                a, b = r["text"], p["text"]
                for op, i, j in Levenshtein.editops(a, b):
                    if op == "replace" and is_han(a[i]) and is_han(b[j]):
                        out.append((a[i], b[j]))
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: build-ocr-confusions.py PAIRS.jsonl... > data/ocr-confusions.tsv")
    counts = collections.Counter()
    for path in sys.argv[1:]:
        counts.update(confusions(path))
    rows = sorted(
        ((r, p, n) for (r, p), n in counts.items() if n >= MIN_COUNT),
        key=lambda t: (t[0], -t[2], t[1]),
    )
    out = sys.stdout
    for r, p, n in rows:
        out.write(f"{r}\t{p}\t{n}\n")
    print(f"{len(rows)} confusions over {len({r for r, _, _ in rows})} read chars, "
          f"{sum(counts.values())} substitutions", file=sys.stderr)


if __name__ == "__main__":
    main()
