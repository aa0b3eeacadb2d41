"""Very large documents: indexed, found, at what cost (issue 13, item 10).

Builds one document of ``--sizes`` MB (UTF-8) from real VNTC article text, with a sentence
found nowhere else at its very end, and indexes it with ``vnsearch index`` in a child
process; then searches for that sentence.  The baseline, in the same run, indexes the very
same text cut back into its articles (``--baseline``), so the ratio says what being one
document costs.  Prints seconds, characters per second, the child's peak memory, and the
rank of the big document for the sentence at its end.

    .venv/bin/python bench/big_documents.py [--shared ../shared] [--sizes 5 50] [--baseline]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared")
    ap.add_argument("--sizes", type=float, nargs="+", default=[5, 50], help="document sizes in MB")
    ap.add_argument("--baseline", action="store_true", help="also index the same text as separate articles")
    args = ap.parse_args()

    print(f"{'MB':>6} {'chars':>12} {'index s':>8} {'chars/s':>9} {'peak MB':>8} {'rank':>5} {'search s':>9}"
          + ("  baseline s  ratio" if args.baseline else ""))
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
            rank, search_seconds = rank_of(tmp / "ix", "big")
            line = (f"{len(text.encode()) / 1e6:>6.1f} {len(text):>12,} {seconds:>8.1f} {len(text) / seconds:>9,.0f} "
                    f"{peak:>8.0f} {rank if rank else '-':>5} {search_seconds:>9.2f}")
            if args.baseline:
                split = tmp / "split.jsonl"
                split.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in parts), encoding="utf-8")
                base, _, _ = timed_index(split, tmp / "ix-split")
                line += f"  {base:>10.1f}  {seconds / base:>5.2f}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
