"""Search latency with all facet counts, against Whoosh's ``groupedby`` in the same run.

Indexes ``corpora/vntc.jsonl.gz`` (all 84k articles, or ``--limit N`` of them; the index
is cached under ``var/bench/``), then runs a fixed mix of queries (short keywords,
phrases, diacritic-free, with and without filters) several times each and prints p50/p95
of a facade search with all six facet counts, and the same queries counted by Whoosh's
``groupedby``.

    .venv/bin/python bench/search_speed.py [--shared ../shared] [--limit 20000] [--runs 5] [--no-whoosh]

Relevance searches rerank their best candidates by their leads, which each index generation
keeps once read (``search/leads.py``); the row "lead cache emptied first" times every search
with that cache dropped just before, as for a query whose candidates no search has met yet.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from whoosh import sorting  # noqa: E402

from index.analysis import ANALYZER_VERSION  # noqa: E402
from index.writer import index_documents  # noqa: E402
from index.schema import IndexVersionError, check_manifest  # noqa: E402
from search.engine import SearchEngine  # noqa: E402
from search.facets import FACETS  # noqa: E402
from search.timeline import timeline  # noqa: E402
from whoosh import query as whoosh_query  # noqa: E402

KEYWORDS = [
    "nghị quyết", "bóng đá", "giáo dục", "tham nhũng", "giá vàng", "nông dân", "học sinh", "bệnh viện",
    "ô nhiễm môi trường", "xuất khẩu gạo", "Hà Nội", "thành phố Hồ Chí Minh", "đại hội đảng", "bầu cử",
    "công an", "giao thông", "tai nạn", "chứng khoán", "đầu tư nước ngoài", "cải cách hành chính",
]
PHRASES = ['"ủy ban nhân dân"', '"an toàn giao thông"', '"xây dựng đảng"', '"giá xăng dầu"', '"học sinh giỏi"']
FILTERS = [{"year": ["2005"]}, {"source": ["vnexpress"]}, {"province": ["Hà Nội"]}, {"province": ["Hồ Chí Minh", "Đà Nẵng"]}]


def query_mix() -> list[tuple[str, dict]]:
    """≥ 50 (query, filters) pairs: keywords, folded keywords, phrases, filtered."""
    from index.normalize import fold_diacritics

    mix = [(q, {}) for q in KEYWORDS]
    mix += [(fold_diacritics(q).lower(), {}) for q in KEYWORDS[:12]]
    mix += [(q, {}) for q in PHRASES]
    mix += [(q, FILTERS[i % len(FILTERS)]) for i, q in enumerate(KEYWORDS[:12])]
    mix += [("", f) for f in FILTERS]
    return mix


def shared_dir(arg: str | None) -> Path | None:
    for cand in (arg, os.environ.get("VNSEARCH_SHARED"), ROOT.parent / "shared"):
        if cand and (Path(cand) / "corpora").is_dir():
            return Path(cand)
    return None


def build(shared: Path, limit: int | None) -> Path:
    """Index the corpus once; later runs reuse it."""
    import gzip
    import itertools

    name = f"vntc-{limit or 'all'}-{ANALYZER_VERSION}"
    path = ROOT / "var" / "bench" / name
    if (path / "meta.json").exists():
        try:
            check_manifest(path)
            return path
        except IndexVersionError as exc:
            print(f"rebuilding: {exc}", flush=True)
    src = shared / "corpora" / "vntc.jsonl.gz"
    if limit:
        subset = ROOT / "var" / "bench" / f"vntc-{limit}.jsonl.gz"
        subset.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(src, "rb") as fin, gzip.open(subset, "wb") as fout:
            fout.writelines(itertools.islice(fin, limit))
        src = subset
    print(f"indexing {src} into {path} …", flush=True)
    report = index_documents([src], path, rebuild=True, progress=True)
    print(f"indexed {report.added} documents in {report.seconds:.0f} s "
          f"({report.added / report.seconds:.0f} docs/s, {report.chars / report.seconds / 1000:.0f}k chars/s); "
          "phases: " + ", ".join(f"{name} {sec:.0f} s" for name, sec in report.phases.items()))
    size = sum(p.stat().st_size for p in path.iterdir() if p.is_file())
    raw = _raw_bytes(src)
    print(f"index {size / 1e6:.1f} MB = {size / raw:.2f}× the articles' raw UTF-8 text ({raw / 1e6:.1f} MB: "
          "title, sapo and text, as bench/index_speed.py counts it)")
    return path


def _raw_bytes(src: Path) -> int:
    """UTF-8 bytes of the articles' title, sapo and text."""
    import gzip
    import json

    with gzip.open(src, "rb") as fh:
        return sum(len((r.get("title", "") + "\n" + r.get("sapo", "") + "\n" + r["text"]).encode("utf-8"))
                   for r in map(json.loads, fh))


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def pct(values, p):
    return float(np.percentile(values, p))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared")
    ap.add_argument("--limit", type=int, default=None, help="index only the first N articles")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-whoosh", action="store_true", help="skip the comparison with Whoosh's groupedby (~5 min at 84k)")
    args = ap.parse_args()
    shared = shared_dir(args.shared)
    if shared is None:
        print("skipped: ../shared (corpora/vntc.jsonl.gz) is not here; pass --shared DIR")
        return 0
    engine = SearchEngine(build(shared, args.limit))
    st = engine.state()
    searcher = st.searcher
    n_docs = int(st.alive.sum())
    mix = query_mix()
    facets = [sorting.FieldFacet(field, allow_overlap=True) for field in FACETS.values()]
    every = whoosh_query.Every()
    facade, grouped, plain, totals, counting, cold = [], [], [], [], [], []
    # The per-query timeline (part of every facade search above).  VNTC has no dates, so
    # it is also timed over made-up dates spread over 2003–2006: its cost when every hit is dated.
    rng = np.random.default_rng(0)
    made_up = (rng.integers(2003, 2007, len(st.dates)) * 10000 + rng.integers(1, 13, len(st.dates)) * 100
               + rng.integers(1, 29, len(st.dates)))
    timeline_real, timeline_dated = [], []
    for query, filters in mix:  # warm-up: caches, pyvi, OS page cache
        engine.search(query, filters, snippets=True)
    for query, filters in mix:
        runs_f, runs_g, runs_p, runs_c = [], [], [], []
        runs_cold = []
        for _ in range(args.runs):
            t = time.perf_counter()
            r = engine.search(query, filters, snippets=True)
            runs_f.append(time.perf_counter() - t)
            # The same with the generation's lead cache (search/leads.py) emptied first: a
            # query whose candidates no search of this generation has reranked yet.
            st.forget("leads")
            t = time.perf_counter()
            engine.search(query, filters, snippets=True)
            runs_cold.append(time.perf_counter() - t)
            t = time.perf_counter()
            engine.search(query, filters, snippets=False, facets=False)
            runs_c.append(time.perf_counter() - t)
            # Whoosh counting the very same hits: a search restricted to them, with and
            # without groupedby; the difference is what groupedby costs.
            if args.no_whoosh:
                runs_t = [0.0, 0.0]
                continue
            selected = np.zeros(len(st.dates), dtype=bool)
            selected[engine.matches(query, filters)] = True
            runs_t = [_timed(lambda: timeline(st.dates, selected)), _timed(lambda: timeline(made_up, selected))]
            hits = set(np.flatnonzero(selected).tolist())
            t = time.perf_counter()
            searcher.search(every, limit=10, filter=hits)
            runs_p.append(time.perf_counter() - t)
            t = time.perf_counter()
            searcher.search(every, limit=10, filter=hits, groupedby=facets)
            runs_g.append(time.perf_counter() - t)
        timeline_real.append(runs_t[0] * 1000)
        timeline_dated.append(runs_t[1] * 1000)
        facade.append(statistics.median(runs_f) * 1000)
        cold.append(statistics.median(runs_cold) * 1000)
        grouped.append(statistics.median(runs_g or [0]) * 1000)
        plain.append(statistics.median(runs_p or [0]) * 1000)
        # Our counting cost: the same search with and without the six facet counts.
        no_facets = statistics.median(runs_c) * 1000
        with_facets = statistics.median(
            [_timed(lambda: engine.search(query, filters, snippets=False)) for _ in range(args.runs)]) * 1000
        counting.append(max(with_facets - no_facets, 0.0))
        totals.append(r["total"])
    ours_count = counting
    whoosh_count = [max(g - p, 0.0) for g, p in zip(grouped, plain)]
    print(f"\n{n_docs} documents, {len(mix)} queries × {args.runs} runs (median per query), "
          f"hits per query: median {int(np.median(totals))}, max {max(totals)}")
    print(f"{'':38}{'p50 ms':>10}{'p95 ms':>10}")
    print(f"{'facade search + 6 facet counts':38}{pct(facade, 50):10.1f}{pct(facade, 95):10.1f}")
    print(f"{'  the same, lead cache emptied first':38}{pct(cold, 50):10.1f}{pct(cold, 95):10.1f}")
    if args.no_whoosh:
        print(f"target p95 ≤ 50 ms: {'met' if pct(facade, 95) <= 50 else 'NOT met'} (Whoosh's groupedby not run)")
        return 0
    print(f"{'Whoosh over the same hits, no facets':38}{pct(plain, 50):10.1f}{pct(plain, 95):10.1f}")
    print(f"{'Whoosh over the same hits + groupedby':38}{pct(grouped, 50):10.1f}{pct(grouped, 95):10.1f}")
    ratio = sum(whoosh_count) / max(sum(ours_count), 1e-9)
    print(f"facet counting (6 facets): ours {sum(ours_count) / len(mix):.2f} ms/query, "
          f"groupedby {sum(whoosh_count) / len(mix):.1f} ms/query → {ratio:.0f}× faster")
    print(f"timeline of the hits: p95 {pct(timeline_real, 95):.2f} ms (this corpus's dates), "
          f"{pct(timeline_dated, 95):.2f} ms if every article were dated; "
          f"{pct(timeline_dated, 95) / max(pct(facade, 95), 1e-9):.1%} of the facade's p95")
    print(f"target p95 ≤ 50 ms: {'met' if pct(facade, 95) <= 50 else 'NOT met'}; "
          f"target ≥ 10× faster counting: {'met' if ratio >= 10 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
