#!/usr/bin/env python3
"""Build data/bigrams.tsv and data/unigrams.tsv: a Katz back-off word-bigram
language model of Chinese, taken from the open-gram model in Debian's
sunpinyin-data package (CC BY-SA 3.0).

Run from the repo root (or anywhere):

    python3 scripts/build-bigrams.py

Needs python3 (standard library only), apt-get (with package lists; run
`apt-get update` once) and dpkg-deb. The script runs
`apt-get download sunpinyin-data=0.1.22+20170109-2 sunpinyin-utils` in a
temporary directory and unpacks both with `dpkg-deb -x`. To use files you
already have, pass --deb-dir DIR (a directory holding the two .deb files) or
--data-dir DIR (a directory holding lm_sc.t3g and pydict_sc.bin, e.g. the
installed /usr/lib/x86_64-linux-gnu/sunpinyin/data). The sha256 of both data
files is pinned.

Method
  1. Word ids -> words: pydict_sc.bin is sunpinyin's CPinyinTrie (little
     endian): three u32 (word count, node count, string offset); at the string
     offset, one NUL-terminated UCS-4 string per word id, id 0 first.
  2. The model: lm_sc.t3g is sunpinyin's threaded back-off trigram
     (CThreadSlm, src/slm/slm.h): u32 N (=3), u32 use_log_pr (0: the tables
     hold plain probabilities), N+1 u32 level sizes (each with one sentinel
     node), a float32 table of 2^16 probabilities and one of 2^14 back-off
     weights, then the nodes of levels 0..N-1 (12 bytes: wid:18 bow:14 |
     pr:16 ch_lo:16 | bon:23 bol:2 ch_hi:7) and the level-N leaves (8 bytes).
     The children of node i are next_level[ch(i) : ch(i+1)]. A level-1 node
     gives P(w) and the back-off weight of w as a context; a level-2 node
     gives P(w2|w1). The script checks that every context's stored weight
     equals (1 - sum P(w2|w1)) / (1 - sum P(w2)) over its bigrams (Katz), and,
     if sunpinyin-utils' tslminfo runs, that `tslminfo -v` prints the same
     unigram and bigram values.
  3. Kept: words made only of Han characters (71,748 of the 71,759 words; the
     rest are the sentence boundary, id 0, and ten punctuation marks). Bigrams
     whose two words are both Han are ranked by Stolcke's relative-entropy
     pruning criterion (the loss in the model's fit, weighted by P(w1), from
     dropping that one bigram and backing off instead), and the best ones are
     kept while the file stays within --max-bytes (8,000,000).
  4. Each word's back-off weight is recomputed for the bigrams kept:
     bow(w1) = (1 - sum_kept P(w2|w1)) / (1 - sum_kept P(w2)), so that
     P(.|w1) still sums to 1 over the model's whole vocabulary (which includes
     the punctuation and sentence boundary that are not written out).

Outputs (all numbers are log10, 4 decimals)
  data/unigrams.tsv: word<TAB>log10 P(word)<TAB>log10 backoff(word)
  data/bigrams.tsv:  w1<TAB>w2<TAB>log10 P(w2|w1)
  P(w2|w1) = the bigram row if there is one, else backoff(w1) * P(w2).
"""
import argparse
import array
import glob
import hashlib
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DATA_PKG = "sunpinyin-data"
DATA_VERSION = "0.1.22+20170109-2"
UTILS_PKG = "sunpinyin-utils"
DATA_SUBDIR = "usr/lib/x86_64-linux-gnu/sunpinyin/data"
SHA256 = {
    "lm_sc.t3g": "768b8dfc6cf6b1769e4df0bccfa4a2ac28d9abc6bcad7d8a74d08be7fc61a19d",
    "pydict_sc.bin": "cdfddfa11d9137aacfb6cfc2a453c9fc0f4dcb1524f0d61be598a35eeecf374c",
}

MAX_BYTES = 8_000_000
LN10 = math.log(10.0)

SOURCE = ("# source: open-gram LM from Debian sunpinyin-data 0.1.22+20170109 (CC BY-SA 3.0),"
          " built by scripts/build-bigrams.py")
LICENCE = ("# licence: CC BY-SA 3.0 Unported (share-alike: this derived file is under the same"
           " licence); open-gram (c) 1997-2010 MDBG, 2010 Kov Chai, virus huo, Tinyfool."
           " Modified: bigram level only, Han words only, pruned, back-off weights recomputed.")
MODEL = ("# model: Katz back-off; P(w2|w1) = the bigrams.tsv row if present, else"
         " 10^(backoff(w1) + logP(w2)) from unigrams.tsv")

# Sanity pairs: (w1, w2). Printed with the full model's and the files' P(w2|w1).
CHECK_PAIRS = [
    ("发展", "经济"), ("发", "经济"),
    ("我们", "的"), ("我", "们"),
    ("虽然", "有着"), ("虽", "有着"),
    ("已经", "成为"), ("已经", "成"),
    ("发生", "了"), ("发生", "丁"),
    ("高兴", "地"), ("高兴", "的"),
    ("中华", "人民"), ("中华", "人"),
]
# The lexicon holds many phrases (发展经济, 我在, 人民群众 are single words), so
# word pairs alone can mislead: these strings (right, then an OCR-style
# misreading) are scored by their best segmentation under the files' model.
CHECK_STRINGS = [
    ("已经成为", "己经成为"), ("未来的发展", "末来的发展"), ("浙江省", "淅江省"),
    ("人民群众", "人民郡众"), ("召开会议", "召开会意"), ("天气很好", "夭气很好"),
    ("我们的国家", "我们得国家"), ("经济发展", "经济发屐"),
]


def is_han(c):
    # Same ranges as baozhi_text::is_han.
    o = ord(c)
    return (0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x2FA1F or o == 0x3007)


def is_han_word(w):
    return bool(w) and all(is_han(c) for c in w)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch_debs(tmp):
    subprocess.run(["apt-get", "download", f"{DATA_PKG}={DATA_VERSION}", UTILS_PKG],
                   cwd=tmp, check=True)
    return tmp


def unpack(deb_dir, dest):
    debs = {}
    for pkg in (DATA_PKG, UTILS_PKG):
        found = sorted(glob.glob(os.path.join(deb_dir, f"{pkg}_*.deb")))
        if not found:
            if pkg == DATA_PKG:
                sys.exit(f"no {pkg}_*.deb in {deb_dir}")
            print(f"note: no {pkg}_*.deb in {deb_dir}; skipping the tslminfo cross-check")
            continue
        subprocess.run(["dpkg-deb", "-x", found[-1], dest], check=True)
        debs[pkg] = os.path.basename(found[-1])
    return debs


def read_words(path):
    """CPinyinTrie: u32 word count, u32 node count, u32 string offset; then the
    trie; at the string offset, word-count NUL-terminated UCS-4 strings."""
    with open(path, "rb") as f:
        b = f.read()
    count, _nodes, str_off = struct.unpack_from("<3I", b, 0)
    a = array.array("I")
    a.frombytes(b[str_off:len(b) - (len(b) - str_off) % 4])
    if sys.byteorder != "little":
        a.byteswap()
    words, cur = [], []
    for c in a:
        if c == 0:
            words.append("".join(map(chr, cur)))
            cur = []
        else:
            cur.append(c)
    if len(words) != count or cur:
        sys.exit(f"{path}: {len(words)} strings, header says {count}")
    return words


class Slm:
    """The unigram and bigram levels of a CThreadSlm file (little endian)."""

    def __init__(self, path):
        with open(path, "rb") as f:
            b = f.read()
        self.n, use_log = struct.unpack_from("<2I", b, 0)
        self.sizes = struct.unpack_from(f"<{self.n + 1}I", b, 8)
        off = 8 + 4 * (self.n + 1)
        pr = array.array("f")
        pr.frombytes(b[off:off + 4 * (1 << 16)])
        off += 4 * (1 << 16)
        bow = array.array("f")
        bow.frombytes(b[off:off + 4 * (1 << 14)])
        off += 4 * (1 << 14)
        if sys.byteorder != "little":
            pr.byteswap()
            bow.byteswap()
        if use_log:  # tables hold -ln values
            pr = [math.exp(-v) for v in pr]
            bow = [math.exp(-v) for v in bow]
        levels = []
        for lvl in range(self.n):
            a = array.array("I")
            a.frombytes(b[off:off + 12 * self.sizes[lvl]])
            if sys.byteorder != "little":
                a.byteswap()
            levels.append(a)
            off += 12 * self.sizes[lvl]
        off += 8 * self.sizes[self.n]
        if off != len(b):
            sys.exit(f"{path}: {len(b)} bytes, layout gives {off}")
        if self.n < 2:
            sys.exit(f"{path}: an {self.n}-gram model has no bigrams")

        def fields(a):
            w0, w1, w2 = a[0::3], a[1::3], a[2::3]
            wid = [x & 0x3FFFF for x in w0]
            bo = [x >> 18 for x in w0]
            p = [x & 0xFFFF for x in w1]
            ch = [((z >> 25) << 16) | (y >> 16) for y, z in zip(w1, w2)]
            return wid, bo, p, ch

        _, root_bo, root_p, _ = fields(levels[0])
        self.root_p, self.root_bow = pr[root_p[0]], bow[root_bo[0]]
        wid, bo, p, ch = fields(levels[1])
        n1 = self.sizes[1] - 1  # the last node is a sentinel
        self.uni_wid = wid[:n1]
        self.uni_p = [pr[i] for i in p[:n1]]
        self.uni_bow = [bow[i] for i in bo[:n1]]
        self.uni_ch = ch  # n1 + 1 entries: children of i are ch[i]:ch[i+1]
        wid2, _, p2, _ = fields(levels[2])
        n2 = self.sizes[2] - 1
        self.bi_wid = wid2[:n2]
        self.bi_p = [pr[i] for i in p2[:n2]]


def cross_check_tslminfo(tslminfo, t3g, slm):
    """Compare `tslminfo -v` (values printed as -ln) with the decoded levels 1-2."""
    proc = subprocess.Popen([tslminfo, "-v", t3g], stdout=subprocess.PIPE, text=True)
    level, i, worst, seen = None, 0, 0.0, [0, 0, 0]
    try:
        for line in proc.stdout:
            if line.startswith("\\"):
                level = int(line[1])
                i = 0
                if level > 2:
                    break
                continue
            if level == 0:
                continue
            f = line.split()
            if level == 1:
                got = (int(f[0]), float(f[1]), float(f[2]))
                want = (slm.uni_wid[i], -math.log(slm.uni_p[i]), -math.log(slm.uni_bow[i]))
            else:
                got = (int(f[1]), float(f[2]))
                want = (slm.bi_wid[i], -math.log(slm.bi_p[i]))
            if got[0] != want[0]:
                sys.exit(f"tslminfo level {level} row {i}: word id {got[0]}, decoded {want[0]}")
            for g, w in zip(got[1:], want[1:]):
                worst = max(worst, abs(g - w))
            seen[level] += 1
            i += 1
    finally:
        proc.stdout.close()
        proc.kill()
        proc.wait()
    if seen[1] != len(slm.uni_wid) or seen[2] != len(slm.bi_wid) or worst > 1e-6:
        sys.exit(f"tslminfo cross-check failed: rows {seen[1:]} max |diff| {worst}")
    print(f"tslminfo cross-check: {seen[1]:,} unigrams and {seen[2]:,} bigrams match"
          f" (max |diff of -ln| {worst:.1e})")


def fmt(x):
    s = f"{x:.4f}"
    return "0.0000" if s == "-0.0000" else s


def write_atomic(path, lines):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for line in lines:
            f.write(line)
            f.write("\n")
    os.replace(tmp, path)
    return os.path.getsize(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--deb-dir", help="directory with the sunpinyin-data (and -utils) .deb files")
    src.add_argument("--data-dir", help="directory with lm_sc.t3g and pydict_sc.bin")
    ap.add_argument("--tslminfo", help="tslminfo binary for the cross-check"
                    " (default: the unpacked sunpinyin-utils, else PATH)")
    ap.add_argument("--max-bytes", type=int, default=MAX_BYTES,
                    help=f"size limit of bigrams.tsv (default {MAX_BYTES:,})")
    ap.add_argument("--out-dir", default=os.path.join(ROOT, "data"))
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="build-bigrams-")
    try:
        tslminfo = args.tslminfo
        if args.data_dir:
            data_dir = args.data_dir
        else:
            deb_dir = args.deb_dir or fetch_debs(tmp)
            unpacked = os.path.join(tmp, "x")
            debs = unpack(deb_dir, unpacked)
            print("packages:", ", ".join(debs.values()))
            data_dir = os.path.join(unpacked, DATA_SUBDIR)
            cand = os.path.join(unpacked, "usr/bin/tslminfo")
            if tslminfo is None and os.path.exists(cand):
                tslminfo = cand
        if tslminfo is None:
            tslminfo = shutil.which("tslminfo")
        t3g = os.path.join(data_dir, "lm_sc.t3g")
        pyd = os.path.join(data_dir, "pydict_sc.bin")
        for path in (t3g, pyd):
            got = sha256(path)
            if got != SHA256[os.path.basename(path)]:
                sys.exit(f"{path}: sha256 {got}, expected {SHA256[os.path.basename(path)]}")

        words = read_words(pyd)
        slm = Slm(t3g)
        print(f"model: {slm.n}-gram, level sizes {[s - 1 for s in slm.sizes[1:]]},"
              f" lexicon {len(words):,} strings")
        if tslminfo:
            try:
                cross_check_tslminfo(tslminfo, t3g, slm)
            except OSError as e:
                print(f"note: tslminfo cross-check skipped: {e}")
        else:
            print("note: no tslminfo; cross-check skipped")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    n1 = len(slm.uni_wid)
    if max(slm.uni_wid) >= len(words):
        sys.exit("word id beyond the lexicon")
    word = [words[w] for w in slm.uni_wid]
    if len(set(word)) != n1:
        sys.exit("two word ids with the same string")
    index = {w: i for i, w in enumerate(word)}  # unigram index by word
    uni_of_wid = {w: i for i, w in enumerate(slm.uni_wid)}
    bi_ctx = [0] * len(slm.bi_wid)  # unigram index of each bigram's w1
    bi_w2 = [uni_of_wid[w] for w in slm.bi_wid]
    han = [is_han_word(w) for w in word]
    P = slm.uni_p
    print(f"unigrams: {n1:,} (sum P = {sum(P):.6f}); Han words {sum(han):,};"
          f" other: {', '.join(repr(w) for w, h in zip(word, han) if not h)}")

    # Per-context sums, the Katz check, and Stolcke's pruning score per bigram.
    sum_p = [0.0] * n1
    sum_u = [0.0] * n1
    worst = 0.0
    for h in range(n1):
        a, b = slm.uni_ch[h], slm.uni_ch[h + 1]
        sp = su = 0.0
        for j in range(a, b):
            bi_ctx[j] = h
            sp += slm.bi_p[j]
            su += P[bi_w2[j]]
        sum_p[h], sum_u[h] = sp, su
        # Katz: the mass left by the bigrams, 1 - sum P(w2|w1), is what the
        # back-off spreads over the other words, bow(w1) * (1 - sum P(w2)).
        worst = max(worst, abs((1.0 - sp) - slm.uni_bow[h] * (1.0 - su)))
    print(f"Katz check: 1 - sum P(w2|w1) = bow(w1) * (1 - sum P(w2)) to within {worst:.1e}"
          " (float32 rounding) for every context")
    if worst > 1e-3:
        sys.exit("back-off weights do not fit the Katz reading of the model")

    cand = []
    for j, (h, w, p) in enumerate(zip(bi_ctx, bi_w2, slm.bi_p)):
        if not (han[h] and han[w]):
            continue
        left = 1.0 - sum_p[h]  # mass that backs off now
        alpha = slm.uni_bow[h]
        alpha2 = (left + p) / (1.0 - sum_u[h] + P[w])
        d = -P[h] * (p * (math.log(P[w]) + math.log(alpha2) - math.log(p))
                     + (math.log(alpha2) - math.log(alpha)) * left)
        cand.append((-d, word[h], word[w], j))
    n_han_bi = len(cand)
    cand.sort()

    header_bi = [SOURCE, "# columns: w1<TAB>w2<TAB>log10 P(w2|w1)", LICENCE, MODEL]
    budget = args.max_bytes - sum(len(s.encode()) + 1 for s in header_bi) - 200
    kept, used = [], 0
    for _negd, w1, w2, j in cand:
        n = len(f"{w1}\t{w2}\t{fmt(math.log10(slm.bi_p[j]))}\n".encode())
        if used + n > budget:
            break
        used += n
        kept.append(j)
    header_bi.insert(4, f"# kept: {len(kept):,} of the model's {n_han_bi:,} Han-Han bigrams"
                        f" ({len(slm.bi_wid):,} in all), the best by Stolcke relative-entropy"
                        f" pruning; rows sorted by w1, then by P descending")

    # Back-off weights for the bigrams kept: the mass the stored weight spread
    # over the unseen words, plus that of the bigrams dropped, over the
    # unigram mass of every word without a kept bigram. (Equal to
    # (1 - sum_kept P(w2|w1)) / (1 - sum_kept P(w2)) but exactly the stored
    # weight for a context that keeps all its bigrams, where 1 - sum P(w2|w1)
    # can be tiny and float32 rounding would otherwise show.)
    is_kept = bytearray(len(slm.bi_wid))
    for j in kept:
        is_kept[j] = 1
    dropped = [0.0] * n1  # P(w2|w1) mass of the bigrams dropped
    ku = [0.0] * n1  # P(w2) mass of the same w2s
    for j, (h, w, p) in enumerate(zip(bi_ctx, bi_w2, slm.bi_p)):
        if not is_kept[j]:
            dropped[h] += p
            ku[h] += P[w]
    new_bow = [(slm.uni_bow[h] * (1.0 - sum_u[h]) + dropped[h]) / (1.0 - sum_u[h] + ku[h])
               for h in range(n1)]

    out_dir = args.out_dir
    os.makedirs(out_dir, exist_ok=True)
    rows = sorted(((word[bi_ctx[j]], -slm.bi_p[j], word[bi_w2[j]], j) for j in kept))
    bi_lines = header_bi + [f"{w1}\t{w2}\t{fmt(math.log10(slm.bi_p[j]))}"
                            for w1, _p, w2, j in rows]
    bi_path = os.path.join(out_dir, "bigrams.tsv")
    bi_size = write_atomic(bi_path, bi_lines)

    oov = math.log10(slm.root_p * slm.root_bow)
    uni_rows = sorted((-P[h], word[h], h) for h in range(n1) if han[h])
    uni_lines = [
        SOURCE,
        "# columns: word<TAB>log10 P(word)<TAB>log10 backoff(word) (back-off weight of the word"
        " as w1, recomputed for the bigrams kept in bigrams.tsv; 0 when it has none there)",
        LICENCE,
        MODEL,
        f"# words: {len(uni_rows):,} Han words of the model's {n1:,} (the rest: sentence"
        " boundary, punctuation); P is over the whole vocabulary, so these sum to"
        f" {sum(P[h] for h in range(n1) if han[h]):.4f}; sorted by P descending."
        f" sunpinyin gives an unknown word log10 P = {fmt(oov)} (root pr x root back-off)",
    ] + [f"{word[h]}\t{fmt(math.log10(P[h]))}\t{fmt(math.log10(new_bow[h]))}"
         for _p, _w, h in uni_rows]
    uni_path = os.path.join(out_dir, "unigrams.tsv")
    uni_size = write_atomic(uni_path, uni_lines)

    print(f"wrote {os.path.relpath(bi_path)}: {len(kept):,} bigrams over"
          f" {len({bi_ctx[j] for j in kept}):,} contexts, {bi_size:,} bytes")
    print(f"wrote {os.path.relpath(uni_path)}: {len(uni_rows):,} words, {uni_size:,} bytes")

    # Sanity checks, read back from the files.
    fu, fb = {}, {}
    with open(uni_path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                w, lp, lb = line.rstrip("\n").split("\t")
                fu[w] = (float(lp), float(lb))
    with open(bi_path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                w1, w2, lp = line.rstrip("\n").split("\t")
                fb[w1, w2] = float(lp)
    full_bi = {(bi_ctx[j], bi_w2[j]): slm.bi_p[j] for j in range(len(slm.bi_wid))}

    def full(w1, w2):
        h, w = index[w1], index[w2]
        if (h, w) in full_bi:
            return math.log10(full_bi[h, w]), "bigram"
        return math.log10(slm.uni_bow[h] * P[w]), "backoff"

    def files(w1, w2):
        if (w1, w2) in fb:
            return fb[w1, w2], "bigram"
        return fu[w1][1] + fu[w2][0], "backoff"

    print("sanity: log10 P(w2|w1), full model vs files (bigram row or back-off); log10 P(w2)")
    for w1, w2 in CHECK_PAIRS:
        if w1 not in index or w2 not in index:
            print(f"  {w1} {w2}: not in the lexicon")
            continue
        (a, ka), (b, kb) = full(w1, w2), files(w1, w2)
        print(f"  P({w2}|{w1}) = {a:8.4f} ({ka:7s}) files {b:8.4f} ({kb:7s});"
              f" P({w2}) = {math.log10(P[index[w2]]):8.4f}")
    maxlen = max(len(w) for w in fu)

    def best(text):
        """log10 P of the best segmentation (Viterbi; state = last word)."""
        states = [{} for _ in range(len(text) + 1)]
        states[0][None] = (0.0, ())
        for i in range(len(text)):
            for prev, (lp, seg) in states[i].items():
                for k in range(1, min(maxlen, len(text) - i) + 1):
                    w = text[i:i + k]
                    if w in fu:
                        step = fu[w][0] if prev is None else files(prev, w)[0]
                    elif k == 1:
                        w, step = w, oov  # a character outside the lexicon
                    else:
                        continue
                    cur = states[i + k].get(w)
                    if cur is None or lp + step > cur[0]:
                        states[i + k][w] = (lp + step, seg + (w,))
        return max(states[-1].values())

    print("sanity: log10 P of the best segmentation, right vs misread")
    for right, wrong in CHECK_STRINGS:
        (a, sa), (b, sb) = best(right), best(wrong)
        print(f"  {right} {a:8.3f} ({' '.join(sa)})   {wrong} {b:8.3f} ({' '.join(sb)})"
              f"   {'ok' if a > b else 'WRONG ORDER'}")

    # The pruned model is still normalised over the whole vocabulary.
    kept_set = {}
    for j in kept:
        kept_set.setdefault(bi_ctx[j], []).append(j)
    for w1 in ("的", "发展", "我"):
        h = index[w1]
        js = kept_set.get(h, [])
        s = sum(slm.bi_p[j] for j in js) + new_bow[h] * (
            1.0 - sum(P[bi_w2[j]] for j in js))
        print(f"  sum over the vocabulary of P(w|{w1}) with {len(js):,} bigrams kept: {s:.6f}")


if __name__ == "__main__":
    main()
