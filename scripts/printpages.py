#!/usr/bin/env python3
"""Print corpus pages as broadsheet PDFs and extract them with real tools.

usage: printpages.py --out DIR [--split train|test|all] [--fold K]
                     [--pages N] [--seed S] [--tools pdftotext,pymupdf,pdfminer,baozhi,tesseract]

`pagegen.py` writes page text the way extractors give it, from rules about
extractors. This script gives the extractors' own output: every article of
one printed page of `../shared/corpus/rmrb.jsonl` is set in HTML + CSS
(articles in blocks of 2 to 4 columns side by side on a 390 x 540 mm page,
headline groups in large type over their columns, pictures with captions
and credits between paragraphs, a running head and the page editors),
printed to PDF by headless Chromium, and extracted by poppler's
`pdftotext`, PyMuPDF and pdfminer.six with their defaults. For each page
and tool it writes `TOOL-rmrb-DATE-pPAGE.txt` (the tool's text), `.gold.json`
(`baozhi/1`: what the page printed) and `.labels.tsv` (the line model's
label for every non-blank line, found by aligning the line to the printed
element it comes from), as `pagegen.py` does, so `linefeatures`,
`fit-layout.py` and `eval-layout.py` read both alike.

`--tools baozhi` reads the PDF with baozhi's own reader (the `pdftext`
example of `baozhi-pdf`, or `$BAOZHI_PDFTEXT`): besides the text and labels
it keeps the PDF (`baozhi-….pdf`, what `baozhi parse` reads when scored)
and writes `.geom.tsv`, each text line's box, type size and weight, from
which `linefeatures` computes the geometry features.

`--tools tesseract` scans the printed page as a library would and reads
it by OCR: poppler's `pdftoppm` at 300 dpi in grey, then a mild scan's
damage (a turn of at most 0.3 degrees, a slight blur, sensor noise; seeded
by the page's name), then Tesseract `chi_sim` to hOCR, which is kept
(`tesseract-….hocr`, what `baozhi parse` reads when scored) and read by
baozhi's hOCR reader (the `ocrtext` example of `baozhi-ocr`, or
`$BAOZHI_OCRTEXT`) into text and `.geom.tsv`. OCR text has misread
characters, so its lines are aligned to what was printed by the closest
match (rapidfuzz), not the exact one; a line that matches nothing printed
well enough (noise read from a picture) is labelled `header` (page
furniture).

Pages are split by date into the same folds as `pagegen.py`. A page whose
lines cannot all be aligned to what was printed gets no `.labels.tsv` (the
count is printed; `linefeatures` skips it, scoring does not): a label
guessed would teach the model a wrong answer.

Needs: chromium, poppler-utils (Debian), `pip install pymupdf pdfminer.six`
and the CJK font the pages are set in, WenQuanYi Zen Hei (Debian
`fonts-wqy-zenhei`): with another font the same seed sets other lines,
columns and pages, and scores are not comparable across machines.
"""
import html
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pagegen  # noqa: E402

TOOLS = ["pdftotext", "pymupdf", "pdfminer"]
# baozhi's own PDF reader (`--tools baozhi`): its printed lines with their
# boxes, from the pdftext example (build it first:
# cargo build --release -p baozhi-pdf --example pdftext)
PDFTEXT = os.environ.get("BAOZHI_PDFTEXT", os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "target", "release", "examples", "pdftext"))
OCRTEXT = os.environ.get("BAOZHI_OCRTEXT", os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "target", "release", "examples", "ocrtext"))
# The scan's damage for `--tools tesseract`, as the extracted check pages
# were made: pages lie at most this many degrees off square on a scanner,
SCAN_MAX_TURN_DEG = 0.3
# and sensor noise has this standard deviation in grey levels (of 255).
SCAN_NOISE_SIGMA = 12.0
# An OCR line is the printed text it matches when at least this share of
# its characters align (rapidfuzz partial ratio, 0-100); Tesseract's
# character error rate on such pages is about 3 %, a line of noise read
# from a picture matches nothing this well.
OCR_ALIGN_MIN = 70.0
SPACE = re.compile(r"\s+")


def norm(s):
    return SPACE.sub("", s)


class Printed:
    """The elements of a page in printed order: (role, article, text)."""

    def __init__(self):
        self.elements = []

    def add(self, role, art, text):
        if text and text.strip():
            self.elements.append((role, art, text))
        return html.escape(text)


# The share of pages whose header sets the page's name and number in display
# type (as People's Daily and most broadsheets print them: the name about 28
# points, the number larger), so that big type at the head of the page is not
# taken for a headline. Set by hand: the corpus records no header styles.
BIG_MASTHEAD = 0.5


# The share of articles printed under a lead picture: the picture and its
# caption set above the headline across the article's columns, as front
# pages and picture stories print them (the caption is the article's, not
# the one above it). Set by hand: the corpus records no placement.
LEAD_PICTURE = 0.2


def lead_caption(rec, style):
    """The caption of an article's lead picture, or None: drawn from the
    page's own style generator, so that pages without one keep their
    layout. A caption the corpus gives goes first; else a sentence of the
    article with a credit."""
    if style.random() >= LEAD_PICTURE:
        return None
    given = rec.get("captions") or []
    if given:
        return dict(given[0])
    ss = pagegen.sentences(" ".join(p["text"] for p in rec["paragraphs"]))
    if not ss:
        return None
    return {"text": style.choice(ss), "credit": pagegen.credit(style)}


def big_masthead(rec, rng, pr):
    """A broadsheet header: the paper's name and the date at one side, the
    page's name and number in display type at the other (the number at the
    outer edge: left on even pages)."""
    date, wd = pagegen.printed_date(rec)
    even = int(rec["page"]) % 2 == 0
    pname = rng.choice(pagegen.PAGE_NAMES)

    # Each part is made (pr.add) in the order it is printed, left to right
    # (Python evaluates `a() + b()` in that order): the labelling reads a
    # line that joins two of them ("经济07") in that order.
    def paper():
        return ('<div class="mast-paper"><div class="mast-name">' + pr.add("header", -1, "人民日报")
                + '</div><div>' + pr.add("header", -1, f"{date}\u3000星期{wd}")
                + "</div></div>")

    def number():
        return f'<span class="mast-number">{pr.add("header", -1, rec["page"])}</span>'

    def name():
        return f'<span class="mast-section">{pr.add("header", -1, pname)}</span>'

    if even:
        sides = "<div>" + number() + name() + "</div>" + paper()
    else:
        sides = paper() + "<div>" + name() + number() + "</div>"
    return f'<div class="masthead big">{sides}</div>'


def page_html(recs, rng, jump_to):
    """The page as HTML, the printed elements and the gold articles."""
    pr = Printed()
    golds = []
    out = []
    head = pagegen.header_lines(recs[0], rng) or [f"{recs[0]['page']} 人民日报"]
    first = recs[0]
    # Its own generator, so that pages printed before this style existed keep
    # their articles and layout (the main stream draws as it did, `head`
    # included).
    style = random.Random(zlib.crc32(f"{first['date']}-{first['page']}".encode()))
    if style.random() < BIG_MASTHEAD:
        out.append(big_masthead(first, style, pr))
    else:
        out.append('<div class="masthead">' + "".join(
            f"<span>{pr.add('header', -1, h)}</span>" for h in head) + "</div>")
    out.append('<div class="articles">')
    for ai, rec in enumerate(recs):
        gold = pagegen.empty_gold(rec, ai)
        size = sum(len(p["text"]) for p in rec["paragraphs"])
        cols = 1 if size < 400 else 2 if size < 1200 else rng.choice([3, 4])
        width = min(100, cols * rng.choice([16, 18, 20]) + rng.randint(0, 6))
        out.append(f'<div class="article" style="width:{width}%">')
        lead = lead_caption(rec, style)
        if lead:
            out.append(figure(pr, ai, lead, style))
        h = ['<div class="head">']
        column = rec.get("column")
        if column:
            gold["column"] = column
            h.append(f'<div class="label">{pr.add("label", ai, column)}</div>')
        if rec.get("kicker"):
            gold["kicker"] = rec["kicker"]
            h.append(f'<div class="kicker">{pr.add("kicker", ai, rec["kicker"])}</div>')
        h.append(f'<div class="title">{pr.add("title", ai, rec["title"])}</div>')
        if rec.get("subtitle"):
            gold["subtitle"] = rec["subtitle"]
            h.append(f'<div class="subtitle">{pr.add("subtitle", ai, "——" + rec["subtitle"])}</div>')
        by = None if rec.get("dateline") and pagegen.reporters(rec["dateline"]) else pagegen.byline(rng)
        if by:
            text, gb = by
            gold["bylines"] = gb
            h.append(f'<div class="byline">{pr.add("byline", ai, text)}</div>')
        elif rec.get("dateline"):
            gold["bylines"] = pagegen.reporters(rec["dateline"])
        h.append("</div>")
        out.extend(h)
        out.append(f'<div class="body" style="column-count:{cols}">')
        paras = rec["paragraphs"]
        caps = [dict(c) for c in rec.get("captions") or []]
        if lead and caps and caps[0] == lead:
            caps.pop(0)  # the corpus's caption is printed over the head
        body_text = " ".join(p["text"] for p in paras)
        if rng.random() < 0.35:
            ss = pagegen.sentences(body_text)
            if ss:
                caps.append({"text": rng.choice(ss), "credit": pagegen.credit(rng)})
        cap_at = {}
        for c in caps:
            cap_at.setdefault(rng.randrange(max(1, len(paras))), []).append(c)
        cut_jump = jump_to is not None and ai == len(recs) - 1 and len(paras) >= 3
        keep = rng.randint(2, len(paras) - 1) if cut_jump else len(paras)
        if cut_jump:
            gold["continues_to"] = jump_to
        for pi, p in enumerate(paras[:keep]):
            text = p["text"]
            if cut_jump and pi == keep - 1:
                text = text[:rng.randint(min(8, len(text)), len(text))]
            role = pagegen.body_part(p["kind"], text)
            if role == "header" and cut_jump and pi == keep - 1:
                role = "para"  # the jump line ends a paragraph, not a credit
            pagegen.add_to_gold(gold, role, p["kind"], text)
            if role == "header":
                # the page's staff credits, which the corpus keeps as a paragraph
                out.append(f'<p class="credit">{pr.add("header", -1, text)}</p>')
                continue
            if p["kind"] == "heading":
                out.append(f'<p class="heading">{pr.add("heading", ai, text)}</p>')
            else:
                jump = ""
                if cut_jump and pi == keep - 1:
                    j = rng.choice(["（下转第%s版）", "（下转%s版）"]) % jump_to
                    jump = f'<span class="jump">{pr.add("jump", ai, j)}</span>'
                out.append(f"<p>{pr.add(role, ai, text)}{jump}</p>")
            for c in cap_at.pop(pi, []):
                out.append(figure(pr, ai, c, rng))
        for rest in cap_at.values():
            for c in rest:
                out.append(figure(pr, ai, c, rng))
        for c in ([lead] if lead else []) + caps:
            gold["captions"].append({"text": c["text"], "credit": c["credit"]})
        out.append("</div></div>")
        golds.append(gold)
    out.append("</div>")
    if rng.random() < 0.6:
        eds = "\u3000".join(pagegen.name(rng) for _ in range(rng.choice([1, 2])))
        out.append(f'<div class="foot">{pr.add("header", -1, "本版责编：" + eds)}</div>')
    furniture = [{"kind": "page_header", "text": t} for r, _, t in pr.elements if r == "header"]
    return STYLE + "".join(out) + "</body></html>", pr.elements, golds, furniture


def figure(pr, ai, c, rng):
    height = rng.randint(25, 60)
    cap = ""
    if c["text"]:
        cap = f'<span>{pr.add("caption", ai, c["text"])}</span>'
    cr = f'<span class="credit">{pr.add("credit", ai, c["credit"])}</span>'
    return (f'<div class="figure"><div class="picture" style="height:{height}mm"></div>'
            f'<div class="caption">{cap} {cr}</div></div>')


STYLE = """<!doctype html><html><head><meta charset="utf-8"><style>
@page { size: 390mm 540mm; margin: 12mm; }
body { font-family: "WenQuanYi Zen Hei", "Noto Serif CJK SC", "Noto Sans CJK SC", sans-serif;
       font-size: 9pt; line-height: 1.45; margin: 0; }
.masthead { display: flex; justify-content: space-between; border-bottom: 1.5pt solid #000;
            font-size: 11pt; padding-bottom: 2mm; margin-bottom: 4mm; }
.masthead.big { align-items: flex-end; }
.mast-name { font-size: 16pt; font-weight: bold; }
.mast-section { font-size: 28pt; font-weight: bold; margin: 0 3mm; }
.mast-number { font-size: 32pt; font-weight: bold; }
.articles { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 4mm 0; }
.article { box-sizing: border-box; padding: 0 3mm; border-right: 0.5pt solid #999; }
.head { margin-bottom: 2mm; }
.label { font-size: 10pt; font-weight: bold; border-left: 3pt solid #000; padding-left: 2mm; }
.kicker { font-size: 12pt; }
.title { font-size: 22pt; font-weight: bold; line-height: 1.2; }
.subtitle { font-size: 12pt; }
.byline { font-size: 10pt; margin-top: 1mm; }
.body { column-gap: 4mm; text-align: justify; }
.body p { margin: 0; text-indent: 2em; }
.body p.heading { font-weight: bold; text-indent: 0; margin: 1mm 0; }
.figure { break-inside: avoid; margin: 2mm 0; }
.picture { background: #bbb; }
.caption { font-size: 8pt; }
.foot { margin-top: 4mm; font-size: 8pt; }
</style></head><body>"""


# The sheet every page is set on, in mm (a broadsheet's type area with
# its margins), as STYLE's @page gives it.
SHEET = "size: 390mm 540mm;"


def on_sheets(html_text, sheets):
    """The page's HTML set on one sheet `sheets` times as tall. A real page
    never runs over: the paper cuts or moves a story (with a jump line)
    until it fits. Printed on two sheets instead, the rest of a story on
    the second came out as an untitled article no paper prints."""
    return html_text.replace(SHEET, f"size: 390mm {540 * sheets}mm;", 1)


def pdf_pages(pdf):
    """How many pages a PDF has (poppler's pdfinfo)."""
    out = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
    return int(next(l.split()[-1] for l in out.splitlines() if l.startswith("Pages:")))


def print_one_sheet(html_text, pdf, one_sheet=True):
    """Prints the page; with `one_sheet`, a page that ran over onto more
    sheets is printed again on one sheet as tall as they were."""
    print_pdf(html_text, pdf)
    sheets = pdf_pages(pdf) if one_sheet else 1
    if sheets > 1:
        print_pdf(on_sheets(html_text, sheets), pdf)


def print_pdf(html_text, pdf):
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "page.html")
        with open(src, "w", encoding="utf-8") as f:
            f.write(html_text)
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
             f"--print-to-pdf={pdf}", "file://" + src],
            check=True, capture_output=True, timeout=120)


def extract(tool, pdf):
    """The text `tool` extracts from `pdf`, and for baozhi's own reader the
    rows of its lines' geometry (x0, top, x1, bottom, size, bold)."""
    if tool == "baozhi":
        out = subprocess.run([PDFTEXT, "--tsv", pdf], check=True,
                             capture_output=True, timeout=120).stdout.decode("utf-8")
        rows = [r.split("\t", 6) for r in out.split("\n") if r]
        return "".join(r[6] + "\n" for r in rows), ["\t".join(r[:6]) for r in rows]
    if tool == "tesseract":
        return read_hocr(scan_and_ocr(pdf))
    return extract_text(tool, pdf), None


def read_hocr(hocr):
    """The text and geometry rows baozhi's hOCR reader gives for `hocr`."""
    out = subprocess.run([OCRTEXT, "--tsv", hocr], check=True,
                         capture_output=True, timeout=120).stdout.decode("utf-8")
    rows = [r.split("\t", 6) for r in out.split("\n") if r]
    return "".join(r[0] + "\n" for r in rows), ["\t".join(r[1:7]) for r in rows]


def scan_and_ocr(pdf):
    """Renders `pdf` as a 300-dpi grey scan with a scanner's damage, runs
    Tesseract on it and returns the path of its hOCR (beside the PDF)."""
    import numpy as np
    base = pdf[:-4]
    seed = int.from_bytes(os.path.basename(base).encode("utf-8"), "little") % (2 ** 32)
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", "300", "-gray", "-singlefile", pdf, tmp + "/page"],
                       check=True, capture_output=True, timeout=300)
        img = read_pgm(tmp + "/page.pgm").astype(np.float32)
        # a small turn, as shear: each column moves down by x * tan(angle)
        turn = np.tan(np.radians(rng.uniform(-SCAN_MAX_TURN_DEG, SCAN_MAX_TURN_DEG)))
        h, w = img.shape
        shift = np.round(np.arange(w) * turn).astype(int)
        rows = (np.arange(h)[:, None] - shift[None, :]).clip(0, h - 1)
        img = img[rows, np.arange(w)[None, :]]
        # blur: a 1-2-1 kernel across and down
        img = (np.roll(img, 1, 0) + 2 * img + np.roll(img, -1, 0)) / 4
        img = (np.roll(img, 1, 1) + 2 * img + np.roll(img, -1, 1)) / 4
        img = img + rng.normal(0, SCAN_NOISE_SIGMA, img.shape)
        scan = tmp + "/scan.pgm"
        with open(scan, "wb") as f:
            f.write(b"P5\n%d %d\n255\n" % (w, h))
            f.write(img.clip(0, 255).astype(np.uint8).tobytes())
        subprocess.run(["tesseract", scan, base, "--dpi", "300", "-l", "chi_sim", "hocr"],
                       check=True, capture_output=True, timeout=600,
                       env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    return base + ".hocr"


def read_pgm(path):
    import numpy as np
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    w, h = int(fields[1]), int(fields[2])
    return np.frombuffer(data[pos + 1:pos + 1 + w * h], dtype=np.uint8).reshape(h, w)


def extract_text(tool, pdf):
    if tool == "pdftotext":
        return subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], check=True,
                              capture_output=True, timeout=120).stdout.decode("utf-8")
    if tool == "pymupdf":
        import pymupdf
        with pymupdf.open(pdf) as doc:
            return "".join(page.get_text() for page in doc)
    if tool == "pdfminer":
        from pdfminer.high_level import extract_text
        return extract_text(pdf)
    raise ValueError(tool)


def align(text, elements):
    """One label per non-blank line of `text`, or None when a line matches
    nothing printed. Each element is read from the front: a line continues
    the element whose unread text it starts, else it starts one."""
    els = [(role, art, norm(t)) for role, art, t in elements]
    read = [0] * len(els)
    last = 0
    labels = []
    for line in text.split("\n"):
        n = norm(line.replace("\f", ""))
        if not n:
            continue
        found = None
        # nearest element after the last one whose unread text starts with the line
        order = list(range(last, len(els))) + list(range(0, last))
        for i in order:
            if els[i][2].startswith(n, read[i]):
                found = (i, read[i])
                break
        if found is None:
            # out of reading order (pdftotext and pdfminer jump between
            # columns): anywhere in an element, read or not
            for i in order:
                at = els[i][2].find(n, read[i])
                if at < 0:
                    at = els[i][2].find(n)
                if at >= 0:
                    found = (i, at)
                    break
        if found is None:
            # a line that runs over two elements printed one after the
            # other (a caption's end and its credit): the first one names it
            found = split_line(n, els, read, order)
        if found is None and made_of_headers(n, els):
            labels.append(("header", -1))
            continue
        if found is None:
            return None
        i, at = found
        if at >= 0:
            read[i] = max(read[i], at + len(n))
        last = i
        role, art, _ = els[i]
        start = at if at >= 0 else -1 - at
        if role in ("para", "caption"):
            # a paragraph's or caption's later lines continue it
            labels.append((role if start == 0 else "cont", art))
        else:
            labels.append((role, art))
    return labels


def made_of_headers(n, els):
    """Whether a line is page-header parts run together in any order (a
    page's name and number set side by side, in whatever order a reader
    joins them)."""
    parts = sorted({t for role, _, t in els if role == "header" and t}, key=len, reverse=True)
    at = 0
    while at < len(n):
        part = next((t for t in parts if n.startswith(t, at)), None)
        if part is None:
            return False
        at += len(part)
    return at > 0


def align_ocr(text, elements):
    """One label per non-blank line of OCR text: the printed element its
    line matches best (partial ratio at least OCR_ALIGN_MIN), else `skip`
    (no label: the fit keeps it only as its neighbours' context). A paragraph's or caption's line is its start when it matches
    at the element's start."""
    from rapidfuzz import fuzz
    els = [(role, art, norm(t)) for role, art, t in elements]
    last, labels = 0, []
    for line in text.split("\n"):
        n = norm(line)
        if not n:
            continue
        best = None
        # the element after the last one first: ties go to reading order
        for i in list(range(last, len(els))) + list(range(0, last)):
            if len(els[i][2]) == 0:
                continue
            m = fuzz.partial_ratio_alignment(n, els[i][2])
            if m is not None and (best is None or m.score > best[1] + 1e-9):
                best = (i, m.score, m.dest_start)
        if best is None or best[1] < OCR_ALIGN_MIN:
            # not page furniture: most are two columns' lines run together
            # or a line misread past recognition; no label, not fitted on
            labels.append(("skip", -1))
            continue
        i, _, start = best
        last = i
        role, art, _ = els[i]
        if role in ("para", "caption"):
            labels.append((role if start <= 1 else "cont", art))
        else:
            labels.append((role, art))
    return labels


def split_line(n, els, read, order):
    """The element a line starts in when the line is the unread rest of
    one element followed by the starts of the next ones; reads them."""
    for i in order:
        rest = els[i][2][read[i]:]
        k = common_prefix(n, rest)
        if k == 0 or k != len(rest):
            continue
        j, tail, ends = i + 1, n[k:], []
        while tail and j < len(els) and read[j] == 0:
            m = common_prefix(tail, els[j][2])
            if m == 0:
                break
            ends.append((j, m))
            tail = tail[m:]
            j += 1
        if not tail:
            start = read[i]
            read[i] = len(els[i][2])
            for j, m in ends:
                read[j] = m
            return i, -1 - start
    return None


def common_prefix(a, b):
    k = 0
    while k < len(a) and k < len(b) and a[k] == b[k]:
        k += 1
    return k


# The font STYLE sets the pages in. Chromium falls back to another CJK font
# without it, and the same seed then prints another page.
PAGE_FONT = "WenQuanYi Zen Hei"


def cjk_font_installed():
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    except OSError:
        return False
    return any(PAGE_FONT in line.split(",") for line in out.stdout.splitlines())


def main():
    ap = pagegen.split_arguments(__doc__.split("\n")[0], 20, "corpus pages to print")
    ap.add_argument("--tools", default=",".join(TOOLS))
    ap.add_argument("--sheets", action="store_true",
                    help="let a page that runs over go on onto a second sheet (as the "
                         "pages before 7 Dec 2026, evening, were printed) instead of "
                         "setting it on one taller sheet")
    ap.add_argument("--relabel", action="store_true",
                    help="read the kept hOCR, PDFs and texts of an earlier run again (after a "
                         "change to a reader or to the labelling) instead of printing and scanning")
    a = ap.parse_args()
    tools = a.tools.split(",")
    if not a.relabel and not cjk_font_installed():
        # Chromium prints Chinese in a font without the glyphs otherwise
        # (every page comes out with characters missing and nothing
        # aligns), or in another CJK font that sets other pages.
        sys.exit(f"printpages: the pages' font {PAGE_FONT} is not installed "
                 "(fc-list :lang=zh); apt-get install fonts-wqy-zenhei")
    pages = pagegen.load(a.corpus)
    keys = pagegen.split_keys(pages, a)
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    dropped = 0
    for date, page in rng.sample(keys, min(a.pages, len(keys))):
        recs = pages[(date, page)][:8]
        jump = f"{int(page) + rng.randint(1, 8):02d}" if rng.random() < 0.3 else None
        html_text, elements, golds, furniture = page_html(recs, rng, jump)
        name = f"rmrb-{date}-p{page}"
        pdf = os.path.join(a.out, name + ".pdf")
        if not a.relabel:
            print_one_sheet(html_text, pdf, one_sheet=not a.sheets)
        doc = {"schema": "baozhi/1", "paper": "人民日报", "date": date,
               "pages": [{"page": page, "furniture": furniture}], "articles": golds}
        for tool in tools:
            base = os.path.join(a.out, f"{tool}-{name}")
            if a.relabel:
                if tool == "tesseract" and os.path.exists(base + ".hocr"):
                    text, geometry = read_hocr(base + ".hocr")
                elif tool == "baozhi" and os.path.exists(base + ".pdf"):
                    # the kept PDF read again (after a change to the reader)
                    text, geometry = extract(tool, base + ".pdf")
                elif tool not in ("baozhi", "tesseract") and os.path.exists(base + ".txt"):
                    # another extractor's kept text, aligned again
                    with open(base + ".txt", encoding="utf-8") as f:
                        text, geometry = f.read(), None
                else:
                    continue
            else:
                text, geometry = extract(tool, pdf)
            if geometry is not None and tool == "baozhi" and not a.relabel:
                # the PDF itself is what `baozhi parse` reads; the geometry
                # rows are what linefeatures reads beside the text
                shutil.copyfile(pdf, base + ".pdf")
            if tool == "tesseract" and not a.relabel:
                os.replace(pdf[:-4] + ".hocr", base + ".hocr")
            if geometry is not None:
                with open(base + ".geom.tsv", "w", encoding="utf-8") as f:
                    f.write("\n".join(geometry) + "\n")
            with open(base + ".txt", "w", encoding="utf-8") as f:
                f.write(text)
            with open(base + ".gold.json", "w", encoding="utf-8") as f:
                json.dump(doc, f, ensure_ascii=False, indent=1)
            labels = align_ocr(text, elements) if tool == "tesseract" else align(text, elements)
            if labels is None:
                dropped += 1
                continue
            rows = [f"{r}\t{art}\t{l.strip()}" for (r, art), l in
                    zip(labels, [l for l in text.split("\n") if norm(l.replace("\f", ""))])]
            with open(base + ".labels.tsv", "w", encoding="utf-8") as f:
                f.write("\n".join(rows) + "\n")
        if not a.relabel:
            os.remove(pdf)
    print(f"{dropped} page texts have no labels (a line matched nothing printed); "
          "their text and gold are written, for scoring", file=sys.stderr)


if __name__ == "__main__":
    main()
