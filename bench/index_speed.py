"""End-to-end indexing throughput against pyvi's own single-process tokenisation, and size.

Takes the first ``--docs`` articles of ``corpora/vntc.jsonl.gz``, times pyvi's
``ViTokenizer.tokenize`` on their text sentence by sentence (its fast mode) in this
process, then times ``index_documents`` (extraction, analysis, Whoosh writing, commit)
on the same articles with 1 and with 2 worker processes (``--workers``), interleaved run by
run so machine load hits every figure alike; medians of ``--runs`` runs and their ratios to
pyvi; the time of each phase; index bytes over the articles' raw UTF-8 text.

    .venv/bin/python bench/index_speed.py [--shared ../shared] [--docs 3000] [--runs 3] [--workers 1 2]
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


def _index_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared")
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    shared = shared_dir(args.shared)
    if shared is None:
        print("skipped: ../shared (corpora/vntc.jsonl.gz) is not here; pass --shared DIR")
        return 0
    with gzip.open(shared / "corpora" / "vntc.jsonl.gz", "rb") as fh:
        lines = list(itertools.islice(fh, args.docs))
    records = [json.loads(line) for line in lines]
    texts = [r.get("title", "") + "\n" + r.get("sapo", "") + "\n" + r["text"] for r in records]
    chars = sum(len(t) for t in texts)
    raw_bytes = sum(len(t.encode("utf-8")) for t in texts)
    from pyvi import ViTokenizer

    sentences = [s for t in texts for s in _SENTENCE_RE.split(t) if s.strip()]
    ViTokenizer.tokenize("khởi động")
    pyvi_runs: list[float] = []
    ours: dict[int, list] = {w: [] for w in args.workers}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "docs.jsonl"
        src.write_bytes(b"".join(lines))
        for i in range(args.runs):
            t = time.perf_counter()
            for s in sentences:
                ViTokenizer.tokenize(s)
            pyvi_runs.append(time.perf_counter() - t)
            for w in args.workers:
                target = Path(tmp) / f"ix-{w}-{i}"
                t = time.perf_counter()
                report = index_documents([src], target, workers=w, progress=False)
                ours[w].append((time.perf_counter() - t, report.phases, _index_bytes(target)))
                assert report.added == len(records), report
    pyvi_s = statistics.median(pyvi_runs)
    print(f"{len(records)} VNTC articles, {chars / 1e6:.1f} M characters ({raw_bytes / 1e6:.1f} MB UTF-8), "
          f"median of {args.runs} runs")
    print(f"pyvi tokenize, 1 process, sentence by sentence: {chars / pyvi_s / 1000:6.0f}k chars/s  ({pyvi_s:.1f} s)")
    for w, runs in ours.items():
        secs = statistics.median(r[0] for r in runs)
        phases = {name: statistics.median(r[1].get(name, 0.0) for r in runs) for name in runs[0][1]}
        size = runs[0][2]
        print(f"vnsearch index end to end, --workers {w}:        {chars / secs / 1000:6.0f}k chars/s  "
              f"({secs:.1f} s, {len(records) / secs:.0f} docs/s); ratio to pyvi {pyvi_s / secs:.2f} "
              f"(target ≥ 1.00 with 2 workers)")
        print("    phases: " + ", ".join(f"{name} {sec:.1f} s" for name, sec in phases.items()))
        print(f"    index {size / 1e6:.1f} MB = {size / raw_bytes:.2f}× the raw UTF-8 text (target ≤ 1.50)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
