#!/usr/bin/env python3
"""Write the small example PDF page `examples/shili-2026-03-12-p01.pdf`.

usage: example-pdf.py [--out examples/shili-2026-03-12-p01.pdf] [--ocr]

A made-up paper (示例日报) with text written for this repository, so the
example and the tests that read it carry no one else's articles: a running
head, two articles (one with a column label, a title over three columns,
a dateline with the reporters, two paragraphs and a picture caption with
its credit; one short item with a byline), set in HTML + CSS and printed by
headless Chromium to an A4 page. Needs chromium and a CJK font (Debian
`fonts-wqy-zenhei`). The tests know what it prints from `EXPECTED` below,
which they read as `examples/shili-2026-03-12-p01.expected.json`.

`--ocr` reads the PDF as a scan instead of printing it: poppler's
`pdftoppm` renders it at 300 dpi in grey and Tesseract (`chi_sim`) writes
`….hocr` and `….alto.xml` beside it, the OCR examples that `baozhi parse`
and the tests read. Needs Debian `poppler-utils`, `tesseract-ocr`,
`tesseract-ocr-chi-sim`.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import printpages  # noqa: E402  (prints HTML to PDF with headless Chromium)

FIRST = [
    "本报清河3月11日电（记者林晓雨、周明远）春耕时节，清河县的田野里一片繁忙。"
    "今年全县推广智能灌溉设备两千余套，农户在手机上就能查看土壤墒情，按需浇水，"
    "每亩地节水三成以上。县农业农村局负责人介绍，这些设备由县里统一采购，"
    "按照先试点、后推开的办法，已经覆盖全县八个乡镇。",
    "在南庄村，种粮大户王建国正在检查刚刚安装好的传感器。他说，过去浇一遍地要"
    "守上整整两天，现在坐在家里点一点手机就行，省下的时间可以去学新技术。"
    "村里还成立了农机合作社，统一为农户提供耕种收服务，小农户也用上了大机器。",
    "据了解，清河县下一步将建设县级农业数据中心，把气象、土壤、病虫害等信息"
    "汇到一张图上，为农户提供更精准的种植建议，让科技更好地服务春耕生产。",
]
SECOND = [
    "近日，清河县图书馆新馆正式向读者开放。新馆面积比老馆扩大一倍，设有少儿阅读区、"
    "地方文献区和自习区，开馆首周接待读者一万余人次。",
    "馆长介绍，新馆实行全年无休，并将在各乡镇设立流动借书点，方便群众就近借阅。",
]

EXPECTED = {
    "articles": [
        {"column": "乡村振兴", "title": "智能灌溉走进田间地头",
         "dateline": "本报清河3月11日电（记者林晓雨、周明远）", "bylines": ["林晓雨", "周明远"],
         "paragraphs": FIRST, "captions": ["南庄村农户在查看土壤墒情数据。"]},
        {"title": "县图书馆新馆开放", "bylines": ["陈思"], "paragraphs": SECOND},
    ]
}


def html():
    paras1 = "".join(f"<p>{p}</p>" for p in FIRST)
    paras2 = "".join(f"<p>{p}</p>" for p in SECOND)
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
@page {{ size: 210mm 297mm; margin: 12mm; }}
body {{ font-family: "WenQuanYi Zen Hei", "Noto Serif CJK SC", serif; font-size: 9pt;
       line-height: 1.45; margin: 0; }}
.masthead {{ display: flex; justify-content: space-between; font-size: 11pt;
            border-bottom: 1pt solid #000; padding-bottom: 2mm; margin-bottom: 5mm; }}
.label {{ font-size: 10pt; font-weight: bold; border-left: 3pt solid #000; padding-left: 2mm; }}
.title {{ font-size: 22pt; font-weight: bold; margin: 2mm 0 3mm; }}
.body {{ column-count: 3; column-gap: 5mm; text-align: justify; }}
.body p {{ margin: 0; text-indent: 2em; }}
.figure {{ break-inside: avoid; margin: 2mm 0; }}
.picture {{ background: #bbb; height: 30mm; }}
.caption {{ font-size: 8pt; }}
.second {{ margin-top: 10mm; width: 62%; }}
.second .body {{ column-count: 2; }}
.byline {{ font-size: 10pt; margin-bottom: 2mm; }}
</style></head><body>
<div class="masthead"><span>示例日报</span><span>2026年3月12日　星期四</span><span>第1版</span></div>
<div class="label">乡村振兴</div>
<div class="title">智能灌溉走进田间地头</div>
<div class="body">{paras1}
<div class="figure"><div class="picture"></div><div class="caption">南庄村农户在查看土壤墒情数据。　苏禾摄</div></div>
</div>
<div class="second"><div class="title">县图书馆新馆开放</div>
<div class="byline">本报记者　陈思</div>
<div class="body">{paras2}</div></div>
</body></html>"""


def ocr(pdf):
    import shutil
    import subprocess
    import tempfile
    base = pdf[:-4]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", pdf, tmp + "/scan"],
                       check=True)
        subprocess.run(["tesseract", tmp + "/scan.png", tmp + "/out", "--dpi", "300",
                        "-l", "chi_sim", "hocr", "alto"], check=True, capture_output=True)
        shutil.copyfile(tmp + "/out.hocr", base + ".hocr")
        shutil.copyfile(tmp + "/out.xml", base + ".alto.xml")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(HERE, "..", "examples", "shili-2026-03-12-p01.pdf"))
    ap.add_argument("--ocr", action="store_true", help="OCR the PDF into hOCR and ALTO")
    a = ap.parse_args()
    if a.ocr:
        ocr(os.path.abspath(a.out))
        return
    printpages.print_pdf(html(), os.path.abspath(a.out))
    expected = a.out[:-4] + ".expected.json"
    with open(expected, "w", encoding="utf-8") as f:
        json.dump(EXPECTED, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
