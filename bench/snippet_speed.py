"""Snippet and highlight speed: the old regex pass (commit 75754c9), the pipeline's syllables
over the whole body (commit 3f24cc1, before the windows) and the current code, in one process
on the same text: dantri bodies, and one body of 1M and one of 5M characters made of them.
Medians of several runs; prints the ratios to the old code, and checks that the current spans
equal the whole-body ones (a difference is printed and the exit code is 1); snippets that show
another passage than the whole-body code's are counted (their rule has changed since).

    .venv/bin/python bench/snippet_speed.py [--articles 300] [--runs 5]
"""
import argparse
import gzip
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search import highlight as new  # noqa: E402
from search.query import parse_query  # noqa: E402
from search_speed import query_mix  # noqa: E402


def old_module(commit: str, name: str):
    """``search/highlight.py`` as it was at ``commit``, imported as a module of its own."""
    src = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:search/highlight.py"],
                         capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / f"{name}.py"
    path.write_text(src, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def terms_for(mod, query: str):
    """The query's match terms, rebuilt with ``mod``'s MatchTerms (the old one has no breaks)."""
    t = mod.MatchTerms()
    for seq in parse_query(query).match_terms().sequences:
        t.add(list(seq))
    return t


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora" / "dantri.jsonl.gz"))
    args = ap.parse_args()
    with gzip.open(args.corpus, "rt", encoding="utf-8") as f:
        bodies = [json.loads(line)["text"] for _, line in zip(range(args.articles), f)]
    old, whole = old_module("75754c9", "highlight_75754c9"), old_module("3f24cc1", "highlight_3f24cc1")
    queries = [q for q, filters in query_mix() if q and not filters]
    joined = "\n".join(bodies)
    big = {n: (joined * (n // len(joined) + 1))[:n] for n in (1_000_000, 5_000_000)}
    bad = moved = 0
    # Same spans as the whole-body pass, for every query and body (the speed is worth nothing otherwise).
    for q in queries:
        tw, tn = terms_for(whole, q), terms_for(new, q)
        for body in bodies:
            if whole.match_spans(body, tw) != new.match_spans(body, tn):
                bad += 1
                print(f"DIFFERENT spans: {q!r} on {body[:60]!r}")
            # The passage rule changed since (the earliest passage holding the most of the query's
            # words, side by side first, instead of the most distinct marked strings): counted only.
            moved += str(whole.snippet(body, tw)) != str(new.snippet(body, tn))
    print(f"{len(queries)} queries × {len(bodies)} bodies: {bad} span differences from the whole-body pass; "
          f"{moved} snippets show another passage (the passage rule changed)")
    print(f"{'what':34} {'old 75754c9':>12} {'whole body':>12} {'now':>12} {'now/old':>8} {'whole/old':>9}")

    def row(label, fo, fw, fn, runs):
        to, tw, tn = timed(fo, runs), timed(fw, runs), timed(fn, runs)
        print(f"{label:34} {to:11.4f}s {tw:11.4f}s {tn:11.4f}s {tn / to:8.2f} {tw / to:9.2f}")

    def all_bodies(mod, fn_name):
        ts = [(q, terms_for(mod, q)) for q in queries]
        fn = getattr(mod, fn_name)
        return lambda: [fn(b, t) for _, t in ts for b in bodies]

    print(f"({len(queries)} queries; medians of {args.runs} runs)")
    row(f"snippet, {len(bodies)} dantri bodies", all_bodies(old, "snippet"), all_bodies(whole, "snippet"),
        all_bodies(new, "snippet"), args.runs)
    row(f"highlight, {len(bodies)} dantri bodies", all_bodies(old, "highlight"), all_bodies(whole, "highlight"),
        all_bodies(new, "highlight"), args.runs)
    for n, text in big.items():
        for q in ("chi bộ", "nghị quyết trung ương 4", "của"):
            to_, tw_, tn_ = terms_for(old, q), terms_for(whole, q), terms_for(new, q)
            runs = max(1, args.runs // (2 if n < 2_000_000 else 5))
            row(f"snippet {n // 1_000_000}M chars {q!r}", lambda: old.snippet(text, to_),
                lambda: whole.snippet(text, tw_), lambda: new.snippet(text, tn_), runs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
