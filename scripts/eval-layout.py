#!/usr/bin/env python3
"""Score the page engine per input form on generated pages (held out).

usage: eval-layout.py --bin target/release/baozhi [--engine learned|rules]
                      [--extracted ../shared/pages/extracted] DIR [DIR ...]

Every `FORM-*.txt` with a `.gold.json` beside it (as `scripts/pagegen.py`
writes them) is parsed with `BIN parse --format jsonl` (one process for all
pages, so the numbers are cheap to get) and scored with
`../shared/tools/score.py`'s metrics; one row per form and one for all.
A page with a `.pdf` or `.hocr` beside its text (`printpages.py --tools
baozhi` or `tesseract`) is parsed from that file, with its geometry. With `--extracted DIR` the real
extractors' text of `../shared/pages/extracted` is scored too
(`NAME.TOOL.txt` against `NAME.gold.json`), its PDFs (`x-pdf`) and its
Tesseract hOCR (`x-hocr`).
"""
import argparse
import collections
import importlib.util
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
COLS = ["article_f1", "headline_acc", "title_acc", "byline_acc", "para_f1", "caption_acc",
        "jump_acc", "dateline_acc", "body_cer"]


def scorer():
    path = os.path.join(HERE, "..", "..", "shared", "tools", "score.py")
    spec = importlib.util.spec_from_file_location("score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run_parse(binary, engine, paths):
    out = subprocess.run([binary, "parse", "--engine", engine, "--format", "jsonl", *paths],
                         capture_output=True)
    return [json.loads(l) for l in out.stdout.decode("utf-8").splitlines() if l.strip()], out


def merged(docs):
    """One document of a PDF's pages (a page that ran over onto a second
    sheet when printed): the articles and furniture of all, in order."""
    doc = docs[0]
    for more in docs[1:]:
        doc["articles"].extend(more["articles"])
        for page in more["pages"]:
            doc["pages"][0]["furniture"].extend(page.get("furniture", []))
    return doc


def parse_all(binary, engine, paths):
    if all(p.endswith((".pdf", ".hocr")) for p in paths):
        # A PDF or hOCR file may hold more than one page: one run per file.
        docs = []
        for p in paths:
            got, out = run_parse(binary, engine, [p])
            if not got:
                sys.exit(f"{binary} gave nothing for {p}: " + out.stderr.decode("utf-8", "replace")[:500])
            docs.append(merged(got))
        return docs
    docs, out = run_parse(binary, engine, paths)
    if len(docs) != len(paths):
        sys.exit(f"{binary} gave {len(docs)} documents for {len(paths)} pages: "
                 + out.stderr.decode("utf-8", "replace")[:500])
    return docs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--extracted")
    ap.add_argument("--engine", default="learned", choices=["learned", "rules"])
    ap.add_argument("dirs", nargs="*")
    a = ap.parse_args()
    sc = scorer()
    groups = collections.defaultdict(list)  # form -> [(txt, gold)]
    for d in a.dirs:
        for name in sorted(os.listdir(d)):
            if name.endswith(".txt"):
                gold = os.path.join(d, name[:-4] + ".gold.json")
                # the file baozhi reads with its geometry, when there is one
                page = os.path.join(d, name)
                for ext in (".pdf", ".hocr"):
                    if os.path.exists(os.path.join(d, name[:-4] + ext)):
                        page = os.path.join(d, name[:-4] + ext)
                if os.path.exists(gold):
                    groups[name.split("-rmrb-")[0]].append((page, gold))
    if a.extracted:
        for name in sorted(os.listdir(a.extracted)):
            parts = name.split(".")
            if len(parts) == 3 and parts[2] == "txt":
                gold = os.path.join(a.extracted, parts[0] + ".gold.json")
                groups["x-" + parts[1]].append((os.path.join(a.extracted, name), gold))
            if len(parts) == 3 and parts[2] == "hocr":
                gold = os.path.join(a.extracted, parts[0] + ".gold.json")
                groups["x-hocr"].append((os.path.join(a.extracted, name), gold))
            if len(parts) == 2 and parts[1] == "pdf":
                gold = os.path.join(a.extracted, parts[0] + ".gold.json")
                groups["x-pdf"].append((os.path.join(a.extracted, name), gold))
    print(f"{'form':14} {'pages':>5} " + " ".join(f"{c[:9]:>9}" for c in COLS))
    every = []
    for form in sorted(groups):
        pairs = groups[form]
        docs = parse_all(a.bin, a.engine, [t for t, _ in pairs])
        rows = [sc.score_page(json.load(open(g, encoding="utf-8")), d) for (_, g), d in zip(pairs, docs)]
        if not form.startswith("x-"):
            every.extend(rows)
        s = sc.summarize(rows)
        print(f"{form:14} {len(rows):>5} " + " ".join(f"{s[c]:>9.3f}" for c in COLS))
    if every:
        s = sc.summarize(every)
        print(f"{'generated':14} {len(every):>5} " + " ".join(f"{s[c]:>9.3f}" for c in COLS))


if __name__ == "__main__":
    main()
