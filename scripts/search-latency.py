#!/usr/bin/env python3
"""Time searches over HTTP against a running `baozhi serve`.

    python3 scripts/search-latency.py http://127.0.0.1:8080 QUERIES.txt [--rounds N]

QUERIES.txt holds one search per line (the `loadgen` example writes the
searches it timed to `DIR/queries.txt`). Each search is sent as
`GET /api/search?q=...` on one kept-alive connection, one at a time, as a
reader's browser sends them; the first round warms the page cache and is
not counted unless --rounds is 1. Prints p50, p95 and max in milliseconds
and the mean number of matches. Standard library only.
"""
import argparse
import http.client
import json
import sys
import time
import urllib.parse


def percentile(sorted_ms, p):
    """The value at fraction `p` of a sorted list (nearest rank, as loadgen)."""
    return sorted_ms[min(int(len(sorted_ms) * p), len(sorted_ms) - 1)]


def run(base, queries, rounds):
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)
    counted = []
    matches = 0
    for r in range(rounds):
        for q in queries:
            path = "/api/search?" + urllib.parse.urlencode({"q": q})
            start = time.perf_counter()
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            elapsed = (time.perf_counter() - start) * 1000.0
            if resp.status != 200:
                sys.exit(f"search {q!r}: HTTP {resp.status}: {body[:200]!r}")
            if r > 0 or rounds == 1:
                counted.append(elapsed)
                matches += json.loads(body)["total"]
    conn.close()
    counted.sort()
    return {
        "searches": len(counted),
        "p50_ms": percentile(counted, 0.50),
        "p95_ms": percentile(counted, 0.95),
        "max_ms": counted[-1],
        "mean_matches": matches / len(counted),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base", help="the server, e.g. http://127.0.0.1:8080")
    ap.add_argument("queries", help="a file of searches, one per line")
    ap.add_argument("--rounds", type=int, default=2,
                    help="times through the list; the first warms up (default 2)")
    a = ap.parse_args()
    with open(a.queries, encoding="utf-8") as f:
        queries = [line.strip() for line in f if line.strip()]
    if not queries:
        sys.exit(f"{a.queries}: no searches")
    s = run(a.base, queries, max(1, a.rounds))
    print(
        f"{s['searches']} searches over HTTP: p50 {s['p50_ms']:.1f} ms, "
        f"p95 {s['p95_ms']:.1f} ms, max {s['max_ms']:.1f} ms; "
        f"mean {s['mean_matches']:.0f} matches"
    )


if __name__ == "__main__":
    main()
