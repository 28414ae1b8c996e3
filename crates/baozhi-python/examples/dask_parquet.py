#!/usr/bin/env python3
"""Parse newspaper pages in parallel with Dask and write their articles as Parquet.

    pip install ./crates/baozhi-python 'dask[distributed]' pyarrow
    python crates/baozhi-python/examples/dask_parquet.py --workers 2 --out articles/ pages/

Takes page files (.txt, .pdf, .hocr, ALTO .xml) and folders, searched
recursively for them. The file list is cut into tasks of a few files each;
each task runs on a Dask worker, reads its files with ``baozhi.parse_file``
(as ``baozhi parse`` reads them: one document per page, date and page from
the file name) and writes its articles straight to Parquet, so no document
passes through this process: it only gets each task's counts and problems.

Output, one row per article, partitioned hive-style by paper and year::

    OUT/paper=<paper>/year=<year>/part-<task>-<n>.parquet
    OUT/_errors.jsonl        one line per problem: a file that failed ("error"),
                             a page's warning, an .xml that is not ALTO ("skipped")

A page without a paper or date goes to ``paper=__HIVE_DEFAULT_PARTITION__``
(or ``year=…``), which readers give back as null; non-ASCII papers are
URL-encoded in directory names (DuckDB and pyarrow decode them). Read it
back with DuckDB::

    duckdb.sql("SELECT paper, year, count(*) FROM read_parquet('OUT/*/*/*.parquet',"
               " hive_partitioning = true) GROUP BY ALL")

or pandas (the partitioning argument reads the null partitions too)::

    pandas.read_parquet(OUT, partitioning=pyarrow.dataset.partitioning(flavor="hive"))

Without ``--scheduler`` the workers are a ``LocalCluster`` on this machine
(``--workers``, ``--threads-per-worker``, ``--memory-limit``); with
``--scheduler tcp://HOST:8786`` the tasks go to that cluster, whose workers
need ``baozhi`` and ``pyarrow`` installed and must see the input files and
``--out`` at the same paths (a shared file system).

Exit status: 0, or 1 when a file could not be read (the others are written
all the same), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import re
import shutil
import sys
import threading
import time
import warnings
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional

import baozhi
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

PAGE_SUFFIXES = (".txt", ".pdf", ".hocr", ".xml")

PARTITION = pa.schema([("paper", pa.string()), ("year", pa.int32())])

BYLINE = pa.struct([("role", pa.string()), ("names", pa.list_(pa.string()))])
CAPTION = pa.struct([("text", pa.string()), ("credit", pa.string())])

# One row per article. paper and year are the partition columns: they live
# in the directory names, and readers put them back as columns.
# `baozhi export --format parquet` writes these columns under the same names
# and types (less year, source and article_no; plus the archive id `id`):
# keep the two in step (its test checks the names).
SCHEMA = pa.schema(
    [
        ("paper", pa.string()),
        ("year", pa.int32()),
        ("date", pa.date32()),
        ("page", pa.string()),  # the page the article starts on, as printed
        ("source", pa.string()),  # the file it came from
        ("article_no", pa.int32()),  # 1, 2, … in the file's reading order
        ("article_id", pa.string()),  # baozhi/1 `id`, unique within its page
        ("column", pa.string()),
        ("series", pa.string()),
        ("kicker", pa.string()),
        ("title", pa.string()),
        ("subtitle", pa.string()),
        ("bylines", pa.list_(BYLINE)),
        ("dateline", pa.string()),
        ("text", pa.string()),  # the paragraphs (and headings), one per line
        ("captions", pa.list_(CAPTION)),
        ("continues_to", pa.string()),  # 下转 jump: the page it goes on
        ("continued_from", pa.string()),  # 上接 jump
        ("marks", pa.list_(pa.string())),
        ("findings", pa.string()),  # with --proof: the findings as JSON, else null
    ]
)

ERRORS_FILE = "_errors.jsonl"


# --- on the workers -------------------------------------------------------------


def _warning_sink() -> List[str]:
    """This thread's list of the BaozhiWarnings raised in it, emptied.

    ``warnings.catch_warnings`` is process-wide, so tasks running on several
    threads of one worker would take each other's warnings. Instead a hook
    is installed once per process in ``warnings.showwarning`` that hands a
    BaozhiWarning to the list of the thread that raised it (and anything
    else to the previous hook). The hook lives in the ``warnings`` module,
    not in this script, because Dask ships this function to the workers by
    value: module globals here would be copied for every task.
    """
    lock = warnings.__dict__.setdefault("_baozhi_sink_lock", threading.Lock())
    with lock:
        local = getattr(warnings.showwarning, "baozhi_local", None)
        if local is None:
            local = threading.local()
            previous = warnings.showwarning

            def hook(message, category, filename, lineno, file=None, line=None):
                sink = getattr(local, "sink", None)
                if sink is not None and issubclass(category, baozhi.BaozhiWarning):
                    sink.append(str(message))
                else:
                    previous(message, category, filename, lineno, file, line)

            hook.baozhi_local = local  # type: ignore[attr-defined]
            warnings.showwarning = hook
            # Every warning, not once per place in the code.
            warnings.filterwarnings("always", category=baozhi.BaozhiWarning)
    local.sink = []
    return local.sink


def _is_alto(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(8192).lower()
    except OSError:
        return True  # baozhi.parse_file says what is wrong, as the CLI would
    return b"<alto" in head or b":alto" in head


def _paper_from_name(path: str) -> Optional[str]:
    """`rmrb` of `rmrb-2019-02-13-p13.pdf`: what the name says before the date."""
    m = re.match(r"(.*?)[-_. ]*\d{4}-\d{2}-\d{2}", os.path.basename(path))
    return (m.group(1).strip("-_. ") or None) if m else None


def _article_row(doc: Dict[str, Any], a: Dict[str, Any], source: str, n: int, paper) -> Dict:
    date = doc.get("date")
    return {
        "paper": paper,
        "year": int(date[:4]) if date else None,
        "date": datetime.date.fromisoformat(date) if date else None,
        "page": a.get("page"),
        "source": source,
        "article_no": n,
        "article_id": a["id"],
        "column": a.get("column"),
        "series": a.get("series"),
        "kicker": a.get("kicker"),
        "title": a["title"],
        "subtitle": a.get("subtitle"),
        "bylines": [{"role": b.get("role"), "names": b["names"]} for b in a["bylines"]],
        "dateline": a.get("dateline"),
        "text": "\n".join(p["text"] for p in a["paragraphs"]),
        "captions": [{"text": c["text"], "credit": c.get("credit")} for c in a["captions"]],
        "continues_to": a.get("continues_to"),
        "continued_from": a.get("continued_from"),
        "marks": a.get("marks", []),
        "findings": (
            json.dumps(a["findings"], ensure_ascii=False) if "findings" in a else None
        ),
    }


def parse_chunk(chunk_no: int, paths: List[str], out: str, opts: Dict[str, Any]) -> Dict:
    """One task: parse `paths`, write their articles under `out`, return counts
    and problems (never the articles)."""
    cpu = time.thread_time()  # this thread's CPU: the parse runs in it too
    columns: Dict[str, list] = {name: [] for name in SCHEMA.names}
    problems: List[Dict[str, str]] = []
    pages = articles = 0
    for path in paths:
        sink = _warning_sink()
        try:
            # baozhi reads XML that is not ALTO (METS, TEI …) as page text.
            if path.lower().endswith(".xml") and not _is_alto(path):
                problems.append({"path": path, "kind": "skipped", "message": "not ALTO XML"})
                continue
            docs = baozhi.parse_file(
                path,
                paper=opts["paper"],
                date=opts["date"],
                proof=opts["proof"],
                engine=opts["engine"],
                apply_corrections=opts["apply_corrections"],
                on_error="warn",  # a page that fails is left out, with a warning
            )
        except baozhi.BaozhiError as e:
            docs = None
            problems.append({"path": path, "kind": "error", "message": str(e)})
        except Exception as e:  # noqa: BLE001 - whatever it is, report the file
            docs = None
            problems.append({"path": path, "kind": "error", "message": f"{type(e).__name__}: {e}"})
        problems.extend({"path": path, "kind": "warning", "message": m} for m in sink)
        if docs is None:
            continue
        n = 0
        for doc in docs:
            pages += 1
            paper = doc.get("paper")
            if paper is None and opts["paper_from_name"]:
                paper = _paper_from_name(path)
            for a in doc["articles"]:
                n += 1
                for name, value in _article_row(doc, a, path, n, paper).items():
                    columns[name].append(value)
        articles += n
    if articles:
        pq.write_to_dataset(
            pa.Table.from_pydict(columns, schema=SCHEMA),
            out,
            partitioning=ds.partitioning(PARTITION, flavor="hive"),
            # Deterministic names: a task that is run again (a worker was
            # lost) overwrites its own files.
            basename_template=f"part-{chunk_no:05d}-{{i}}.parquet",
            existing_data_behavior="overwrite_or_ignore",
        )
    return {
        "files": len(paths),
        "pages": pages,
        "articles": articles,
        "problems": problems,
        "cpu": time.thread_time() - cpu,
    }


# --- on the driver --------------------------------------------------------------


def find_pages(inputs: Iterable[str]) -> Iterator[str]:
    """The files named, and the page files in the folders named (recursively,
    in name order; hidden files and folders left out)."""
    for name in inputs:
        if not os.path.isdir(name):
            yield name  # a file named is read whatever its name (an .xml must be ALTO)
            continue
        for root, dirs, files in os.walk(name):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for f in sorted(files):
                if not f.startswith(".") and f.lower().endswith(PAGE_SUFFIXES):
                    yield os.path.join(root, f)


def prepare_out(out: Path, overwrite: bool) -> Optional[str]:
    """Makes `out` ready, or says why not: it must be empty, new, or (with
    `overwrite`) hold only an earlier run's output, which is removed."""
    if out.exists() and not out.is_dir():
        return f"{out} is not a folder"
    entries = list(out.iterdir()) if out.is_dir() else []
    ours = [p for p in entries if p.name.startswith("paper=") or p.name == ERRORS_FILE]
    others = [p for p in entries if p not in ours]
    if others:
        return f"{out} holds other files ({others[0].name}): give an empty or new folder"
    if ours and not overwrite:
        return f"{out} holds an earlier run's output: give --overwrite to replace it"
    for p in ours:
        if p.is_dir():
            shutil.rmtree(p)
        else:
            p.unlink()
    out.mkdir(parents=True, exist_ok=True)
    return None


def connect(args: argparse.Namespace):
    from dask.distributed import Client, LocalCluster

    if args.scheduler:
        return Client(args.scheduler)
    # Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536, which
    # turns off glibc's sliding mmap threshold: every allocation over 128 KiB
    # is then an mmap and munmap of its own, and a page takes 1.2 to 1.7
    # times the CPU (measured: in a worker, and in a plain process). A fixed
    # 32 MiB mmap threshold (glibc's own upper bound) gives the speed back and
    # keeps the trimming. The workers inherit this variable; start a remote
    # cluster's `dask worker` with it too.
    os.environ.setdefault("MALLOC_MMAP_THRESHOLD_", str(32 << 20))
    cluster = LocalCluster(
        n_workers=args.workers,
        threads_per_worker=args.threads_per_worker,
        memory_limit=args.memory_limit,
        processes=True,
        dashboard_address=args.dashboard,
    )
    client = Client(cluster)
    client._baozhi_cluster = cluster  # closed with the client, below
    return client


def run(args: argparse.Namespace) -> int:
    import dask
    from dask.distributed import as_completed

    # Absolute paths, in order, once each: the workers may run elsewhere.
    files = list(dict.fromkeys(os.path.abspath(f) for f in find_pages(args.inputs)))
    if not files:
        print("dask_parquet: no page files (.txt, .pdf, .hocr, .xml) in " + " ".join(args.inputs), file=sys.stderr)
        return 2
    out = Path(args.out)
    refused = prepare_out(out, args.overwrite)
    if refused:
        print(f"dask_parquet: {refused}", file=sys.stderr)
        return 2
    opts = {
        "paper": args.paper,
        "date": args.date,
        "proof": args.proof,
        "engine": args.engine,
        "apply_corrections": args.apply_corrections,
        "paper_from_name": args.paper_from_name,
    }

    started = time.perf_counter()
    client = connect(args)
    try:
        threads = sum(client.nthreads().values()) or 1
        per_task = args.files_per_task or max(1, min(64, math.ceil(len(files) / (4 * threads))))
        chunks = [files[i : i + per_task] for i in range(0, len(files), per_task)]
        ready = time.perf_counter()
        tasks = [
            dask.delayed(parse_chunk, pure=False)(
                no, chunk, str(out.resolve()), opts, dask_key_name=f"baozhi-parse-{no:05d}"
            )
            for no, chunk in enumerate(chunks)
        ]
        futures = client.compute(tasks)
        chunk_of = {f.key: chunks[no] for no, f in enumerate(futures)}
        totals = {"files": 0, "pages": 0, "articles": 0, "cpu": 0.0}
        kinds: Dict[str, int] = {}
        shown = time.perf_counter()
        with open(out / ERRORS_FILE, "w", encoding="utf-8") as errors:
            for fut in as_completed(futures):
                try:
                    done = fut.result()
                except Exception as e:  # noqa: BLE001 - the task died (a worker lost, out of memory …)
                    done = {
                        "files": len(chunk_of[fut.key]),
                        "pages": 0,
                        "articles": 0,
                        "cpu": 0.0,
                        "problems": [
                            {"path": p, "kind": "error", "message": f"task failed: {type(e).__name__}: {e}"}
                            for p in chunk_of[fut.key]
                        ],
                    }
                fut.release()
                for key in totals:
                    totals[key] += done[key]
                for problem in done["problems"]:
                    errors.write(json.dumps(problem, ensure_ascii=False) + "\n")
                    kinds[problem["kind"]] = kinds.get(problem["kind"], 0) + 1
                if time.perf_counter() - shown > 10:
                    shown = time.perf_counter()
                    print(f"dask_parquet: {totals['files']}/{len(files)} files", file=sys.stderr, flush=True)
        finished = time.perf_counter()
        workers = len(client.nthreads())
    finally:
        cluster = getattr(client, "_baozhi_cluster", None)
        client.close()
        if cluster is not None:
            cluster.close()

    seconds = finished - ready
    problems = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "no problems"
    print(
        f"{totals['files']} files, {totals['pages']} pages, {totals['articles']} articles -> {out}"
        f" in {seconds:.1f} s on {workers} workers, {threads} threads"
        f" ({totals['pages'] / seconds:.1f} pages/s, {totals['pages'] / max(totals['cpu'], 1e-9):.0f} per CPU-second"
        f" in the tasks; cluster start {ready - started:.1f} s,"
        f" {len(chunks)} tasks of {per_task} files); {problems}"
        + (f": see {out / ERRORS_FILE}" if kinds else "")
    )
    return 1 if kinds.get("error") else 0


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(
        description="Parse page files in parallel with Dask; write one Parquet row per article, "
        "partitioned by paper and year.",
    )
    p.add_argument("inputs", nargs="+", metavar="PATH", help="page files, or folders to search (recursively)")
    p.add_argument("--out", required=True, metavar="DIR", help="the Parquet dataset's folder")
    p.add_argument("--overwrite", action="store_true", help="replace an earlier run's output in --out")
    p.add_argument("--scheduler", metavar="ADDRESS", help="a running dask scheduler (tcp://host:8786); else a LocalCluster")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="LocalCluster worker processes (default: CPUs)")
    p.add_argument("--threads-per-worker", type=int, default=1, help="LocalCluster threads per worker (default 1)")
    p.add_argument("--memory-limit", default="auto", help="LocalCluster memory per worker, e.g. 2GiB (default: RAM / workers)")
    p.add_argument("--dashboard", metavar="ADDRESS", default=None, help="LocalCluster dashboard address, e.g. :8787 (needs bokeh; default off)")
    p.add_argument("--files-per-task", type=int, default=0, metavar="N", help="files per Dask task (default: about 4 tasks per thread, at most 64)")
    p.add_argument("--paper", help="the paper of every page (baozhi parse --paper)")
    p.add_argument("--paper-from-name", action="store_true", help="a page without --paper: the file name before the date (rmrb of rmrb-2019-02-13-p13.pdf)")
    p.add_argument("--date", help="the date of every page, YYYY-MM-DD (default: from the file name)")
    p.add_argument("--engine", choices=("rules", "learned"), help="baozhi parse --engine")
    p.add_argument("--proof", action="store_true", help="proofread: the findings column holds each article's findings as JSON")
    p.add_argument("--apply-corrections", type=float, metavar="MIN_CONF", help="correct the text by findings at or above MIN_CONF")
    args = p.parse_args(argv)
    if args.paper and args.paper_from_name:
        p.error("--paper and --paper-from-name: give one")
    if args.workers < 1 or args.threads_per_worker < 1 or args.files_per_task < 0:
        p.error("--workers and --threads-per-worker must be at least 1")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
