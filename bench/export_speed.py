"""What an export costs per row, and how long a capped export takes on the real server.

In one process, on an existing index: the export's rows read as before (one locked
``stored_fields`` per row through the multi-segment searcher, as a search page reads its
ten hits) against ``SearchEngine.export``'s lean path (``search/export.py``), and the
CSV and JSON formatting of the rows; then ``vnsearch serve`` on loopback answering
``/api/export?format=csv|json&limit=N`` of the whole index for a few ``N``, so the site's
cap (``EXPORT_LIMIT``) can be chosen from figures.  Medians of ``--runs`` runs.

    .venv/bin/python bench/export_speed.py --index DIR [--rows 3000] [--limits 500 1000 2000 5000] [--runs 5]
"""
from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import HOST, start_server, stop  # noqa: E402


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def in_process(index_dir: str, rows: int, runs: int) -> None:
    from search.engine import SearchEngine
    from search.highlight import MatchTerms
    from search.understand import understand
    from web.export import to_csv

    engine = SearchEngine(index_dir)
    try:
        def before():
            # The path exports took until this change: the page's row reader, row by row.
            with engine._generations.use() as st:
                parsed = understand("", st)
                sel = engine._select(st, parsed, None, None)
                return [engine._hit(f, s, MatchTerms(), snippets=False)
                        for f, s in engine._ranked(st, sel, parsed, "relevance", 0, rows)]

        def lean():
            return engine.export("", None, "relevance", rows)["hits"]

        assert before() == lean(), "the lean path must return the same rows"
        hits = lean()
        n = len(hits)
        old_ms, new_ms = median_ms(before, runs), median_ms(lean, runs)
        old2_ms = median_ms(before, runs)  # again: the machine's load drifts; quote the ratio
        csv_ms = median_ms(lambda: to_csv({"hits": hits}), runs)
        json_ms = median_ms(lambda: json.dumps({"hits": hits}, ensure_ascii=False, indent=1), runs)
        print(f"in process, {n} rows of the whole index (median of {runs}):")
        print(f"  read rows before: {old_ms:.0f} ms then {old2_ms:.0f} ms ({min(old_ms, old2_ms) / n:.3f} ms/row)")
        print(f"  read rows lean:   {new_ms:.0f} ms ({new_ms / n:.3f} ms/row); "
              f"lean/before {new_ms / ((old_ms + old2_ms) / 2):.2f}")
        print(f"  format CSV {csv_ms / n:.3f} ms/row, JSON {json_ms / n:.3f} ms/row")
    finally:
        engine.close()


def on_server(index_dir: str, limits: list[int], runs: int) -> None:
    server = None
    try:
        server, port = start_server(index_dir, 4)
        conn = http.client.HTTPConnection(HOST, port, timeout=120)

        def get(path):
            conn.request("GET", path)
            r = conn.getresponse()
            body = r.read()
            return r.status, body, r.headers

        status, body, _ = get("/api/overview")
        print(f"real server (loopback), index of {json.loads(body)['documents']} articles, whole-index exports "
              f"(median of {runs}):")
        for fmt in ("csv", "json"):
            for limit in limits:
                path = "/api/export?" + urlencode({"format": fmt, "limit": limit})
                status, body, headers = get(path)
                ms = median_ms(lambda: get(path), runs)
                print(f"  {fmt:<4} limit {limit:>6}: {status} in {ms:6.0f} ms ({ms / max(limit, 1):.3f} ms/row), "
                      f"{len(body) / 1e6:.1f} MB, exported {headers.get('X-Exported-Count')}")
        conn.close()
    finally:
        stop(server)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--rows", type=int, default=3000, help="rows read in process")
    ap.add_argument("--limits", type=int, nargs="+", default=[500, 1000, 2000, 5000])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    in_process(args.index, args.rows, args.runs)
    on_server(args.index, args.limits, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
