#!/usr/bin/env python3
"""Write the small PDFs that baozhi-pdf's tests read for awkward input.

usage: pdf-fixtures.py [--out crates/baozhi-pdf/tests/fixtures]

Each file is a few kilobytes and holds text written for this repository:

- `password.pdf`: encrypted (AES-256) with a user password: the reader
  must refuse it with an error that says it is encrypted;
- `owner-only.pdf`: encrypted with an owner password only (copying
  forbidden, as some e-papers are): opens with the empty user password;
- `image-only.pdf`: a page with a picture and no text layer (a scan): a
  warning that suggests OCR, no error;
- `kangxi.pdf`: a line whose font maps 金 and 長 to KANGXI RADICAL GOLD
  (U+2FA6) and KANGXI RADICAL LONG (U+2FA7), as some e-paper fonts do: the
  reader gives the ideographs and lists the replacements;
- `two-pages.pdf`: two pages of one short item each (a whole issue in one
  file);
- `scan.png` and `scanned.pdf`: a short item rendered as a 200-dpi grey
  scan, as an image and as a PDF of that image without a text layer, which
  `--ocr` reads with Tesseract (`--scans` writes only these two);
- `vertical.pdf`: a headline set in vertical type (`writing-mode:
  vertical-rl`) beside a horizontal paragraph, printed by headless
  Chromium (`--vertical` writes only this one; Debian `chromium`), whose
  text layer gives every vertical glyph the same place: the reader joins
  them in the order drawn and warns.

Needs PyMuPDF (`pip install pymupdf`; a tool that writes the files, not
linked into baozhi) and a CJK font (Debian `fonts-wqy-zenhei`). The files
are committed; rerun only to change them.
"""
import argparse
import os
import sys

import pymupdf

HERE = os.path.dirname(os.path.abspath(__file__))
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def page_with(doc, lines, size=12):
    page = doc.new_page(width=420, height=595)
    page.insert_font(fontname="cjk", fontfile=FONT)
    y = 60
    for text in lines:
        page.insert_text((40, y), text, fontname="cjk", fontsize=size)
        y += size * 1.6
    return page


def save(doc, out, name, **kw):
    path = os.path.join(out, name)
    doc.subset_fonts()  # the glyphs used, not the whole 6 MB face
    doc.save(path, garbage=4, deflate=True, **kw)
    print(path, os.path.getsize(path), "bytes")


def scans(out):
    doc = pymupdf.open()
    page_with(doc, ["第三版", "清河县新建图书馆开放", "近日，县图书馆新馆正式向读者开放，",
                    "新馆面积比老馆扩大一倍。"], size=16)
    pix = doc[0].get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
    png = os.path.join(out, "scan.png")
    pix.save(png)
    print(png, os.path.getsize(png), "bytes")
    scanned = pymupdf.open()
    page = scanned.new_page(width=420, height=595)
    page.insert_image(page.rect, filename=png)
    save(scanned, out, "scanned.pdf")


def vertical(out):
    sys.path.insert(0, HERE)
    import printpages  # the same Chromium print as the printed pages
    html = """<!doctype html><html><head><meta charset="utf-8"><style>
body{font-family:"WenQuanYi Zen Hei";margin:20mm}
.v{writing-mode:vertical-rl;font-size:28pt;font-weight:bold;float:left;height:120mm;margin-right:8mm}
p{font-size:11pt;width:100mm;text-indent:2em}
</style></head><body>
<div class="v">竖排标题在这里显示</div>
<p>本报北京3月12日电　这是一段横排的正文，用来检验竖排标题旁边的正文能否正常读出，并且不被打乱。</p>
<p>第二段正文也在这里，内容平常，读起来应当顺畅。</p>
</body></html>"""
    path = os.path.join(out, "vertical.pdf")
    printpages.print_pdf(html, path)
    print(path, os.path.getsize(path), "bytes")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "..", "crates", "baozhi-pdf", "tests", "fixtures"))
    ap.add_argument("--scans", action="store_true", help="write only scan.png and scanned.pdf")
    ap.add_argument("--vertical", action="store_true", help="write only vertical.pdf")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.scans:
        scans(args.out)
        return
    if args.vertical:
        vertical(args.out)
        return
    secret = ["县里新建的图书馆今天开放。"]

    doc = pymupdf.open()
    page_with(doc, secret)
    save(doc, args.out, "password.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256,
         user_pw="baozhi", owner_pw="baozhi-owner")

    doc = pymupdf.open()
    page_with(doc, secret)
    save(doc, args.out, "owner-only.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256,
         owner_pw="baozhi-owner", user_pw="",
         permissions=pymupdf.PDF_PERM_PRINT)

    doc = pymupdf.open()
    page = doc.new_page(width=420, height=595)
    page.draw_rect(pymupdf.Rect(40, 40, 380, 300), color=(0, 0, 0), fill=(0.6, 0.6, 0.6))
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 64, 48), False)
    pix.clear_with(120)
    page.insert_image(pymupdf.Rect(40, 320, 200, 440), pixmap=pix)
    save(doc, args.out, "image-only.pdf")

    doc = pymupdf.open()
    page_with(doc, ["\u2FA6价上涨，\u2FA7江两岸一片丰收。"])
    save(doc, args.out, "kangxi.pdf")

    doc = pymupdf.open()
    page_with(doc, ["第一版", "清河县图书馆新馆开放", "近日，县图书馆新馆正式向读者开放。"])
    page_with(doc, ["第二版", "南庄村建起农机合作社", "村里成立农机合作社，为农户提供耕种收服务。"])
    save(doc, args.out, "two-pages.pdf")
    scans(args.out)
    vertical(args.out)


if __name__ == "__main__":
    main()
