"""Run ``extract_article`` over a whole corpus: no exceptions, facet coverage, speed.

Prints how many articles get each facet, the 20 most frequent values of each (every year and
every term), and documents per second.  ``--show terms=XIV`` lists up to 5 articles holding a
value with the rule that chose it.  Exits 0 with a message when the shared corpus is absent.

Run:  .venv/bin/python bench/extract_corpus.py [path/to/corpus.jsonl.gz] [--show FACET=VALUE ...]
"""
from __future__ import annotations

import collections
import gzip
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from index.extract import extract_article  # noqa: E402

FACETS = ("provinces", "provinces_new", "terms", "resolutions", "year", "date", "source")
ALL_VALUES = ("terms", "year")  # short lists where every value is worth reading


def default_corpus() -> Path | None:
    """baomoi35k.jsonl.gz under $VNSEARCH_SHARED or ../shared next to the repo."""
    for cand in (os.environ.get("VNSEARCH_SHARED"), ROOT / "../shared"):
        if cand:
            path = Path(cand) / "corpora" / "baomoi35k.jsonl.gz"
            if path.is_file():
                return path.resolve()
    return None


def main(argv: list[str]) -> int:
    """Extract every record and print the summary; return the exit code."""
    shows = [a.split("=", 1) for a in argv if "=" in a]
    argv = [a for a in argv if "=" not in a and a != "--show"]
    shown: list[str] = []
    path = Path(argv[0]) if argv else default_corpus()
    if path is None or not path.is_file():
        print("extract_corpus: corpus not found (set VNSEARCH_SHARED or pass a path); skipped")
        return 0
    having: collections.Counter[str] = collections.Counter()
    values = {f: collections.Counter() for f in FACETS}
    n = errors = 0
    spent = 0.0
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            given = {k: rec.get(k) for k in ("title", "date", "source", "url", "sapo", "category")}
            t0 = time.perf_counter()
            try:
                why: dict | None = {} if shows else None
                info = extract_article(rec.get("text") or "", given, why=why)
                info["year"] = info["date"][:4] if info["date"] else None
            except Exception as exc:  # report, keep going: the point is to find them all
                errors += 1
                print(f"ERROR {rec.get('id')}: {exc!r}")
                continue
            finally:
                spent += time.perf_counter() - t0
            n += 1
            for facet, value in shows:
                vals = info.get(facet) if isinstance(info.get(facet), list) else [info.get(facet)]
                if value in vals and sum(x.startswith(f"{facet}={value} ") for x in shown) < 5:
                    key = ("date", info["date"]) if facet == "year" else (facet, value)
                    shown.append(f"{facet}={value} {rec.get('id')}: {' || '.join(why.get(key, ['?']))}")
            for facet in FACETS:
                v = info[facet]
                vals = v if isinstance(v, list) else ([v] if v else [])
                if vals:
                    having[facet] += 1
                values[facet].update(vals)
    print(f"{path}: {n} articles extracted, {errors} errors, "
          f"{n / spent:.0f} documents/s ({1000 * spent / max(n, 1):.2f} ms/doc, extraction only)")
    for facet in FACETS:
        print(f"\n{facet}: {having[facet]} articles ({100 * having[facet] / max(n, 1):.1f}%), "
              f"{len(values[facet])} distinct values")
        top = values[facet].most_common(None if facet in ALL_VALUES else 5 if facet == "date" else 20)
        for v, c in top:
            print(f"  {c:6d}  {v}")
    if shows:
        print("\nwhy:")
        for line in shown:
            print("  " + line)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
