"""Very large documents: indexed, found, at what cost (issue 13, item 10).

Builds one document of ``--sizes`` MB (UTF-8) from real VNTC article text, with a sentence
found nowhere else at its very end, and indexes it with ``vnsearch index`` in a child
process; then searches for that sentence.  The baseline, in the same run, indexes the very
same text cut back into its articles (``--baseline``), so the ratio says what being one
document costs.  ``--companions`` ordinary articles are indexed beside it, so its page has
related articles to find.  Prints seconds, characters per second, the child's peak memory,
the rank of the big document for the sentence at its end, and how long the real server
(``vnsearch serve`` on loopback) takes to answer its article page (``/doc/big?q=…``, HTML)
and ``/api/doc/big?q=…`` (JSON, the whole body): medians of ``--requests`` requests
after a first one (which reads the index's files).

    .venv/bin/python bench/big_documents.py [--shared ../shared] [--sizes 5 50] [--baseline] [--companions 100]
"""
from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load import HOST, start_server, stop  # noqa: E402

END = "Cuối tài liệu, đoàn khảo sát chim cánh cụt Nam Cực báo cáo kết quả với Tỉnh ủy."
QUERY = "chim cánh cụt Nam Cực"


def articles(shared: Path, megabytes: float) -> list[dict]:
    """The first VNTC articles holding ``megabytes`` MB of text."""
    out, size = [], 0
    with gzip.open(shared / "corpora" / "vntc.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            out.append({"id": f"a{len(out)}", "title": record.get("title") or "", "text": record["text"]})
            size += len(record["text"].encode("utf-8"))
            if size >= megabytes * 1e6:
                return out
    raise SystemExit(f"vntc.jsonl.gz holds fewer than {megabytes} MB of text")


def timed_index(source: Path, index_dir: Path) -> tuple[float, float, dict]:
    """Seconds, peak memory (MB) and the JSON report of one ``vnsearch index`` child."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "search", "index", str(source), "--index", str(index_dir),
                             "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.stdout.read(), proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"vnsearch index failed ({proc.returncode}): {err.decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, json.loads(out)


def rank_of(index_dir: Path, doc_id: str) -> tuple[int | None, float]:
    """Rank of ``doc_id`` for QUERY, and the seconds the search took (a fresh process)."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "search", "search", QUERY, "--index", str(index_dir), "--json"],
                          capture_output=True, timeout=3600)
    seconds = time.perf_counter() - start
    hits = [h["id"] for h in json.loads(proc.stdout)["hits"]]
    return (hits.index(doc_id) + 1 if doc_id in hits else None), seconds


def page_times(index_dir: Path, requests: int) -> dict[str, tuple[int, float, int]]:
    """Status, median seconds and bytes of the big document's HTML page and JSON, on the real server."""
    server = None
    out = {}
    try:
        server, port = start_server(str(index_dir), 4)
        conn = http.client.HTTPConnection(HOST, port, timeout=600)
        for name, path in (("page", "/doc/big?"), ("api", "/api/doc/big?")):
            path += urlencode({"q": QUERY})
            times = []
            for n in range(requests + 1):
                start = time.perf_counter()
                conn.request("GET", path)
                r = conn.getresponse()
                body = r.read()
                if n:  # the first request opens the index's files
                    times.append(time.perf_counter() - start)
                if r.status != 200 or "Tài liệu rất lớn".encode() not in body:
                    raise SystemExit(f"{path}: {r.status}, {len(body)} bytes without the title")
            out[name] = (r.status, statistics.median(times), len(body))
        conn.close()
    finally:
        stop(server)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared")
    ap.add_argument("--sizes", type=float, nargs="+", default=[5, 50], help="document sizes in MB")
    ap.add_argument("--baseline", action="store_true", help="also index the same text as separate articles")
    ap.add_argument("--companions", type=int, default=100, help="ordinary articles indexed beside the big one")
    ap.add_argument("--requests", type=int, default=5, help="timed requests per page")
    args = ap.parse_args()

    print(f"{'MB':>6} {'chars':>12} {'index s':>8} {'chars/s':>9} {'peak MB':>8} {'rank':>5} {'search s':>9}"
          f" {'page s':>7} {'api s':>7} {'api MB':>7}" + ("  baseline s  ratio" if args.baseline else ""))
    for megabytes in args.sizes:
        with tempfile.TemporaryDirectory(prefix="vnsearch-big-") as tmp:
            tmp = Path(tmp)
            parts = articles(args.shared, megabytes)
            text = "\n\n".join(p["text"] for p in parts) + "\n\n" + END
            big = tmp / "big.jsonl"
            big.write_text(json.dumps({"id": "big", "title": "Tài liệu rất lớn", "text": text},
                                      ensure_ascii=False) + "\n", encoding="utf-8")
            seconds, peak, report = timed_index(big, tmp / "ix")
            assert report["added"] == 1, report
            if args.companions:
                others = tmp / "others.jsonl"
                others.write_text("".join(json.dumps({**p, "id": f"o{i}"}, ensure_ascii=False) + "\n"
                                          for i, p in enumerate(parts[:args.companions])), encoding="utf-8")
                timed_index(others, tmp / "ix")
            rank, search_seconds = rank_of(tmp / "ix", "big")
            pages = page_times(tmp / "ix", args.requests)
            line = (f"{len(text.encode()) / 1e6:>6.1f} {len(text):>12,} {seconds:>8.1f} {len(text) / seconds:>9,.0f} "
                    f"{peak:>8.0f} {rank if rank else '-':>5} {search_seconds:>9.2f}"
                    f" {pages['page'][1]:>7.2f} {pages['api'][1]:>7.2f} {pages['api'][2] / 1e6:>7.1f}")
            if args.baseline:
                split = tmp / "split.jsonl"
                split.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in parts), encoding="utf-8")
                base, _, _ = timed_index(split, tmp / "ix-split")
                line += f"  {base:>10.1f}  {seconds / base:>5.2f}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
