"""The typed-query benchmark (``../shared/eval/typed``): one intent typed several ways.

    python bench/typed.py --shared ../shared [--limit-docs 8000] [--why 5]   (also run by bench/eval.py)

Corpus: ``corpora/baomoi35k.jsonl.gz`` with titles blanked, each record becoming
``{"id", "title": "", "text": sapo + "\\n" + text}`` (the text the judgments were computed
on), indexed once by the real indexer and cached under ``var/eval`` like the other benches.
Every query goes through ``SearchEngine.search`` (no facets, snippets or suggestions).

Printed per query: P@10 (relevant in the top 10 / min(10, relevant)), the total, and for
phrase intents the flood (total / articles holding every syllable), for document intents
total / articles citing the document.  Then P@10 per kind and form, flood median and max
per form, and the median total/citing ratio per form, each against its target.

``--limit-docs N`` indexes only the first N records (a quick subset for iterating; the
judgments are then cut to the indexed articles, so the figures are comparable in kind but
not equal to the full run's).
"""
from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from relevance import read_jsonl, read_qrels  # noqa: E402

CORPUS = "corpora/baomoi35k.jsonl.gz"
P10_TARGET = 0.9
FLOOD_MEDIAN_TARGET, FLOOD_MAX_TARGET = 1.5, 3.0
CITING_TARGET = 3.0
K = 10


def blanked_corpus(shared: Path, var: Path, limit: int) -> Path:
    """The benchmark's corpus file (titles blanked, sapo + text), written once."""
    out = var / f"typed-baomoi35k{'-' + str(limit) if limit else ''}.jsonl.gz"
    if out.exists():
        return out
    var.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as fh:
        for n, r in enumerate(read_jsonl(shared / CORPUS)):
            if limit and n >= limit:
                break
            text = (r.get("sapo") or "") + "\n" + (r.get("text") or "")
            fh.write(json.dumps({"id": r["id"], "title": "", "text": text}, ensure_ascii=False) + "\n")
    tmp.rename(out)
    return out


def corpus_ids(corpus: Path) -> set[str]:
    return {r["id"] for r in read_jsonl(corpus)}


def run_typed(shared: Path, var: Path, rebuild: bool = False, workers: int = 2, limit: int = 0,
              verbose: bool = True, why: int = 0) -> dict | None:
    """Index (cached), run every typed query, print the table; the figures as a dict."""
    from eval import cached_index  # the same cache as the other benches
    from search.engine import engine_for
    from search.query import QueryError

    tdir = shared / "eval" / "typed"
    if not (tdir / "queries.jsonl").exists() or not (shared / CORPUS).exists():
        print(f"[typed] skipped: {tdir} or {shared / CORPUS} is missing")
        return None
    corpus = blanked_corpus(shared, var, limit)
    index_dir = cached_index(f"typed{'-' + str(limit) if limit else ''}", corpus, var, rebuild, workers)
    queries = list(read_jsonl(tdir / "queries.jsonl"))
    qrels, andsets = read_qrels(tdir / "qrels.tsv"), read_qrels(tdir / "andsets.tsv")
    if limit:
        ids = corpus_ids(corpus)
        qrels = {q: {d: g for d, g in rel.items() if d in ids} for q, rel in qrels.items()}
        andsets = {q: {d: g for d, g in rel.items() if d in ids} for q, rel in andsets.items()}
    engine = engine_for(index_dir)
    rows = []
    for q in queries:
        try:
            res = engine.search(q["text"], {}, size=K, facets=False, snippets=False, suggest=False)
            top, total = [h["id"] for h in res["hits"]], res["total"]
        except QueryError:
            top, total = [], 0
        rel = {d for d, g in qrels.get(q["id"], {}).items() if g > 0}
        p10 = len(rel.intersection(top)) / min(K, len(rel)) if rel else None
        row = {"id": q["id"], "text": q["text"], "kind": q["kind"], "form": q["form"],
               "p10": p10, "total": total, "relevant": len(rel)}
        if q["kind"] == "phrase":
            andset = len(andsets.get(q["id"], {}))
            row["andset"] = andset
            row["flood"] = total / andset if andset else None
        else:
            row["citing"] = len(rel)
            row["flood"] = total / len(rel) if rel else None
        rows.append(row)
    if verbose:
        print_typed(rows, index_dir)
    if why:
        explain_documents(engine, queries, qrels, why)
    return {"index": str(index_dir), "rows": rows, "summary": summarise(rows)}


def explain_documents(engine, queries: list[dict], qrels: dict, show: int) -> None:
    """For each document query, why its results that do not cite the document matched:
    tagged with what the query names (the extraction's call) or holding its name's words."""
    import numpy as np

    from search.scoring import QueryScorer
    from search.understand import understand

    st = engine.state()
    for q in queries:
        if q["kind"] != "document":
            continue
        parsed = understand(q["text"], st)
        mask = QueryScorer(st.postings).evaluate(parsed).mask
        rel = {d for d, g in qrels.get(q["id"], {}).items() if g > 0}
        extra = [int(d) for d in np.flatnonzero(mask) if st.searcher.stored_fields(int(d))["id"] not in rel]
        names = "; ".join(f"{e.facet} {e.values} ({int(e.docs.sum())} tagged)" for e in parsed.entities) or "none"
        print(f"\n-- {q['id']} {q['text']!r}: {len(extra)} results not citing it; names {names}")
        for d in extra[:show]:
            fields = st.searcher.stored_fields(d)
            tagged = [e.facet for e in parsed.entities if e.docs[d]]
            how = f"tagged ({fields.get('resolutions') or fields.get('terms')})" if tagged else "by the name's words"
            print(f"   {fields['id']}: {how}")


def summarise(rows: list[dict]) -> dict:
    """P@10 per (kind, form); flood median/max per form (phrases); total/citing median (documents)."""
    p10, flood = defaultdict(list), defaultdict(list)
    for r in rows:
        if r["p10"] is not None:
            p10[(r["kind"], r["form"])].append(r["p10"])
        if r["flood"] is not None:
            flood[(r["kind"], r["form"])].append(r["flood"])
    return {
        "p10": {f"{k}/{f}": statistics.mean(v) for (k, f), v in sorted(p10.items())},
        "flood": {f"{k}/{f}": {"median": statistics.median(v), "max": max(v)} for (k, f), v in sorted(flood.items())},
    }


def print_typed(rows: list[dict], index_dir: Path) -> None:
    print(f"\n== typed queries — {len(rows)} queries; index {index_dir}")
    print(f"{'query':<8}{'kind':<9}{'form':<12}{'P@10':>6}{'total':>8}{'and/cite':>9}{'flood':>8}  text")
    for r in rows:
        base = r.get("andset", r.get("citing"))
        p10 = f"{r['p10']:.2f}" if r["p10"] is not None else "-"
        flood = f"{r['flood']:.2f}" if r["flood"] is not None else "-"
        print(f"{r['id']:<8}{r['kind']:<9}{r['form']:<12}{p10:>6}{r['total']:>8}{base:>9}{flood:>8}  {r['text']}")
    s = summarise(rows)
    print(f"\n{'kind/form':<24}{'P@10':>7}  target >= {P10_TARGET}")
    for key, v in s["p10"].items():
        print(f"{key:<24}{v:>7.3f}  {'met' if v >= P10_TARGET else 'NOT met'}")
    for key, v in s["flood"].items():
        if key.startswith("phrase/"):
            ok = v["median"] <= FLOOD_MEDIAN_TARGET and v["max"] <= FLOOD_MAX_TARGET
            print(f"flood {key:<18} median {v['median']:.2f} (<= {FLOOD_MEDIAN_TARGET}), max {v['max']:.2f} "
                  f"(<= {FLOOD_MAX_TARGET}): {'met' if ok else 'NOT met'}")
        else:
            ok = v["median"] <= CITING_TARGET
            print(f"total/citing {key:<18} median {v['median']:.2f} (<= {CITING_TARGET}), max {v['max']:.2f}: "
                  f"{'met' if ok else 'NOT met'}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"), help="the shared data folder [../shared]")
    ap.add_argument("--var", default=str(ROOT / "var" / "eval"), help="where cached indexes live [var/eval]")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached index")
    ap.add_argument("--workers", type=int, default=2, help="indexing processes [2]")
    ap.add_argument("--limit-docs", type=int, default=0, help="index only the first N articles (quick runs)")
    ap.add_argument("--json", dest="json_out", help="also write the figures to this JSON file")
    ap.add_argument("--why", type=int, default=0, metavar="N",
                    help="for document queries, say why up to N results not citing the document matched")
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    if not (shared / "eval").is_dir():
        print(f"typed eval skipped: no shared data at {shared}")
        return 0
    res = run_typed(shared, Path(args.var), args.rebuild, args.workers, args.limit_docs, why=args.why)
    if res and args.json_out:
        Path(args.json_out).write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
