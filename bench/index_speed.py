"""End-to-end indexing throughput against pyvi's own single-process tokenisation.

Takes the first ``--docs`` articles of ``corpora/vntc.jsonl.gz``, times pyvi's
``ViTokenizer.tokenize`` on their text sentence by sentence (its fast mode) in this
process, then times ``index_documents`` (extraction, analysis, Whoosh writing, commit)
on the same articles; medians of ``--runs`` runs, and their ratio.

    .venv/bin/python bench/index_speed.py [--shared ../shared] [--docs 3000] [--runs 3] [--workers 2]
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.search_speed import shared_dir  # noqa: E402
from index.writer import index_documents  # noqa: E402

_SENTENCE_RE = re.compile(r"(?<=[.!?;:])\s+|\n+")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared")
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    shared = shared_dir(args.shared)
    if shared is None:
        print("skipped: ../shared (corpora/vntc.jsonl.gz) is not here; pass --shared DIR")
        return 0
    with gzip.open(shared / "corpora" / "vntc.jsonl.gz", "rb") as fh:
        lines = list(itertools.islice(fh, args.docs))
    records = [json.loads(line) for line in lines]
    texts = [r.get("title", "") + "\n" + r["text"] for r in records]
    chars = sum(len(t) for t in texts)
    from pyvi import ViTokenizer

    sentences = [s for t in texts for s in _SENTENCE_RE.split(t) if s.strip()]
    ViTokenizer.tokenize("khởi động")
    pyvi_runs = []
    for _ in range(args.runs):
        t = time.perf_counter()
        for s in sentences:
            ViTokenizer.tokenize(s)
        pyvi_runs.append(time.perf_counter() - t)
    ours_runs = []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "docs.jsonl"
        src.write_bytes(b"".join(lines))
        for i in range(args.runs):
            t = time.perf_counter()
            report = index_documents([src], Path(tmp) / f"ix{i}", workers=args.workers, progress=False)
            ours_runs.append(time.perf_counter() - t)
            assert report.added == len(records), report
    pyvi_s, ours_s = statistics.median(pyvi_runs), statistics.median(ours_runs)
    print(f"{len(records)} articles, {chars / 1e6:.1f} M characters, median of {args.runs} runs")
    print(f"pyvi tokenize, 1 process, sentence by sentence: {chars / pyvi_s / 1000:8.0f}k chars/s  ({pyvi_s:.1f} s)")
    print(f"vnsearch index end to end (workers={args.workers or 'auto'}):        "
          f"{chars / ours_s / 1000:8.0f}k chars/s  ({ours_s:.1f} s, {len(records) / ours_s:.0f} docs/s)")
    print(f"ratio ours / pyvi: {pyvi_s / ours_s:.2f} (target ≥ 1.00: {'met' if ours_s <= pyvi_s else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
