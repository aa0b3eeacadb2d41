"""Measure ``extract_article`` against the hand-labelled facets in ``shared/eval/facets/``.

For each labelled set (seeds, articles, dev100) and for all of them together it prints micro
precision/recall for provinces, terms and resolutions and the date accuracy; then every wrong
value with the rule that chose it (or, for a missing value, nothing chose it), so a mistake
can be traced in one read.  Titles and sources are checked on the seeds.  Exits 0 with a
message when the shared data directory is absent.

Run:  .venv/bin/python bench/facets_eval.py [--set dev100] [--quiet]
      (--half A|B splits dev100 by id parity, to check rules tuned on one half on the other)
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from index.extract import extract_article  # noqa: E402

FACETS = ("provinces", "terms", "resolutions")
SETS = ("seeds", "articles", "dev100")
GIVEN = ("title", "date", "source", "url", "sapo", "category")


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
    """(gold, extracted, meta) for each labelled document; meta has the set name and the why."""
    facets = shared / "eval" / "facets"
    cases = []
    for gold in _jsonl(facets / "seeds.gold.jsonl"):
        text = (shared / "seeds" / f"{gold['id']}.txt").read_text(encoding="utf-8")
        why: dict = {}
        cases.append((gold, extract_article(text, why=why), {"set": "seeds", "why": why}))
    for name in ("articles", "dev100"):
        records = {r["id"]: r for r in _jsonl(facets / f"{name}.jsonl")}
        for gold in _jsonl(facets / f"{name}.gold.jsonl"):
            rec = records[gold["id"]]
            why = {}
            given = {k: rec.get(k) for k in GIVEN}
            got = extract_article(rec.get("text", ""), given, why=why)
            cases.append((gold, got, {"set": name, "why": why}))
    return cases


def half_of(doc_id: str) -> str:
    """A stable split of documents into halves A and B (by a checksum of the id)."""
    return "AB"[zlib.crc32(doc_id.encode()) % 2]


def scores(cases: list) -> dict[str, tuple[float, float, int, int, int]]:
    """Micro precision, recall, tp, fp, fn per facet, and date accuracy."""
    out = {}
    for facet in FACETS:
        tp = fp = fn = 0
        for gold, got, _ in cases:
            g, p = set(gold.get(facet) or []), set(got[facet])
            tp, fp, fn = tp + len(g & p), fp + len(p - g), fn + len(g - p)
        out[facet] = (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0, tp, fp, fn)
    right = sum(g.get("date") == p["date"] for g, p, _ in cases)
    out["date"] = (right / len(cases) if cases else 1.0, 0.0, right, len(cases), 0)
    return out


def print_table(groups: list[tuple[str, list]]) -> None:
    print(f"{'set':10s} {'docs':>4s}  {'provinces P / R':>15s}  {'terms P / R':>13s}  "
          f"{'resolutions P / R':>17s}  {'date':>5s}")
    for name, cases in groups:
        s = scores(cases)
        cells = [f"{s[f][0]:.2f} / {s[f][1]:.2f}" for f in FACETS]
        print(f"{name:10s} {len(cases):4d}  {cells[0]:>15s}  {cells[1]:>13s}  {cells[2]:>17s}  "
              f"{s['date'][0]:5.2f}")


def misses(cases: list) -> list[str]:
    """One line per wrong value: extra ones with the rule that chose them, missing ones bare."""
    lines = []
    for gold, got, meta in cases:
        why = meta["why"]
        head = f"[{meta['set']}] {gold['id']}"
        for facet in FACETS:
            g, p = set(gold.get(facet) or []), set(got[facet])
            for v in sorted(p - g):
                lines.append(f"{head} {facet}: EXTRA {v!r} <- {' || '.join(why.get((facet, v), ['?']))}")
            for v in sorted(g - p):
                seen = why.get((facet, v))  # found but not kept: say how weakly
                lines.append(f"{head} {facet}: MISSING {v!r}" + (f" (seen: {' || '.join(seen)})" if seen else ""))
        if gold.get("date") != got["date"]:
            rule = " || ".join(why.get(("date", got["date"]), ["no rule fired"])) if got["date"] else ""
            lines.append(f"{head} date: got {got['date']!r}, want {gold.get('date')!r} {rule}".rstrip())
        if meta["set"] == "seeds":
            if gold["title"] != got["title"]:
                lines.append(f"{head} title: got {got['title']!r}, want {gold['title']!r}")
            if gold.get("source") != got["source"]:
                lines.append(f"{head} source: got {got['source']!r}, want {gold.get('source')!r}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Print the figures and misses; return the process exit code."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", choices=SETS, help="list the misses of this set only")
    ap.add_argument("--half", choices=("A", "B"), help="list the misses of this half of dev100 only")
    ap.add_argument("--quiet", action="store_true", help="figures only, no list of misses")
    args = ap.parse_args(argv)
    shared = shared_dir()
    if shared is None:
        print("facets_eval: shared data not found (set VNSEARCH_SHARED or place ../shared); skipped")
        return 0
    cases = load_cases(shared)
    print(f"{len(cases)} labelled documents from {shared / 'eval' / 'facets'}\n")
    dev = [c for c in cases if c[2]["set"] == "dev100"]
    groups = [(name, [c for c in cases if c[2]["set"] == name]) for name in SETS]
    groups += [("dev100 A", [c for c in dev if half_of(c[0]["id"]) == "A"]),
               ("dev100 B", [c for c in dev if half_of(c[0]["id"]) == "B"]),
               ("all", cases)]
    print_table(groups)
    seeds = [c for c in cases if c[2]["set"] == "seeds"]
    print(f"\nseeds: title exact {sum(g['title'] == p['title'] for g, p, _ in seeds)}/{len(seeds)}, "
          f"source {sum(g.get('source') == p['source'] for g, p, _ in seeds)}/{len(seeds)}")
    if args.quiet:
        return 0
    shown = [c for c in cases if (not args.set or c[2]["set"] == args.set)
             and (not args.half or (c[2]["set"] == "dev100" and half_of(c[0]["id"]) == args.half))]
    lines = misses(shown)
    print(f"\n{len(lines)} wrong values:" if lines else "\nno wrong values")
    for line in lines:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
