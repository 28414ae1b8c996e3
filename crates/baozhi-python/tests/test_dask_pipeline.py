"""The Dask example (examples/dask_parquet.py) on real clusters, against the CLI.

It runs the example as a program on a LocalCluster of 2 worker processes
over the bundled example pages and, when ../shared is there, the dev and
extracted pages, then reads the Parquet back (DuckDB, pyarrow, pandas) and
compares every article with what `baozhi parse --format json` gives for the
same file. Skips, saying why, without dask/pyarrow or without the CLI.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("dask.distributed", reason="dask[distributed] is not installed (ci.sh installs it)")
pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (ci.sh installs it)")
ds = pytest.importorskip("pyarrow.dataset", reason="pyarrow is not installed (ci.sh installs it)")

from test_baozhi import CLI, EXAMPLES, HOCR_PAGE, ROOT, TEXT_PAGE, needs_cli  # noqa: E402

SCRIPT = Path(__file__).resolve().parents[1] / "examples" / "dask_parquet.py"
SHARED = ROOT.parent / "shared" / "pages"
NULL = "__HIVE_DEFAULT_PARTITION__"


def run_example(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def cli_parse(path: Path, *options: str) -> tuple[list[dict], list[str], int]:
    """`baozhi parse --format json OPTIONS PATH`: its documents (one pretty
    JSON document per page, one after the other), stderr lines without
    `baozhi: `, and exit code."""
    assert CLI is not None
    out = subprocess.run(
        [str(CLI), "parse", "--format", "json", *options, str(path)],
        capture_output=True,
        timeout=120,
    )
    text = out.stdout.decode()
    decoder = json.JSONDecoder()
    docs, at = [], 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            break
        doc, at = decoder.raw_decode(text, at)
        docs.append(doc)
    notes = [line[len("baozhi: "):] for line in out.stderr.decode().splitlines()]
    return docs, notes, out.returncode


def read_back(out: Path) -> list[dict]:
    """Every row, with paper and year from the directory names."""
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    return table.to_pylist()


def expected_row(doc: dict, a: dict) -> dict:
    return {
        "date": doc["date"],
        "year": int(doc["date"][:4]) if doc["date"] else None,
        "page": a["page"],
        "article_id": a["id"],
        "column": a["column"],
        "series": a["series"],
        "kicker": a["kicker"],
        "title": a["title"],
        "subtitle": a["subtitle"],
        "bylines": a["bylines"],
        "dateline": a["dateline"],
        "text": "\n".join(p["text"] for p in a["paragraphs"]),
        "captions": a["captions"],
        "continues_to": a["continues_to"],
        "continued_from": a["continued_from"],
        "marks": a["marks"],
    }


def got_row(row: dict) -> dict:
    """`row` with the fields of expected_row, the date as text."""
    fields = ("year", "page", "article_id", "column", "series", "kicker", "title", "subtitle",
              "bylines", "dateline", "text", "captions", "continues_to", "continued_from", "marks")
    got = {k: row[k] for k in fields}
    got["date"] = row["date"].isoformat() if row["date"] is not None else None
    return got


def collect_pages(into: Path) -> list[Path]:
    """Copies of the page files to run on, as folders to be searched: the
    examples always, the shared dev and extracted pages when present."""
    picked = [TEXT_PAGE, EXAMPLES / "shili-2026-03-12-p01.pdf", HOCR_PAGE,
              EXAMPLES / "shili-2026-03-12-p01.alto.xml"]
    if SHARED.is_dir():
        picked += sorted((SHARED / "dev").glob("*.txt"))
        extracted = SHARED / "extracted"
        picked += sorted(p for p in extracted.glob("*") if p.suffix in (".txt", ".pdf"))
    copies = []
    for src in picked:
        dest = into / src.parent.name / src.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        copies.append(dest)
    # Not page files: left out when a folder is searched.
    (into / "examples" / "shili-2026-03-12-p01.expected.json").write_text("{}", encoding="utf-8")
    (into / "examples" / ".hidden.txt").write_text("不是版面", encoding="utf-8")
    return copies


@needs_cli
def test_local_cluster_writes_every_article_the_cli_finds(tmp_path):
    pages = tmp_path / "pages"
    good = collect_pages(pages)
    # No date in the name: paper and year null.
    undated = pages / "misc" / "page.txt"
    undated.parent.mkdir()
    shutil.copyfile(TEXT_PAGE, undated)
    good.append(undated)
    # A file that cannot be read, and XML that is not ALTO.
    broken = pages / "misc" / "broken-2025-01-01-p01.txt"
    broken.write_bytes(b"\x00\x01\x02binary\x00")
    mets = pages / "misc" / "issue.mets.xml"
    mets.write_text('<?xml version="1.0"?><mets xmlns="http://www.loc.gov/METS/"/>', encoding="utf-8")

    with ThreadPoolExecutor(max_workers=2) as pool:
        cli = dict(zip(good, pool.map(cli_parse, good)))
    for path, (docs, _, code) in cli.items():
        assert code == 0 and docs, path
    broken_docs, broken_notes, broken_code = cli_parse(broken)
    assert broken_code != 0 and broken_docs == []

    out = tmp_path / "articles"
    run = run_example("--workers", "2", "--threads-per-worker", "1", "--paper-from-name",
                      "--out", str(out), str(pages))
    assert run.returncode == 1, run.stderr  # a file failed: 1, the rest written
    articles = sum(len(d["articles"]) for docs, _, _ in cli.values() for d in docs)
    n_pages = sum(len(docs) for docs, _, _ in cli.values())
    n_files = len(good) + 2
    assert articles > 10
    assert f"{n_files} files, {n_pages} pages, {articles} articles -> {out}" in run.stdout, run.stdout
    assert "on 2 workers, 2 threads" in run.stdout

    # The problems: the broken file with the CLI's message, the METS skipped,
    # and each warning the CLI printed, under its file.
    problems = [json.loads(line) for line in (out / "_errors.jsonl").read_text(encoding="utf-8").splitlines()]
    want = [{"path": str(broken), "kind": "error", "message": broken_notes[0]},
            {"path": str(mets), "kind": "skipped", "message": "not ALTO XML"}]
    want += [{"path": str(p), "kind": "warning", "message": m} for p, (_, notes, _) in cli.items() for m in notes]
    key = lambda p: (p["path"], p["kind"], p["message"])  # noqa: E731
    assert sorted(problems, key=key) == sorted(want, key=key)

    # Partitions: paper (from the name) and year; the undated page in the null ones.
    def paper_of(path: Path):
        return None if path == undated else path.name.split("-", 1)[0]

    expected_dirs = {
        (paper_of(p) or NULL, str(d["date"][:4]) if d["date"] else NULL)
        for p, (docs, _, _) in cli.items() for d in docs if d["articles"]
    }
    files = sorted(out.rglob("*.parquet"))
    got_dirs = set()
    for f in files:
        paper_dir, year_dir = f.relative_to(out).parts[:2]
        assert len(f.relative_to(out).parts) == 3 and f.name.startswith("part-"), f
        assert paper_dir.startswith("paper=") and year_dir.startswith("year="), f
        got_dirs.add((paper_dir[len("paper="):], year_dir[len("year="):]))
    assert got_dirs == {(quote(p, safe=""), y) for p, y in expected_dirs}
    assert (NULL, NULL) in got_dirs and ("jiangcheng", "2025") in got_dirs
    if SHARED.is_dir():
        assert {("rmrb", "2019"), ("pd", "2025"), ("nanyang", "2024")} <= got_dirs
    assert sorted(p.name for p in out.iterdir() if not p.is_dir()) == ["_errors.jsonl"]

    # Every article, field by field, as the CLI has it.
    rows = read_back(out)
    assert len(rows) == articles
    by_key = {(r["source"], r["article_no"]): r for r in rows}
    assert len(by_key) == articles
    for path, (docs, _, _) in cli.items():
        n = 0
        for d in docs:
            for a in d["articles"]:
                n += 1
                row = by_key[(str(path), n)]
                assert got_row(row) == expected_row(d, a), (path, n)
                assert row["paper"] == paper_of(path)
                assert row["findings"] is None  # no --proof

    # DuckDB and pandas read the same dataset.
    duckdb = pytest.importorskip("duckdb", reason="duckdb is not installed (ci.sh installs it)")
    counts = duckdb.sql(
        f"SELECT paper, year, count(*) AS n FROM read_parquet('{out}/*/*/*.parquet', hive_partitioning = true)"
        " GROUP BY ALL"
    ).fetchall()
    want_counts: dict = {}
    for r in rows:
        want_counts[(r["paper"], r["year"])] = want_counts.get((r["paper"], r["year"]), 0) + 1
    assert {(p, y): n for p, y, n in counts} == want_counts
    example = pages / "examples" / TEXT_PAGE.name
    titles = duckdb.execute(
        f"SELECT title FROM read_parquet('{out}/*/*/*.parquet', hive_partitioning = true)"
        " WHERE source = ? ORDER BY article_no",
        [str(example)],
    ).fetchall()
    assert [t for (t,) in titles] == [a["title"] for a in cli[example][0][0]["articles"]]
    pd = pytest.importorskip("pandas", reason="pandas is not installed (ci.sh installs it)")
    frame = pd.read_parquet(out, partitioning=ds.partitioning(flavor="hive"))  # as README reads it
    assert isinstance(frame, pd.DataFrame) and len(frame) == articles
    assert frame["paper"].isna().sum() == sum(len(d["articles"]) for d in cli[undated][0])


@needs_cli
def test_a_running_scheduler_with_threads_paper_and_proof(tmp_path):
    from dask.distributed import LocalCluster

    pages = tmp_path / "pages"
    pages.mkdir()
    text = pages / TEXT_PAGE.name
    shutil.copyfile(TEXT_PAGE, text)
    # Pages with an empty second page: a warning each, raised on several
    # threads of a worker at once, and each kept with its own file.
    hocr = HOCR_PAGE.read_text(encoding="utf-8")
    end = hocr.rindex("</body>")
    empty = "<div class='ocr_page' id='page_2' title='bbox 0 0 2479 3508; ppageno 1'></div>\n"
    two = [pages / f"shili-2026-03-{12 + i:02d}.hocr" for i in range(6)]
    for f in two:
        f.write_text(hocr[:end] + empty + hocr[end:], encoding="utf-8")

    options = ("--paper", "江城日报", "--proof")
    cli = {p: cli_parse(p, *options) for p in [text, *two]}
    articles = sum(len(d["articles"]) for docs, _, _ in cli.values() for d in docs)

    out = tmp_path / "out"
    with LocalCluster(n_workers=2, threads_per_worker=2, processes=True, dashboard_address=None) as cluster:
        args = ("--scheduler", cluster.scheduler_address, "--files-per-task", "1", *options, "--out", str(out), str(pages))
        first = run_example(*args)
        assert first.returncode == 0, first.stderr
        assert f"7 files, 13 pages, {articles} articles" in first.stdout
        assert "on 2 workers, 4 threads" in first.stdout
        # The same folder again: refused without --overwrite, replaced with it.
        again = run_example(*args)
        assert again.returncode == 2 and "--overwrite" in again.stderr
        again = run_example(*args, "--overwrite")
        assert again.returncode == 0, again.stderr

    # The paper's directory name is URL-encoded; readers decode it.
    assert [p.name for p in out.iterdir() if p.is_dir()] == ["paper=" + quote("江城日报")]
    rows = read_back(out)
    assert len(rows) == articles  # replaced, not doubled
    for path, (docs, notes, _) in cli.items():
        mine = sorted((r for r in rows if r["source"] == str(path)), key=lambda r: r["article_no"])
        theirs = [a for d in docs for a in d["articles"]]
        assert [r["title"] for r in mine] == [a["title"] for a in theirs]
        assert [json.loads(r["findings"]) for r in mine] == [a["findings"] for a in theirs]
        assert {r["paper"] for r in mine} == {"江城日报"}
    assert any(json.loads(r["findings"]) for r in rows)

    problems = [json.loads(line) for line in (out / "_errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted((p["path"], p["message"]) for p in problems) == sorted(
        (str(p), m) for p, (_, notes, _) in cli.items() for m in notes
    )
    assert len(problems) == 6 and {p["kind"] for p in problems} == {"warning"}
    assert all(p["message"] == f"{p['path']}: page 2: the OCR found no text" for p in problems)


def test_usage_errors(tmp_path):
    out = tmp_path / "out"
    run = run_example("--out", str(out), "--paper", "x", "--paper-from-name", str(TEXT_PAGE))
    assert run.returncode == 2 and "give one" in run.stderr
    run = run_example("--out", str(out), str(tmp_path))  # a folder without pages
    assert run.returncode == 2 and "no page files" in run.stderr
    (tmp_path / "notes.md").write_text("mine", encoding="utf-8")
    run = run_example("--out", str(tmp_path), str(TEXT_PAGE))  # not ours to replace
    assert run.returncode == 2 and "holds other files (notes.md)" in run.stderr
    assert not out.exists() and (tmp_path / "notes.md").read_text(encoding="utf-8") == "mine"
