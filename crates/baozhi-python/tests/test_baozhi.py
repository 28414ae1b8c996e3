"""Tests of the `baozhi` Python package against the `baozhi` CLI.

The CLI comparisons run target/release/baozhi (or $BAOZHI_BIN) when it is
built, and skip saying so when it is not.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import baozhi

ROOT = Path(os.environ.get("BAOZHI_ROOT", Path(__file__).resolve().parents[3]))
EXAMPLES = ROOT / "examples"
TEXT_PAGE = EXAMPLES / "jiangcheng-2025-05-06-p01.txt"
PDF_PAGE = EXAMPLES / "shili-2026-03-12-p01.pdf"
HOCR_PAGE = EXAMPLES / "shili-2026-03-12-p01.hocr"
ALTO_PAGE = EXAMPLES / "shili-2026-03-12-p01.alto.xml"

# A page with a glyph confusion (浙川 for 淅川) and a doubled 的.
PROOF_PAGE = (
    "淅川县发展生态林果\n\n本报记者 张三\n\n"
    "记者日前走进浙川县仓房镇，看到漫山遍野的林果基地里，一派丰收景象，一片繁忙。"
    "当地干部说，今年的的收成比去年好。\n"
)


def _cli() -> Path | None:
    explicit = os.environ.get("BAOZHI_BIN")
    if explicit:
        return Path(explicit)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    if not target.is_absolute():
        target = ROOT / target
    exe = target / "release" / "baozhi"
    return exe if exe.is_file() else None


CLI = _cli()
needs_cli = pytest.mark.skipif(
    CLI is None,
    reason="target/release/baozhi is not built (cargo build --release -p baozhi-cli), or set BAOZHI_BIN",
)


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    assert CLI is not None
    return subprocess.run(
        [str(CLI), *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )


def cli_docs(*args: str, stdin: bytes | None = None) -> list:
    """The documents `baozhi parse --format jsonl ARGS` prints."""
    out = run_cli("parse", "--format", "jsonl", *args, stdin=stdin)
    assert out.returncode == 0, out.stderr.decode()
    return [json.loads(line) for line in out.stdout.decode().splitlines()]


def cli_error(*args: str) -> str:
    """The message of the first error the CLI prints, without `baozhi: `."""
    out = run_cli(*args)
    assert out.returncode != 0
    first = out.stderr.decode().splitlines()[0]
    assert first.startswith("baozhi: "), first
    return first[len("baozhi: "):]


# --- parse: equal to the CLI -------------------------------------------------


@needs_cli
def test_parse_text_equals_cli_json():
    pretty = run_cli("parse", "--format", "json", str(TEXT_PAGE))
    assert pretty.returncode == 0, pretty.stderr.decode()
    expected = json.loads(pretty.stdout)
    text = TEXT_PAGE.read_text(encoding="utf-8")
    # The CLI takes date and page from the file name; text has no name.
    doc = baozhi.parse(text, date="2025-05-06", page="01")
    assert doc == expected
    assert doc["schema"] == "baozhi/1"
    assert len(doc["articles"]) >= 2


@needs_cli
def test_parse_without_name_equals_cli_stdin():
    text = TEXT_PAGE.read_bytes()
    assert baozhi.parse(text) == cli_docs("-", stdin=text)[0]
    assert baozhi.parse(text, paper="江城日报", engine="learned") == cli_docs(
        "--paper", "江城日报", "--engine", "learned", "-", stdin=text
    )[0]


@needs_cli
@pytest.mark.parametrize("path", [TEXT_PAGE, PDF_PAGE, HOCR_PAGE, ALTO_PAGE], ids=lambda p: p.name)
def test_parse_file_equals_cli(path):
    assert baozhi.parse_file(path) == cli_docs(str(path))


@needs_cli
def test_proof_and_corrections_equal_cli():
    page = PROOF_PAGE.encode()
    assert baozhi.parse(page, proof=True) == cli_docs("--proof", "-", stdin=page)[0]
    assert baozhi.parse(page, apply_corrections=0.9) == cli_docs(
        "--apply-corrections=0.9", "-", stdin=page
    )[0]


@needs_cli
def test_proof_equals_cli_proof_json():
    page = PROOF_PAGE.encode()
    out = run_cli("proof", "--format", "jsonl", "--min-confidence", "0.9", "-", stdin=page)
    assert out.returncode == 0, out.stderr.decode()
    expected = [
        {"article": a["id"], "page": a["page"], **f}
        for line in out.stdout.decode().splitlines()
        for a in json.loads(line)["articles"]
        for f in a["findings"]
    ]
    assert baozhi.proof(PROOF_PAGE, min_confidence=0.9) == expected


# --- parse: the inputs ---------------------------------------------------------


def test_parse_file_of_a_pdf_gives_articles():
    docs = baozhi.parse_file(PDF_PAGE)
    assert isinstance(docs, list) and len(docs) == 1
    doc = docs[0]
    assert doc["date"] == "2026-03-12"
    assert doc["pages"][0]["page"] == "01"
    assert "size" in doc["pages"][0]
    assert len(doc["articles"]) >= 1
    for a in doc["articles"]:
        assert a["title"]
        assert a["boxes"], "PDF articles carry their boxes"
    # bytes of the same PDF read the same (no file name: date and page given)
    same = baozhi.parse(PDF_PAGE.read_bytes(), date="2026-03-12", page="01")
    assert same == doc


def test_parse_file_takes_os_pathlike_and_str():
    assert baozhi.parse_file(str(TEXT_PAGE)) == baozhi.parse_file(TEXT_PAGE)
    doc = baozhi.parse_file(TEXT_PAGE)[0]
    assert doc["date"] == "2025-05-06"
    assert doc["pages"][0]["page"] == "01"


def test_hocr_and_alto_bytes_parse():
    for path in (HOCR_PAGE, ALTO_PAGE):
        doc = baozhi.parse(path.read_bytes())
        assert doc["articles"], path
        assert doc == baozhi.parse(path.read_text(encoding="utf-8"))


def test_gb18030_and_utf16_bytes_decode():
    text = TEXT_PAGE.read_text(encoding="utf-8")
    expected = baozhi.parse(text)
    assert baozhi.parse(text.encode("gb18030")) == expected
    assert baozhi.parse(text.encode("gb18030"), encoding="gbk") == expected
    assert baozhi.parse(text.encode("utf-16")) == expected  # with a BOM
    assert baozhi.parse(text.encode("utf-16-le")) == expected  # found by its NULs
    assert baozhi.parse(bytearray(text.encode("utf-8"))) == expected
    assert baozhi.parse("\ufeff" + text) == expected  # a BOM is stripped


def test_several_pages_need_parse_pages(tmp_path):
    # Two pages of hOCR: the example page twice.
    hocr = HOCR_PAGE.read_text(encoding="utf-8")
    start = hocr.index("<div class='ocr_page'")
    end = hocr.rindex("</body>")
    two = hocr[:end] + hocr[start:end] + hocr[end:]
    docs = baozhi.parse_pages(two.encode())
    assert [d["pages"][0]["page"] for d in docs] == ["01", "02"]
    with pytest.raises(baozhi.BaozhiError, match="holds 2 pages"):
        baozhi.parse(two)
    f = tmp_path / "issue-2026-03-12.hocr"
    f.write_text(two, encoding="utf-8")
    assert [d["pages"][0]["page"] for d in baozhi.parse_file(f)] == ["01", "02"]


# --- errors ------------------------------------------------------------------------


def test_errors_raise_baozhi_error_with_the_message():
    assert issubclass(baozhi.BaozhiError, ValueError)
    assert baozhi.BaozhiError.__module__ == "baozhi"
    cases = [
        (lambda: baozhi.parse(b""), "empty page: no text"),
        (lambda: baozhi.parse("  \n\u3000\n"), "empty page: no text"),
        (lambda: baozhi.parse(b"\x89PNG\r\n\x1a\n" + bytes(64)), "not text: PNG image"),
        (lambda: baozhi.parse(b"%PDF-1.7\nthis is no pdf"), "PDF"),
        (lambda: baozhi.parse(b"\xff\xfe\x00"), "invalid UTF-16LE"),
        (lambda: baozhi.parse(b"\xe6\xb1\x9f\xff", encoding="utf-8"), "invalid UTF-8 at byte offset 3"),
        (lambda: baozhi.parse("x", date="2025-02-30"), '"2025-02-30" is not a calendar day'),
        (lambda: baozhi.parse("x", date="5 May"), "is not a date in the form YYYY-MM-DD"),
        (lambda: baozhi.parse("x", engine="magic"), 'unknown engine "magic"'),
        (lambda: baozhi.parse("x", encoding="latin-1"), 'unknown encoding "latin-1"'),
        (lambda: baozhi.parse("x", apply_corrections=1.5), "not a confidence between 0 and 1"),
        (lambda: baozhi.proof("x", min_confidence=-1), "not a confidence between 0 and 1"),
    ]
    for call, message in cases:
        with pytest.raises(baozhi.BaozhiError) as e:
            call()
        assert message in str(e.value), (message, str(e.value))


def test_missing_file_names_the_file(tmp_path):
    missing = tmp_path / "no-such-page.txt"
    with pytest.raises(baozhi.BaozhiError) as e:
        baozhi.parse_file(missing)
    assert str(e.value).startswith(f"{missing}: cannot read: ")
    with pytest.raises(baozhi.BaozhiError, match="is a directory"):
        baozhi.parse_file(tmp_path)


@needs_cli
def test_error_messages_are_the_clis(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary\x00")
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.7\nthis is no pdf")
    for path in (tmp_path / "missing.txt", bad, damaged, tmp_path):
        with pytest.raises(baozhi.BaozhiError) as e:
            baozhi.parse_file(path)
        assert str(e.value) == cli_error("parse", str(path))


def test_wrong_types_are_type_errors():
    with pytest.raises(TypeError):
        baozhi.parse(123)  # type: ignore[arg-type]


# --- proof ---------------------------------------------------------------------------


def test_proof_returns_findings_with_fields():
    found = baozhi.proof(PROOF_PAGE)
    assert len(found) >= 2
    fields = {"article", "page", "where", "paragraph", "start", "end", "original",
              "suggestion", "confidence", "kind", "evidence"}
    for f in found:
        assert set(f) == fields
        assert 0 <= f["confidence"] <= 1
        assert f["start"] <= f["end"]
    # the misread 浙, alone or in the place name the gazetteer knows (浙川)
    glyph = [f for f in found if f["kind"] == "glyph" and f["original"].startswith("浙")]
    assert glyph and glyph[0]["suggestion"] == glyph[0]["original"].replace("浙", "淅"), found
    assert glyph[0]["where"] == "paragraph" and glyph[0]["paragraph"] == 0
    dup = [f for f in found if f["kind"] == "duplicate"]
    assert dup and dup[0]["original"] == "的的"
    # the offsets point into the printed text
    doc = baozhi.parse(PROOF_PAGE, proof=True)
    art = next(a for a in doc["articles"] if a["id"] == glyph[0]["article"])
    para = art["paragraphs"][glyph[0]["paragraph"]]["text"]
    assert para[glyph[0]["start"]:glyph[0]["end"]] == glyph[0]["original"]
    assert baozhi.proof(PROOF_PAGE, min_confidence=1.0) == [
        f for f in found if f["confidence"] >= 1.0
    ]
    assert baozhi.proof_file(TEXT_PAGE) == []


def test_parse_with_proof_keeps_printed_text_and_corrections_apply():
    doc = baozhi.parse(PROOF_PAGE, proof=True)
    plain = baozhi.parse(PROOF_PAGE)
    assert all("findings" in a for a in doc["articles"])
    assert all("findings" not in a for a in plain["articles"])
    body = "".join(p["text"] for a in doc["articles"] for p in a["paragraphs"])
    assert "浙川" in body and "的的" in body
    fixed = baozhi.parse(PROOF_PAGE, apply_corrections=0.8)
    body = "".join(p["text"] for a in fixed["articles"] for p in a["paragraphs"])
    assert "淅川县仓房镇" in body and "的的" not in body


@needs_cli
def test_restore_width_equals_the_cli():
    # Folded punctuation, as extractors give it, and a finding to widen too.
    page = "浙川县发展生态林果\n\n本报记者 张三\n\n记者走进浙川县(仓房镇),看到:林果基地;一派丰收景象。\n"
    got = baozhi.parse(page, proof=True, restore_width=True)
    want = cli_docs("--proof", "--restore-width", "-", stdin=page.encode())
    assert got == want[0]
    body = "".join(p["text"] for a in got["articles"] for p in a["paragraphs"])
    assert "（仓房镇），" in body and "：" in body and "(" not in body
    plain = baozhi.parse(page)
    assert "(" in "".join(p["text"] for a in plain["articles"] for p in a["paragraphs"])


# --- threads -------------------------------------------------------------------------


def test_concurrent_calls_in_a_thread_pool():
    text = TEXT_PAGE.read_text(encoding="utf-8")
    pdf = PDF_PAGE.read_bytes()
    want_text = baozhi.parse(text, proof=True)
    want_pdf = baozhi.parse(pdf)
    want_proof = baozhi.proof(PROOF_PAGE)

    def work(i: int):
        kind = i % 3
        if kind == 0:
            return kind, baozhi.parse(text, proof=True)
        if kind == 1:
            return kind, baozhi.parse(pdf)
        return kind, baozhi.proof(PROOF_PAGE)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(work, range(48)))
    assert len(results) == 48
    want = {0: want_text, 1: want_pdf, 2: want_proof}
    for kind, got in results:
        assert got == want[kind]


def test_the_gil_is_released_while_parsing():
    # A Python thread keeps counting while the other parses: with the GIL
    # held through the parse it could not run at all in between.
    text = TEXT_PAGE.read_text(encoding="utf-8") * 20
    stop = threading.Event()
    ticks = [0]

    def count():
        while not stop.is_set():
            ticks[0] += 1

    t = threading.Thread(target=count)
    t.start()
    try:
        before = ticks[0]
        for _ in range(3):
            baozhi.parse(text, proof=True)
        during = ticks[0] - before
    finally:
        stop.set()
        t.join()
    assert during > 0


def _with_empty_page() -> str:
    """The example hOCR with an empty second page (a warning in the CLI)."""
    hocr = HOCR_PAGE.read_text(encoding="utf-8")
    end = hocr.rindex("</body>")
    empty = "<div class='ocr_page' id='page_2' title='bbox 0 0 2479 3508; ppageno 1'></div>\n"
    return hocr[:end] + empty + hocr[end:]


def test_warnings_are_baozhi_warnings(tmp_path):
    f = tmp_path / "two.hocr"
    f.write_text(_with_empty_page(), encoding="utf-8")
    with pytest.warns(baozhi.BaozhiWarning) as caught:
        docs = baozhi.parse_file(f)
    assert len(docs) == 2 and docs[1]["articles"] == []
    messages = [str(w.message) for w in caught]
    assert f"{f}: page 2: the OCR found no text" in messages
    with pytest.warns(baozhi.BaozhiWarning, match="^page 2: the OCR found no text$"):
        baozhi.parse_pages(_with_empty_page())
    if CLI is not None:
        out = run_cli("parse", "--format", "jsonl", str(f))
        cli = [line[len("baozhi: "):] for line in out.stderr.decode().splitlines()]
        assert cli == messages
        assert [json.loads(line) for line in out.stdout.decode().splitlines()] == docs


def test_version():
    assert baozhi.__version__.count(".") == 2
