"""Relevance of vnsearch on the ../shared benchmarks, next to a plain BM25 baseline.

    python bench/eval.py --shared ../shared [--bench vicov19qa] [--limit-queries 200]

For each benchmark (``eval/<name>/corpus.jsonl[.gz]``, ``queries.<split>.jsonl``,
``qrels.<split>.tsv``) the corpus is indexed once by the real indexer and cached under
``var/eval/<bench>-<analyzer version>-<settings hash>``; every query then goes through
``SearchEngine.search(text, size=10, facets=False, snippets=False)``, the call
``vnsearch search --batch`` makes.  Each query is run as given and with its diacritics
removed (lowercase, đ→d).  The baseline is :class:`relevance.PlainBM25`: Okapi BM25
(k1=1.2, b=0.75) over lowercase syllables of title + text, computed in the same run.

Prints MRR@10, Recall@10 and nDCG@10 and the ratio of diacritic-free to accented MRR.
Then runs the typed-query benchmark (``bench/typed.py``: P@10 per kind and form, flood per
query), unless ``--bench`` names only the MRR benchmarks.
Exits 0 with a message when the shared folder is absent (a fresh clone has none).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from relevance import PlainBM25, evaluate, read_jsonl, read_qrels  # noqa: E402

BENCHES = ("vicov19qa", "vntc-knownitem")
TARGETS = {"vicov19qa": 0.36, "vntc-knownitem": 0.70}
FOLDED_RATIO_TARGET = 0.95
K = 10
STAMP = "eval-built.json"


def corpus_file(bench_dir: Path) -> Path | None:
    for name in ("corpus.jsonl", "corpus.jsonl.gz"):
        if (bench_dir / name).exists():
            return bench_dir / name
    return None


def settings_key(corpus: Path) -> str:
    """What the cached index depends on besides the analyzer version: the schema, the corpus
    file and the write-side code (index/*.py and its data: extraction and analysis change
    indexed terms without always bumping the analyzer version).  Ranking and query code
    (search/) are not part of it: they never change the index."""
    from index.schema import FORMAT_VERSION, build_schema

    schema = build_schema()
    st = corpus.stat()
    code = hashlib.sha1()
    for f in sorted((ROOT / "index").rglob("*")):
        if f.is_file() and f.suffix in (".py", ".json", ".tsv", ".txt") and "__pycache__" not in f.parts:
            code.update(f.relative_to(ROOT).as_posix().encode() + b"\0" + f.read_bytes())
    desc = {
        "code": code.hexdigest(),
        "format": FORMAT_VERSION,
        "fields": [(n, type(schema[n]).__name__, repr(getattr(schema[n], "analyzer", None))) for n in schema.names()],
        "corpus": [str(corpus.resolve()), st.st_size, int(st.st_mtime)],
    }
    return hashlib.sha1(json.dumps(desc, sort_keys=True).encode()).hexdigest()[:10]


def cached_index(bench: str, corpus: Path, var: Path, rebuild: bool, workers: int) -> Path:
    """The index of ``corpus``, built once (with the real indexer) and reused."""
    from index.analysis import ANALYZER_VERSION
    from index.writer import index_documents

    path = var / f"{bench}-{ANALYZER_VERSION}-{settings_key(corpus)}"
    if (path / STAMP).exists() and not rebuild:
        return path
    print(f"[{bench}] indexing {corpus} into {path} (once; cached) ...", flush=True)
    if path.exists():
        shutil.rmtree(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    report = index_documents([corpus], path, rebuild=True, workers=workers, progress=False,
                             on_skip=lambda b: print(f"  skipped: {b}", file=sys.stderr))
    (path / STAMP).write_text(json.dumps({"documents": report.total, "seconds": round(report.seconds, 1)}) + "\n")
    print(f"[{bench}] indexed {report.total} documents in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def fold_query(text: str) -> str:
    from index.normalize import fold_diacritics

    return fold_diacritics(text).lower()


def run_engine(index_dir: Path, queries: list[dict], fold: bool) -> tuple[dict, list[float]]:
    """Run every query as ``vnsearch search --batch`` does; the ranked ids and the latencies."""
    from search.engine import engine_for
    from search.query import QueryError

    engine = engine_for(index_dir)
    run, times = {}, []
    for q in queries:
        text = fold_query(q["text"]) if fold else q["text"]
        t = time.perf_counter()
        try:
            result = engine.search(text, {}, size=K, facets=False, snippets=False)
            run[q["id"]] = [h["id"] for h in result["hits"]]
        except QueryError:
            run[q["id"]] = []
        times.append((time.perf_counter() - t) * 1000)
    return run, times


def run_baseline(bm25: PlainBM25, queries: list[dict], fold: bool) -> dict:
    return {q["id"]: bm25.search(fold_query(q["text"]) if fold else q["text"], K) for q in queries}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def eval_bench(bench: str, shared: Path, args) -> dict | None:
    bench_dir = shared / "eval" / bench
    corpus = corpus_file(bench_dir)
    qfile, qrfile = bench_dir / f"queries.{args.split}.jsonl", bench_dir / f"qrels.{args.split}.tsv"
    if corpus is None or not qfile.exists() or not qrfile.exists():
        print(f"[{bench}] skipped: {bench_dir} lacks corpus/queries.{args.split}/qrels.{args.split}")
        return None
    queries = list(read_jsonl(qfile))
    if args.limit_queries:
        queries = queries[: args.limit_queries]
    qrels = read_qrels(qrfile)
    qrels = {q["id"]: qrels[q["id"]] for q in queries if q["id"] in qrels}

    index_dir = cached_index(bench, corpus, Path(args.var), args.rebuild, args.workers)
    rows = {}
    latencies = []
    for fold in (False, True):
        run, times = run_engine(index_dir, queries, fold)
        latencies += times
        rows[("vnsearch", fold)] = evaluate(run, qrels, K)
    if not args.no_baseline:
        bm25 = PlainBM25((r["id"], f"{r.get('title') or ''}\n{r.get('text') or ''}") for r in read_jsonl(corpus))
        for fold in (False, True):
            rows[("bm25-syllables", fold)] = evaluate(run_baseline(bm25, queries, fold), qrels, K)
    return {"bench": bench, "queries": len(queries), "rows": rows,
            "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95), "index": str(index_dir)}


def print_report(res: dict) -> None:
    bench = res["bench"]
    print(f"\n== {bench} ({args_split}) — {res['queries']} queries; index {res['index']}")
    print(f"{'system':<16}{'queries':<15}{'MRR@10':>8}{'R@10':>8}{'nDCG@10':>9}")
    for (system, fold), m in res["rows"].items():
        print(f"{system:<16}{'no diacritics' if fold else 'as given':<15}"
              f"{m['mrr']:>8.4f}{m['recall']:>8.4f}{m['ndcg']:>9.4f}")
    for system in ("vnsearch", "bm25-syllables"):
        if (system, False) in res["rows"]:
            acc, fold = res["rows"][(system, False)]["mrr"], res["rows"][(system, True)]["mrr"]
            print(f"{system}: MRR no-diacritics / as-given = {fold / acc if acc else 0:.3f}")
    ours, ours_f = res["rows"][("vnsearch", False)]["mrr"], res["rows"][("vnsearch", True)]["mrr"]
    target = TARGETS.get(bench)
    if target is not None:
        ratio = ours_f / ours if ours else 0.0
        print(f"target MRR@10 >= {target}: {'met' if ours >= target else 'NOT met'} ({ours:.4f}); "
              f"no-diacritics >= {FOLDED_RATIO_TARGET:.0%} of it: {'met' if ratio >= FOLDED_RATIO_TARGET else 'NOT met'} "
              f"({ratio:.3f})")
    print(f"vnsearch latency per query: p50 {res['p50_ms']:.1f} ms, p95 {res['p95_ms']:.1f} ms (no facets, no snippets)")


args_split = "dev"


def main(argv=None) -> int:
    global args_split
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"), help="the shared data folder [../shared]")
    ap.add_argument("--bench", action="append", choices=BENCHES + ("typed",),
                    help="only this benchmark (repeatable)")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--limit-queries", type=int, default=0, help="only the first N queries (quick runs)")
    ap.add_argument("--var", default=str(ROOT / "var" / "eval"), help="where cached indexes live [var/eval]")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached indexes")
    ap.add_argument("--workers", type=int, default=2, help="indexing processes [2]")
    ap.add_argument("--no-baseline", action="store_true", help="skip the plain BM25 baseline")
    ap.add_argument("--json", dest="json_out", help="also write the figures to this JSON file")
    args = ap.parse_args(argv)
    args_split = args.split
    shared = Path(args.shared)
    if not (shared / "eval").is_dir():
        print(f"eval skipped: no shared data at {shared} (the benchmarks live in ../shared/eval)")
        return 0
    out = []
    chosen = args.bench or BENCHES + ("typed",)
    for bench in chosen:
        if bench == "typed":
            continue
        res = eval_bench(bench, shared, args)
        if res:
            print_report(res)
            out.append(res)
    if "typed" in chosen:
        from typed import run_typed

        run_typed(shared, Path(args.var), args.rebuild, args.workers)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps([
            {k: v for k, v in r.items() if k != "rows"}
            | {"rows": [{"system": s, "no_diacritics": f} | m for (s, f), m in r["rows"].items()]}
            for r in out], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
