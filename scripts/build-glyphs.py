#!/usr/bin/env python3
"""Build data/glyph-similar.tsv: visually similar Han characters (OCR confusables).

Run from the repo root (or anywhere):

    python3 scripts/build-glyphs.py

Needs (see scripts/README.md):
  * apt-get install -y fonts-noto-cjk   (Noto Sans/Serif CJK, SIL OFL 1.1)
  * pip install pillow numpy
  * pip able to download jieba==0.42.1 from PyPI (MIT); or --jieba-archive PATH
  * data/gazetteer.tsv (scripts/build-gazetteer.sh), for place-name characters

Method
  1. Characters: the N (5000) commonest Han characters, scored by the summed
     frequency of the words containing them in jieba's dict.txt, plus every Han
     character of a place name in data/gazetteer.tsv (at most --max-extra more,
     commonest in the gazetteer first).
  2. Each character is drawn at 48 px on a 64x64 canvas, centred by its ink
     bounding box, in Noto Sans CJK SC and in Noto Serif CJK SC (newspaper body
     text is mostly a Song/serif face, headlines a Hei/sans face), binarised at
     50 %, then 2x2 mean-pooled to 32x32 and blurred with a 3x3 box filter so
     that a stroke one or two pixels off still overlaps.
  3. Distance of a pair in one face: 1 - soft IoU (Tanimoto) of the blurred
     images, <a,b> / (<a,a> + <b,b> - <a,b>), taking the best overlap over
     shifts of up to +-2 px at 32x32 (+-4 px at 64x64), so bounding-box
     centring that differs by a protruding stroke (天/夫) does not matter.
     The pair's distance is the smaller of the two faces' distances: alike in
     either face means confusable.
  4. For each character keep its 8 nearest neighbours closer than THRESHOLD
     that also have it among their own 16 nearest; the pair set is symmetric
     (a row for each direction), so a character has at most 16 rows.
  The script prints the known-confusion validation pairs with their distances
  and ranks, and fails if one of them does not make it into the file.
"""
import argparse
import collections
import glob
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile

import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

JIEBA_VERSION = "0.42.1"
JIEBA_SDIST = f"jieba-{JIEBA_VERSION}.tar.gz"
JIEBA_SHA256 = "055ca12f62674fafed09427f176506079bc135638a14e23e25be909131928db2"

FONT_DIR = "/usr/share/fonts/opentype/noto"
FACES = [
    ("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    ("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
]

CANVAS = 64
FONT_PX = 48
POOL = 2  # 64x64 -> 32x32
SHIFT = 2  # in pooled pixels
NEIGHBOURS = 8
# A pair is kept only if each is also among the other's MUTUAL nearest: this
# stops dense, many-stroked glyphs (whose blurred images overlap everything a
# little) from collecting dozens of reverse entries, and bounds rows per char.
MUTUAL = 16
# Chosen from the validation below: the farthest validation pair (日/曰) is at
# ~0.185; 0.20 is about the closest 1 % of all pairs of the ~5500 characters.
THRESHOLD = 0.20

VALIDATION = ["浙淅", "未末", "己已", "戊戌", "土士", "折析", "日曰", "人入", "大太", "天夫"]
VALIDATION_MAX_RANK = 5

HEADER = [
    "# source: glyph bitmaps of Noto Sans CJK SC and Noto Serif CJK SC (fonts-noto-cjk, SIL OFL 1.1)"
    " for the commonest chars by jieba dict.txt (MIT) frequency; built by scripts/build-glyphs.py",
    "# columns: char<TAB>neighbour<TAB>distance(0..1, lower is more alike)",
]


def is_han(c):
    o = ord(c)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or o == 0x3007


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_jieba_dict(archive):
    """Return the text of jieba/dict.txt from an sdist (.tar.gz) or a wheel."""
    if archive.endswith(".whl") or archive.endswith(".zip"):
        with zipfile.ZipFile(archive) as z:
            name = next(n for n in z.namelist() if n.endswith("jieba/dict.txt"))
            return z.read(name).decode("utf-8")
    with tarfile.open(archive) as t:
        member = next(m for m in t.getmembers() if m.name.endswith("jieba/dict.txt"))
        return t.extractfile(member).read().decode("utf-8")


def fetch_jieba(tmp):
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
         "-q", "-d", tmp, f"jieba=={JIEBA_VERSION}"],
        check=True,
    )
    path = os.path.join(tmp, JIEBA_SDIST)
    got = sha256(path)
    if got != JIEBA_SHA256:
        sys.exit(f"{JIEBA_SDIST}: sha256 {got}, expected {JIEBA_SHA256}")
    return path


def char_scores(dict_text):
    score = collections.Counter()
    for line in dict_text.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        word, freq = parts[0], int(parts[1])
        for c in set(word):
            if is_han(c):
                score[c] += freq
    return score


def gazetteer_chars(path):
    count = collections.Counter()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            for c in line.split("\t")[1]:
                if is_han(c):
                    count[c] += 1
    return count


def load_face(filename, family):
    path = os.path.join(FONT_DIR, filename)
    if not os.path.exists(path):
        sys.exit(f"{path} missing: apt-get install -y fonts-noto-cjk")
    for index in range(16):
        try:
            font = ImageFont.truetype(path, FONT_PX, index=index)
        except OSError:
            break
        if font.getname()[0] == family:
            return font
    sys.exit(f"{family} not found in {path}")


def draw(font, c):
    im = Image.new("L", (CANVAS, CANVAS), 0)
    left, top, right, bottom = font.getbbox(c)
    ImageDraw.Draw(im).text(
        (CANVAS / 2 - (left + right) / 2, CANVAS / 2 - (top + bottom) / 2), c, font=font, fill=255)
    return np.asarray(im) > 127


def render(font, chars):
    """Binarised 64x64 bitmaps; chars the face lacks come back as None."""
    notdef = draw(font, "\ue000")  # private use: drawn as the .notdef box
    out = []
    for c in chars:
        b = draw(font, c)
        out.append(None if (not b.any() or np.array_equal(b, notdef)) else b)
    return out


def soften(bitmaps):
    """Binary (n,64,64) -> pooled 32x32, 3x3 box blurred, float32 (n,32,32)."""
    n = bitmaps.shape[0]
    s = CANVAS // POOL
    x = bitmaps.astype(np.float32).reshape(n, s, POOL, s, POOL).mean((2, 4))
    p = np.pad(x, ((0, 0), (1, 1), (1, 1)))
    blurred = np.zeros_like(x)
    for dy in range(3):
        for dx in range(3):
            blurred += p[:, dy:dy + s, dx:dx + s]
    return blurred / 9.0


def distance_matrix(x):
    """1 - soft IoU, best over shifts of up to SHIFT px; x is (n,s,s)."""
    n, s, _ = x.shape
    flat = x.reshape(n, -1)
    norm = (flat * flat).sum(1)
    padded = np.pad(x, ((0, 0), (SHIFT, SHIFT), (SHIFT, SHIFT)))
    best = None
    for dy in range(-SHIFT, SHIFT + 1):
        for dx in range(-SHIFT, SHIFT + 1):
            y = padded[:, SHIFT + dy:SHIFT + dy + s, SHIFT + dx:SHIFT + dx + s].reshape(n, -1)
            dot = flat @ y.T
            best = dot if best is None else np.maximum(best, dot, out=best)
    union = norm[:, None] + norm[None, :] - best
    d = 1.0 - best / np.maximum(union, 1e-9)
    # <a, shift(b)> over a symmetric shift set is symmetric; remove float noise.
    d = np.minimum(d, d.T)
    return np.clip(d, 0.0, 1.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--jieba-archive", help=f"a downloaded {JIEBA_SDIST} (or wheel) to use instead of pip download")
    ap.add_argument("--gazetteer", default=os.path.join(ROOT, "data", "gazetteer.tsv"))
    ap.add_argument("--out", default=os.path.join(ROOT, "data", "glyph-similar.tsv"))
    ap.add_argument("--common", type=int, default=5000, help="how many commonest characters")
    ap.add_argument("--max-extra", type=int, default=1000, help="cap on extra gazetteer characters")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        archive = args.jieba_archive or fetch_jieba(tmp)
        scores = char_scores(read_jieba_dict(archive))
    common = [c for c, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:args.common]]
    in_common = set(common)
    if not os.path.exists(args.gazetteer):
        sys.exit(f"{args.gazetteer} missing: bash scripts/build-gazetteer.sh")
    gz = gazetteer_chars(args.gazetteer)
    extra_all = [c for c, _ in sorted(gz.items(), key=lambda kv: (-kv[1], kv[0])) if c not in in_common]
    extra = extra_all[:args.max_extra]
    chars = common + extra
    print(f"jieba Han chars: {len(scores)}; commonest taken: {len(common)}; "
          f"gazetteer chars: {len(gz)}, not among those: {len(extra_all)}, added: {len(extra)}")

    faces = [load_face(f, fam) for f, fam in FACES]
    drawn = [render(font, chars) for font in faces]
    keep = [i for i in range(len(chars)) if all(d[i] is not None for d in drawn)]
    missing = [chars[i] for i in range(len(chars)) if i not in set(keep)]
    if missing:
        print(f"dropped {len(missing)} chars missing from a face: {''.join(missing)}")
    chars = [chars[i] for i in keep]
    n = len(chars)

    dist = None
    for (f, fam), d in zip(FACES, drawn):
        x = soften(np.stack([d[i] for i in keep]))
        m = distance_matrix(x)
        dist = m if dist is None else np.minimum(dist, m, out=dist)
        del m
    np.fill_diagonal(dist, np.inf)

    # Nearest neighbours per char, then symmetric pair set.
    order = np.argsort(dist, axis=1, kind="stable")[:, :MUTUAL]
    near = [set(row.tolist()) for row in order]
    pairs = {}
    for a in range(n):
        for b in order[a, :NEIGHBOURS].tolist():
            d = float(dist[a, b])
            if d < THRESHOLD and a in near[b]:
                pairs[(a, b)] = d
                pairs[(b, a)] = d

    # Validation on known OCR confusions.
    index = {c: i for i, c in enumerate(chars)}
    ok = True
    print(f"validation (rank = place among all {n - 1} others, 1 = nearest; threshold {THRESHOLD}):")
    for p in VALIDATION:
        a, b = index[p[0]], index[p[1]]
        d = dist[a, b]
        rank_ab = int((dist[a] < d).sum()) + 1
        rank_ba = int((dist[b] < d).sum()) + 1
        written = (a, b) in pairs
        print(f"  {p[0]}/{p[1]}  distance {d:.3f}  rank {rank_ab} in {p[0]}'s list, {rank_ba} in {p[1]}'s"
              f"{'' if written else '  NOT WRITTEN'}")
        if not written or max(rank_ab, rank_ba) > VALIDATION_MAX_RANK:
            ok = False
    iu = np.triu_indices(n, 1)
    share = float((dist[iu] < THRESHOLD).mean())
    print(f"pairs closer than {THRESHOLD}: {share:.2%} of all; 0.1%-quantile of all pair distances: "
          f"{float(np.quantile(dist[iu], 0.001)):.3f}")

    rows = sorted(((chars[a], chars[b], d) for (a, b), d in pairs.items()),
                  key=lambda r: (ord(r[0]), r[2], ord(r[1])))
    tmp_out = args.out + ".tmp"
    with open(tmp_out, "w", encoding="utf-8", newline="\n") as f:
        for h in HEADER:
            f.write(h + "\n")
        for a, b, d in rows:
            f.write(f"{a}\t{b}\t{d:.3f}\n")
    os.replace(tmp_out, args.out)

    per_char = collections.Counter(r[0] for r in rows)
    hist = collections.Counter(per_char.values())
    print(f"wrote {args.out}: {len(rows)} rows, {len(per_char)} of {n} chars have neighbours, "
          f"{os.path.getsize(args.out)} bytes; rows per char: "
          + ", ".join(f"{k}:{hist[k]}" for k in sorted(hist)))
    if not ok:
        sys.exit("validation failed: a known confusion pair is missing or ranks too low")


if __name__ == "__main__":
    main()
