"""Measure ``extract_article`` against the hand-labelled facets in ``shared/eval/facets/``.

Prints micro precision/recall for provinces, terms and resolutions, title exact matches on
the seeds, date and source accuracy, and every miss.  Exits 0 with a message when the
shared data directory is absent.

Run:  .venv/bin/python bench/facets_eval.py
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from index.extract import extract_article  # noqa: E402

FACETS = ("provinces", "terms", "resolutions")


def shared_dir() -> Path | None:
    """The shared data directory: $VNSEARCH_SHARED, else ../shared next to the repo."""
    for cand in (os.environ.get("VNSEARCH_SHARED"), ROOT / "../shared"):
        if cand and (Path(cand) / "eval" / "facets").is_dir():
            return Path(cand).resolve()
    return None


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_cases(shared: Path) -> list[tuple[dict, dict, dict]]:
    """(gold, extracted, kind) for each labelled document."""
    facets = shared / "eval" / "facets"
    cases = []
    for gold in _jsonl(facets / "seeds.gold.jsonl"):
        text = (shared / "seeds" / f"{gold['id']}.txt").read_text(encoding="utf-8")
        cases.append((gold, extract_article(text), {"kind": "seed"}))
    records = {r["id"]: r for r in _jsonl(facets / "articles.jsonl")}
    for gold in _jsonl(facets / "articles.gold.jsonl"):
        rec = records[gold["id"]]
        given = {k: rec.get(k) for k in ("title", "date", "source", "url", "sapo", "category")}
        cases.append((gold, extract_article(rec.get("text", ""), given), {"kind": "article"}))
    return cases


def main() -> int:
    """Print the figures and misses; return the process exit code."""
    shared = shared_dir()
    if shared is None:
        print("facets_eval: shared data not found (set VNSEARCH_SHARED or place ../shared); skipped")
        return 0
    cases = load_cases(shared)
    misses: list[str] = []
    print(f"{len(cases)} labelled documents from {shared / 'eval' / 'facets'}")
    for facet in FACETS:
        tp = fp = fn = 0
        for gold, got, _ in cases:
            g, p = set(gold.get(facet) or []), set(got[facet])
            tp += len(g & p)
            fp += len(p - g)
            fn += len(g - p)
            for v in sorted(p - g):
                misses.append(f"{gold['id']} {facet}: extra   {v!r}")
            for v in sorted(g - p):
                misses.append(f"{gold['id']} {facet}: missing {v!r}")
        prec = tp / (tp + fp) if tp + fp else 1.0
        rec = tp / (tp + fn) if tp + fn else 1.0
        print(f"{facet:12s} precision {prec:.3f}  recall {rec:.3f}  (tp {tp}, fp {fp}, fn {fn})")
    seeds = [(g, p) for g, p, k in cases if k["kind"] == "seed"]
    titles = sum(g["title"] == p["title"] for g, p in seeds)
    sources = sum(g.get("source") == p["source"] for g, p in seeds)
    print(f"title exact  {titles}/{len(seeds)} seeds")
    print(f"source       {sources}/{len(seeds)} seeds")
    for g, p in seeds:
        if g["title"] != p["title"]:
            misses.append(f"{g['id']} title: got {p['title']!r}, want {g['title']!r}")
        if g.get("source") != p["source"]:
            misses.append(f"{g['id']} source: got {p['source']!r}, want {g.get('source')!r}")
    dates = sum(g.get("date") == p["date"] for g, p, _ in cases)
    print(f"date         {dates}/{len(cases)} correct (null counts when both null)")
    for g, p, _ in cases:
        if g.get("date") != p["date"]:
            misses.append(f"{g['id']} date: got {p['date']!r}, want {g.get('date')!r}")
    print(f"\n{len(misses)} misses:" if misses else "\nno misses")
    for line in misses:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
