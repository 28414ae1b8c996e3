#!/usr/bin/env python3
"""Lay out corpus articles as newspaper page text with gold `baozhi/1`.

The page engine is fitted on these pages and checked on pages of dates it
was not fitted on. Every page is one printed page of the corpus (all the
articles of one date and page number, in the corpus' order), laid out in
one of the forms users' text arrives in:

  block        one text line per printed block, as e-paper text layers
               give: paragraphs whole, cut at column ends now and then,
               captions and labels dropped between the two halves;
  lines        one text line per printed line, hard-wrapped at the column
               width (pdftotext, PyMuPDF, pdfminer, OCR);
  lines-blank  the same with a blank line between paragraphs;
  lines-indent the same with paragraphs indented by two full-width spaces;
  ocr          `lines` with OCR damage: half-width punctuation, —— read as
               一一, dropped quotes, a blank line now and then.

Besides `NAME.txt` and `NAME.gold.json` every page gets `NAME.labels.tsv`:
one row per text line (blank lines skipped) with the line's role, the index
of its article (-1 for page furniture) and its text. The role names are the
ones `baozhi-layout`'s line model predicts (see `ROLES`).

Splits are by date: a date belongs to fold `crc32(date) % FOLDS`; `--split
test --fold K` takes the dates of fold K, `--split train --fold K` all the
others. Articles belong to one date, so the split is by article too.

Names for bylines and credits are drawn from common surnames and given-name
characters: the corpus rarely prints them. The corpus text is the paper's:
the generated pages are written outside the repo and never committed.

usage: pagegen.py --out DIR [--corpus PATH] [--split train|test|all]
                  [--fold K] [--folds N] [--forms block,lines,...]
                  [--pages N] [--seed S]
"""
import argparse
import json
import os
import random
import re
import sys
import zlib

FOLDS = 5
FORMS = ["block", "lines", "lines-blank", "lines-indent", "ocr"]
# the line roles the engine's line model predicts
ROLES = [
    "header",      # page furniture: running head, page credits
    "label",       # a column or series label (栏目)
    "kicker",      # 引题
    "title",       # 主题 (each of its lines)
    "subtitle",    # 副题
    "byline",      # printed byline (with a role or a bare name)
    "para",        # first line of a paragraph
    "cont",        # a line that continues the paragraph above
    "heading",     # an in-article heading
    "caption",     # a photo caption's text
    "credit",      # a photo credit (alone or after its caption)
    "jump",        # a jump line (下转…)
]

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
            "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹"
            "薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力斌宇浩凯健俊帆"
         "鹏鑫波琳雪晶晨阳欣怡婷倩佳楠宁博然亮飞龙峰云海林森志国庆春东晓丹蕾颖琪瑶璐翔昊"
         "天一子梓铭泽睿哲轩杨柳雨欢乐嘉源航蔚薇卓越思远")
PAGE_NAMES = ["要闻", "评论", "理论", "社会", "生态", "国际", "经济", "文化", "体育", "副刊",
              "视点", "地方", "科技", "教育", "民生", "综合", "政治", "法治", "健康", "观点"]
WEEKDAYS = "一二三四五六日"
CREDIT_KINDS = ["photo", "photo", "photo", "xinhua", "file", "screen", "supplied", "museum"]
HALF = {"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?"}


# a corpus paragraph that is a sub-report's printed byline (本报记者  刘  毅)
BYLINE_PARA = re.compile(r"^(?:本报|新华社)?(?:特约|全媒体)?(?:记者|通讯员)[\s\u3000]*"
                         r"[\u4e00-\u9fff][\u4e00-\u9fff\s\u3000、]{1,20}$")


# The page's staff credits, as `cues::is_page_credit` reads them (the same
# pattern: keep the two alike).
PAGE_CREDIT_PARA = re.compile(r"^[(（]?(?:本版|本期)?(?:责任编辑|责编|编辑|美编|美术编辑|版式设计|版式|"
                              r"校对|组版|照排|审读|统筹|策划|图片编辑|制图|摄影)[、\s]*(?:制图)?\s*[:：]")


def sub_byline(text):
    """Gold bylines of a byline printed in the body (`本报记者  常  钦`):
    the role, then names, a two-char name set apart as `常  钦`."""
    # a trailing task word (`本报记者  何  聪整理`) is the role's, not the name's
    m = re.match(r"((?:本报|新华社)?(?:特约|全媒体)?(?:记者|通讯员))[\s\u3000]*(.*?)"
                 r"(?:摄影报道|整理|采写|报道)?$", text)
    toks = [t for t in re.split(r"[\s\u3000、]+", m.group(2)) if t]
    names, i = [], 0
    while i < len(toks):
        if len(toks[i]) == 1 and i + 1 < len(toks) and len(toks[i + 1]) == 1:
            names.append(toks[i] + toks[i + 1])
            i += 2
        else:
            names.append(toks[i])
            i += 1
    return [{"role": m.group(1), "names": names}] if names else []


def body_part(kind, text):
    """What a corpus paragraph is on the printed page, as the spec reads
    it: `heading`, `header` (the page's staff credits), `credit` (a
    picture's credit standing alone), `byline` (a sub-report's byline) or
    `para`."""
    if kind == "heading":
        return "heading"
    if PAGE_CREDIT_PARA.match(text) and len(text) <= 60:
        return "header"
    if BYLINE_PARA.match(text):
        return "credit" if text.endswith("摄") else "byline"
    return "para"


def add_to_gold(gold, part, kind, text):
    """A printed body part into the gold: a lone credit to the captions, a
    byline's names to the bylines, text to the paragraphs; staff credits
    are page furniture, which the caller records."""
    if part == "credit":
        gold["captions"].append({"text": "", "credit": text})
    elif part == "byline":
        gold["bylines"] = gold["bylines"] + sub_byline(text)
    elif part != "header":
        gold["paragraphs"].append({"kind": kind, "text": text})


def fold_of(date, folds):
    return zlib.crc32(date.encode()) % folds


def name(rng):
    n = 1 if rng.random() < 0.35 else 2
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(n))


def spaced_name(n, rng):
    """Print convention: a two-char name is set as wide as a three-char one."""
    if len(n) == 2 and rng.random() < 0.7:
        return n[0] + rng.choice(["  ", "\u3000"]) + n[1]
    return n


def byline(rng):
    """A printed byline line and its gold form, or None."""
    r = rng.random()
    names = [name(rng) for _ in range(rng.choice([1, 1, 1, 2, 2, 3]))]
    sep = rng.choice(["  ", "\u3000", " "])
    if r < 0.45:
        role = rng.choice(["本报记者", "本报记者", "本报记者", "新华社记者", "本报特约记者"])
        text = role + rng.choice(["  ", " ", "\u3000"]) + sep.join(spaced_name(n, rng) for n in names)
        gold = [{"role": role, "names": names}]
        if rng.random() < 0.25:
            extra = [name(rng)]
            text += sep + "本报通讯员" + " " + spaced_name(extra[0], rng)
            gold.append({"role": "本报通讯员", "names": extra})
        return text, gold
    if r < 0.75:
        # a bare name, as commentary and features print it
        names = names[:2]
        return sep.join(spaced_name(n, rng) for n in names), [{"role": None, "names": names}]
    return None


def credit(rng):
    k = rng.choice(CREDIT_KINDS)
    if k == "photo":
        n = spaced_name(name(rng), rng)
        pre = rng.choice(["", "", "本报记者 ", "新华社记者 "])
        suf = rng.choice(["摄", "摄", " 摄", "摄（人民视觉）", "摄（影像中国）"])
        return pre + n + suf
    if k == "xinhua":
        return "新华社发" if rng.random() < 0.5 else name(rng) + "摄（新华社发）"
    if k == "file":
        return "资料图片"
    if k == "screen":
        return "视频截图"
    if k == "supplied":
        return name(rng) + "供图" if rng.random() < 0.5 else "受访者供图"
    return rng.choice(["中国国家博物馆藏", "故宫博物院藏", "图片由当地宣传部提供",
                       rng.choice(["县委宣传部", "市文旅局", "社区", "景区管委会"]) + "供图"])


def sentences(text):
    """Sentences of an article that can stand as a picture's caption: a
    cut at a stop inside a quotation leaves a piece that opens on its
    closing quote (`”他说。`) or leaves a quote open, and no caption reads
    so."""
    out = []
    for s in re.findall(r"[^。！？]*[。！？]", text):
        s = s.strip()
        if (8 <= len(s) <= 60 and s[0] not in NO_LINE_START
                and s.count("“") == s.count("”") and s.count("‘") == s.count("’")):
            out.append(s)
    return out


def reporters(dateline):
    """The reporters a dateline's parentheses name, as gold bylines."""
    m = re.search(r"[（(]([^）)]*)[）)]\s*$", dateline or "")
    if not m:
        return []
    out = []
    for part in re.split(r"\s+(?=[^\s、]*记者|[^\s、]*通讯员)", m.group(1).strip()):
        mm = re.match(r"((?:本报|新华社)?(?:特约|全媒体)?(?:记者|通讯员))\s*(.+)", part.strip())
        if not mm:
            return []
        names = [n for n in re.split(r"[、\s\u3000]+", mm.group(2)) if n]
        if not names or any(len(n) > 4 for n in names):
            return []
        out.append({"role": mm.group(1), "names": names})
    return out


class Page:
    """Lines of page text with their roles, and the gold articles."""

    def __init__(self):
        self.lines = []  # (text, role, article index) or None for a blank line

    def add(self, text, role, art):
        self.lines.append((text, role, art))

    def blank(self, n=1):
        for _ in range(n):
            self.lines.append(None)


# chars a printed line may not start with (禁则): they hang at the end of the line above
NO_LINE_START = set("，。、；：？！）”’》」』】…—,.;:?!)")


def wrap(text, width, hang=True):
    """Hard-wrap at `width` chars the way Chinese typesetting does: closing
    punctuation never starts a line, it hangs past the column edge. With
    `hang` false the break falls before it, as some extractors' lines do
    (the mark set past the edge read onto the next line)."""
    out, line = [], ""
    for c in text:
        if len(line) >= width and (c not in NO_LINE_START or not hang):
            out.append(line)
            line = ""
        line += c
    if line:
        out.append(line)
    return out or [""]


def letter_space(text, rng):
    return rng.choice([" ", "  ", "\u3000"]).join(text)


def noisy(text, rng, level):
    """OCR damage on one line."""
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if text.startswith("——", i) and rng.random() < 0.5 * level:
            out.append("一一")
            i += 2
            continue
        if c in HALF and rng.random() < 0.6 * level:
            out.append(HALF[c])
        elif c in "“”" and rng.random() < 0.15 * level:
            pass
        else:
            out.append(c)
        i += 1
    return "".join(out)


def empty_gold(rec, ai):
    """The gold article of corpus record `rec`, the `ai`-th on its page,
    before its headline group, bylines and text are set."""
    return {
        "id": f"{rec['page']}-{ai + 1}", "page": rec["page"], "column": None, "series": None,
        "kicker": None, "title": rec["title"], "subtitle": None, "bylines": [],
        "dateline": rec.get("dateline"), "paragraphs": [], "captions": [],
        "continues_to": None, "continued_from": None, "marks": [],
        "source": f"corpus/rmrb.jsonl date={rec['date']} page={rec['page']} order={rec['order']}",
    }


def printed_date(rec):
    """The page's date as a header prints it (2019年2月25日) and a weekday
    drawn from the date (the corpus gives none)."""
    y, m, d = (int(x) for x in rec["date"].split("-"))
    return f"{y}年{m}月{d}日", WEEKDAYS[zlib.crc32(rec["date"].encode()) % 7]


def header_lines(rec, rng):
    page = rec["page"]
    pname = rng.choice(PAGE_NAMES)
    date, wd = printed_date(rec)
    styles = [
        [f"{page} {pname}  {date}"],
        [f"{pname} {page}", "人民日报", f"{date}\u3000星期{wd}"],
        [f"人民日报", f"{date}\u3000星期{wd}", f"{pname}{page}"],
        [f"第{page}版：{pname}"],
        [f"{letter_space(pname, rng)} {page}"],
        [],
    ]
    return rng.choice(styles)


# The share of a block-text article's captions printed before its text, as
# e-paper text layers often give a picture's caption under the headline
# group. Set by hand: no corpus field records where a caption was printed.
CAPTION_FIRST = 0.3

# A page's first article is now and then the rest of a story begun on an
# earlier page: its title again (or not), a jump line naming that page, and
# the paragraphs that did not fit there.
JUMP_FROM = ["（上接第%s版）", "(上接%s版)", "（上接%s版）"]
CONTINUED_TITLE = 0.8
# the share of pages (after the front page) whose first article is continued
JUMP_FROM_SHARE = 0.15
# Share of line-per-line pages whose extractor breaks a line before the
# closing punctuation that print hangs at the column's edge (`散步。` over
# `”家住……`): the line model must see such a line, which only continues
# the sentence above, before a headline as well as inside a paragraph.
EXTRACTOR_BREAKS = 0.2
# Share of pages whose paper ends each article with an editor's mark (a
# circled number, often with one or two digits: `……标准。②3`), as many
# city and provincial dailies print (People's Daily does not, so the
# corpus has none). Set by hand: a page prints them on every article or on
# none. The gold keeps the mark in `marks`, out of the text.
EDITOR_MARKS = 0.2
# Share of a marking page's articles that end on a mark.
MARKED_ARTICLE = 0.8
CIRCLED = "①②③④⑤⑥⑦⑧⑨"


def editor_mark(rng):
    """An editor's mark as printed: `②`, `②4` or `②13`."""
    return rng.choice(CIRCLED) + "".join(rng.choice("0123456789")
                                         for _ in range(rng.choice([0, 1, 1, 1, 2])))


def layout(recs, form, rng, jump_to=None, jump_from=None):
    """One page: lines with roles, and the gold articles. With `jump_from`
    the first article is continued from that page."""
    pg = Page()
    block = form == "block"
    lines_form = not block
    width = rng.randint(11, 24)       # body column width (chars)
    head_width = width * rng.choice([2, 3])
    # Tesseract sets a blank line between its text blocks: mostly paragraphs
    blank_paras = form == "lines-blank" or (form == "ocr" and rng.random() < 0.7)
    indent = form == "lines-indent" or (form == "ocr" and rng.random() < 0.3)
    block_blanks = rng.choice([0, 1, 1, 2, 3])
    level = 1.0 if form == "ocr" else 0.0
    hang = not (lines_form and rng.random() < EXTRACTOR_BREAKS)
    # some extractors fold every full-width punctuation mark to half width
    fold = rng.random() < 0.3
    folded = (lambda t: "".join(HALF.get(c, c) for c in t)) if fold and not level else (lambda t: t)
    if level:
        noise = lambda t: noisy(t, rng, level)
    elif fold:
        noise = lambda t: "".join(HALF.get(c, c) for c in t)
    else:
        noise = lambda t: t
    head_blanks = block and rng.random() < 0.4
    marks_page = rng.random() < EDITOR_MARKS

    head = header_lines(recs[0], rng)
    top = rng.random() < 0.7
    if top:
        for h in head:
            pg.add(h, "header", -1)
        pg.blank(rng.choice([0, 1, 2]))
    golds = []
    for ai, rec in enumerate(recs):
        gold = empty_gold(rec, ai)
        if jump_from is not None and ai == 0 and len(rec["paragraphs"]) >= 2:
            continued(pg, gold, rec, form, rng, jump_from, noise, width, head_width, indent,
                      blank_paras, hang)
            golds.append(gold)
            continue
        # --- headline group
        column = rec.get("column")
        label_after = column and rng.random() < 0.2
        if column and rng.random() < 0.15:
            # a series prints its part number after the label
            column = column + rng.choice("①②③④⑤⑥⑦⑧")
        if column and not label_after:
            gold["column"] = column
            pg.add(column, "label", ai)
            if head_blanks:
                pg.blank(rng.randint(1, 3))
        if rec.get("kicker"):
            k = rec["kicker"]
            gold["kicker"] = k
            shown = k + ("——" if rng.random() < 0.3 else "")
            for part in (wrap(shown, head_width) if lines_form else [shown]):
                pg.add(noise(part), "kicker", ai)
            if head_blanks:
                pg.blank(rng.randint(1, 3))
        title = rec["title"]
        if len(title) <= 6 and rng.random() < 0.3:
            pg.add(noise(letter_space(title, rng)), "title", ai)
        elif len(title) > 10 and rng.random() < 0.35:
            cut = rng.randint(4, len(title) - 4)
            pg.add(noise(title[:cut]), "title", ai)
            pg.add(noise(title[cut:]), "title", ai)
        else:
            for part in (wrap(title, head_width) if lines_form else [title]):
                pg.add(noise(part), "title", ai)
        if head_blanks:
            pg.blank(rng.randint(1, 3))
        if rec.get("subtitle"):
            s = rec["subtitle"]
            gold["subtitle"] = s
            pg.add(noise(("——" if rng.random() < 0.6 else "") + s), "subtitle", ai)
        if label_after:
            gold["column"] = column
            pg.add(column, "label", ai)
        # the corpus' own byline (rare) is not printed on these pages, so
        # it is not in the gold either; a drawn one is, above the text or
        # (now and then) at its end
        by = None if rec.get("dateline") and reporters(rec["dateline"]) else byline(rng)
        by_at_end = False
        if by and not rec.get("byline"):
            text, gb = by
            gold["bylines"] = gb
            by_at_end = rng.random() >= 0.85
            if not by_at_end:
                pg.add(text, "byline", ai)
        else:
            by = None
        if not gold["bylines"] and rec.get("dateline"):
            gold["bylines"] = reporters(rec["dateline"])
        if block and block_blanks:
            pg.blank(rng.randint(1, block_blanks))

        # --- captions: the corpus' own, and now and then one made from the text
        caps = [dict(c) for c in rec.get("captions") or []]
        body_text = " ".join(p["text"] for p in rec["paragraphs"])
        if rng.random() < 0.3:
            ss = sentences(body_text)
            if ss:
                for _ in range(rng.choice([1, 1, 1, 2, 3])):
                    t = rng.choice(ss)
                    # (图为 before a sentence that opens on 为 would print
                    # a doubling no caption has)
                    if rng.random() < 0.2 and not t.startswith("为"):
                        t = "图为" + t
                    caps.append({"text": t, "credit": credit(rng)})
        if rng.random() < 0.05:
            caps.append({"text": "", "credit": credit(rng)})
        paras = rec["paragraphs"]
        # blank lines between a caption and its credit: block text only
        caption_blanks = block_blanks if block else 0
        cap_at = {}
        for c in caps:
            # e-paper text layers often give a picture's caption before the
            # article's text, right under its headline group and byline
            at = -1 if block and rng.random() < CAPTION_FIRST else rng.randrange(max(1, len(paras)))
            cap_at.setdefault(at, []).append(c)
        if -1 in cap_at:
            emit_captions(pg, cap_at.pop(-1), ai, rng, noise, folded, block_blanks)
            if block_blanks:
                pg.blank(rng.randint(1, block_blanks))

        # --- body
        cut_jump = jump_to is not None and ai == len(recs) - 1 and len(paras) >= 3
        keep = len(paras)
        if cut_jump:
            keep = rng.randint(2, len(paras) - 1)
            gold["continues_to"] = jump_to
        mark = editor_mark(rng) if marks_page and rng.random() < MARKED_ARTICLE else None
        for pi, p in enumerate(paras[:keep]):
            text = p["text"]
            last = pi == keep - 1
            if cut_jump and last:
                cut = rng.randint(min(8, len(text)), len(text))
                text = text[:cut]
            role = body_part(p["kind"], text)
            if role == "header" and cut_jump and last:
                role = "para"  # the jump line ends a paragraph, not a credit
            # the corpus keeps staff credits (制图：…), a sub-report's byline
            # and a lone picture credit as paragraphs; the spec does not
            add_to_gold(gold, role, p["kind"], text)
            if role == "header":
                pg.add(noise(text), "header", -1)
                continue
            pieces = []
            if block:
                if role == "para" and len(text) > 30 and rng.random() < 0.15:
                    cut = rng.randint(5, len(text) - 5)
                    pieces = [text[:cut], text[cut:]]
                else:
                    pieces = [text]
            else:
                pieces = line_pieces(text, role, width, head_width, indent, hang)
            for k, piece in enumerate(pieces):
                r = piece_role(role, k)
                if k > 0 and block and pi in cap_at and rng.random() < 0.5:
                    emit_captions(pg, cap_at.pop(pi), ai, rng, noise, folded, caption_blanks)
                    if block_blanks:
                        pg.blank(1)
                line = noise(piece)
                if cut_jump and last and k == len(pieces) - 1:
                    pg.add(line, r, ai)
                    pg.add(rng.choice(["（下转第%s版）", "(下转%s版)", "（下转%s版）"]) % jump_to,
                           "jump", ai)
                    continue
                if (mark and pi == keep - 1 and k == len(pieces) - 1 and role == "para"
                        and re.search(r"[。！？”]$", piece)):
                    # the mark follows the article's last sentence
                    line += mark
                    gold["marks"].append(mark)
                pg.add(line, r, ai)
                if form == "ocr" and rng.random() < 0.03:
                    pg.blank(1)  # a block break inside a paragraph
                if block and block_blanks:
                    pg.blank(rng.randint(0, block_blanks))
            if blank_paras:
                pg.blank(1)
            if pi in cap_at:
                emit_captions(pg, cap_at.pop(pi), ai, rng, noise, folded, caption_blanks)
        for rest in cap_at.values():
            emit_captions(pg, rest, ai, rng, noise, folded, caption_blanks)
        if by_at_end and by:
            pg.add("（" + by[0].strip() + "）" if rng.random() < 0.5 else by[0], "byline", ai)
        for c in caps:
            gold["captions"].append({"text": c["text"], "credit": c["credit"]})
        pg.blank(rng.choice([0, 1, 2]) if not block else rng.randint(1, 3))
        golds.append(gold)
    furniture = []
    if not top:
        for h in head:
            pg.add(h, "header", -1)
    if rng.random() < 0.5:
        eds = "\u3000".join(name(rng) for _ in range(rng.choice([1, 2])))
        pg.add(f"本版责编：{eds}", "header", -1)
    for line in pg.lines:
        if line and line[1] == "header":
            furniture.append({"kind": "page_header", "text": line[0]})
    return pg, golds, furniture


def line_pieces(text, role, width, head_width, indent, hang=True):
    """A body part as the printed lines of a line-per-line form: a heading
    wrapped at its own width, text at the column's, indented or not; with
    `hang` false, closing punctuation at a column's edge opens the next
    line ([`wrap`])."""
    if role == "heading":
        return wrap(text, head_width if len(text) > width else width)
    return wrap(("\u3000\u3000" if indent else "") + text, width, hang)


def piece_role(role, k):
    """The label of the `k`-th printed line of a body part: a heading's
    lines are all heading, the other parts go on as continuations."""
    return role if k == 0 else ("heading" if role == "heading" else "cont")


def continued(pg, gold, rec, form, rng, jump_from, noise, width, head_width, indent, blank_paras,
              hang=True):
    """The rest of a story begun on page `jump_from`: no kicker, label,
    byline or dateline (they were printed there), the title again now and
    then, the jump line, and the paragraphs from a cut on."""
    lines_form = form != "block"
    gold["dateline"] = None
    gold["continued_from"] = jump_from
    if rng.random() < CONTINUED_TITLE:
        for part in (wrap(rec["title"], head_width) if lines_form else [rec["title"]]):
            pg.add(noise(part), "title", 0)
    else:
        gold["title"] = ""
    pg.add(rng.choice(JUMP_FROM) % jump_from, "jump", 0)
    paras = rec["paragraphs"]
    for p in paras[rng.randint(1, len(paras) - 1):]:
        text = p["text"]
        role = body_part(p["kind"], text)
        add_to_gold(gold, role, p["kind"], text)
        if role == "header":
            pg.add(noise(text), "header", -1)
            continue
        pieces = [text] if form == "block" else line_pieces(text, role, width, head_width, indent, hang)
        for k, piece in enumerate(pieces):
            pg.add(noise(piece), piece_role(role, k), 0)
        if blank_paras:
            pg.blank(1)
    pg.blank(rng.choice([0, 1, 2]) if lines_form else rng.randint(1, 3))


def emit_captions(pg, caps, ai, rng, noise, folded, block_blanks=0):
    """A photo's caption and credit; `folded` is the page's width folding,
    which a credit gets too (the extractor folds the whole page) though it
    is otherwise printed as it stands. `block_blanks` is the most blank
    lines a block-text page sets between its blocks: a credit printed
    apart from its caption is a block of its own there."""
    for c in caps:
        # a caption the corpus keeps on two lines is printed as one line
        text, cr = c["text"].replace("\n", " "), folded(c["credit"])
        if not text:
            pg.add(cr, "credit", ai)
        elif rng.random() < 0.55:
            pg.add(noise(text) + rng.choice([" ", "  ", "\u3000"]) + cr, "caption", ai)
        else:
            pg.add(noise(text), "caption", ai)
            if block_blanks:
                pg.blank(rng.randint(1, block_blanks))
            pg.add(cr, "credit", ai)


def load(corpus):
    pages = {}
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if not r.get("paragraphs") or not r.get("title"):
                continue
            pages.setdefault((r["date"], r["page"]), []).append(r)
    for v in pages.values():
        v.sort(key=lambda r: r["order"])
    return pages


def split_arguments(description, pages_default, pages_help):
    """The command line every page generator shares: corpus, output, which
    fold of the dates, how many pages, the seed."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "../../shared/corpus/rmrb.jsonl"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--split", choices=["train", "test", "all"], default="all")
    ap.add_argument("--fold", type=int, default=0)
    ap.add_argument("--folds", type=int, default=FOLDS)
    ap.add_argument("--pages", type=int, default=pages_default, help=pages_help)
    ap.add_argument("--seed", type=int, default=1)
    return ap


def split_keys(pages, a):
    """The (date, page) keys of the split `a` asks for, sorted: a fold is a
    set of dates, so no day is in both the training and the test pages."""
    return sorted(k for k in pages if a.split == "all"
                  or (fold_of(k[0], a.folds) == a.fold) == (a.split == "test"))


def main():
    ap = split_arguments(__doc__.split("\n")[0], 50, "pages per form")
    ap.add_argument("--forms", default=",".join(FORMS))
    a = ap.parse_args()
    forms = a.forms.split(",")
    for f in forms:
        if f not in FORMS:
            sys.exit(f"unknown form {f!r}; forms: {', '.join(FORMS)}")
    pages = load(a.corpus)
    keys = split_keys(pages, a)
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    for form in forms:
        chosen = rng.sample(keys, min(a.pages, len(keys)))
        for date, page in chosen:
            recs = pages[(date, page)][:8]
            jump = f"{int(page) + rng.randint(1, 8):02d}" if rng.random() < 0.3 else None
            jump_from = None
            if int(page) > 1 and rng.random() < JUMP_FROM_SHARE:
                jump_from = f"{rng.randint(1, int(page) - 1):02d}"
            pg, golds, furniture = layout(recs, form, rng, jump, jump_from)
            base = os.path.join(a.out, f"{form}-rmrb-{date}-p{page}")
            text_lines, rows = [], []
            for line in pg.lines:
                if line is None:
                    text_lines.append("")
                    continue
                text, role, art = line
                text_lines.append(text)
                rows.append(f"{role}\t{art}\t{text}")
            with open(base + ".txt", "w", encoding="utf-8") as f:
                f.write("\n".join(text_lines) + "\n")
            with open(base + ".labels.tsv", "w", encoding="utf-8") as f:
                f.write("\n".join(rows) + "\n")
            doc = {"schema": "baozhi/1", "paper": "人民日报", "date": date,
                   "pages": [{"page": page, "furniture": furniture}], "articles": golds}
            with open(base + ".gold.json", "w", encoding="utf-8") as f:
                json.dump(doc, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
