"""Search-page latency: the facade with facets, timeline and snippets, the same with the
near-duplicate collapse the page adds, and the whole page as served (``GET /?q=…`` through
the Flask app, facets, timeline SVG and HTML rendered; no socket), on an existing index;
plus the timeline alone (with the corpus's dates, and with made-up dates on every
article).  Medians of 5 runs per query of ``search_speed.py``'s query mix, all in one run,
so compare the lines with each other.  Issue 12's target: the page's p95 ≤ 50 ms at 84k.

    .venv/bin/python bench/page_speed.py INDEX_DIR
    (e.g. var/bench/vntc-20000-vi-4 after `make bench`, or an index of dantri.jsonl.gz: dated)
"""
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
from search_speed import query_mix  # noqa: E402

from search.engine import SearchEngine  # noqa: E402
from search.timeline import timeline  # noqa: E402
from web.app import create_app  # noqa: E402
from web.serving import engine_of  # noqa: E402


def page_url(query: str, filters: dict) -> str:
    """The search page's URL for a (query, filters) pair of the mix."""
    from urllib.parse import urlencode

    return "/?" + urlencode([("q", query)] + [(name, v) for name, values in filters.items() for v in values])


def main() -> int:
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_dir():
        print(__doc__)
        return 2
    e = SearchEngine(sys.argv[1])
    st = e.state()
    print("documents", int(st.alive.sum()), "dated", int((st.dates >= 10000101).sum()))
    rng = np.random.default_rng(0)
    n = len(st.dates)
    made_up = rng.integers(2003, 2007, n) * 10000 + rng.integers(1, 13, n) * 100 + rng.integers(1, 29, n)
    mix = query_mix()
    app = create_app({"INDEX_DIR": sys.argv[1]})
    client = app.test_client()
    for q, f in mix:
        e.search(q, f, snippets=True, collapse=True)
        response = client.get(page_url(q, f))
        assert response.status_code == 200, (q, f, response.status_code)
    plain, page, served, cold, tl_real, tl_dated = [], [], [], [], [], []

    def served_cold(url: str) -> float:
        """The page with the site's lead cache emptied first (search/leads.py): as for a
        query whose candidates no search of this generation has reranked yet."""
        engine_of(app).state().forget("leads")
        return t(lambda: client.get(url).data)

    def t(fn):
        a = time.perf_counter()
        fn()
        return (time.perf_counter() - a) * 1000

    for q, f in mix:
        sel = np.zeros(n, dtype=bool)
        sel[e.matches(q, f)] = True
        r1, r2, r3, r4, r5, r6 = [], [], [], [], [], []
        url = page_url(q, f)
        for _ in range(5):
            r1.append(t(lambda: e.search(q, f, snippets=True)))
            r2.append(t(lambda: e.search(q, f, snippets=True, collapse=True)))
            r5.append(t(lambda: client.get(url).data))
            r6.append(served_cold(url))
            r3.append(t(lambda: timeline(st.dates, sel)))
            r4.append(t(lambda: timeline(made_up, sel)))
        plain.append(statistics.median(r1))
        page.append(statistics.median(r2))
        served.append(statistics.median(r5))
        cold.append(statistics.median(r6))
        tl_real.append(statistics.median(r3))
        tl_dated.append(statistics.median(r4))

    def p(v, q):
        return float(np.percentile(v, q))

    print(f"{len(mix)} queries x 5 runs (median per query)")
    print(f"facade search + facets + timeline + snippets: p50 {p(plain, 50):.1f} p95 {p(plain, 95):.1f} ms")
    print(f"same + near-duplicate collapse (the page):    p50 {p(page, 50):.1f} p95 {p(page, 95):.1f} ms")
    print(f"the search page as served (GET /, HTML):      p50 {p(served, 50):.1f} p95 {p(served, 95):.1f} ms "
          f"(target p95 ≤ 50 ms: {'met' if p(served, 95) <= 50 else 'NOT met'})")
    print(f"  the same, lead cache emptied first:         p50 {p(cold, 50):.1f} p95 {p(cold, 95):.1f} ms")
    print(f"timeline alone, this corpus's dates:          p50 {p(tl_real, 50):.2f} p95 {p(tl_real, 95):.2f} ms")
    print(f"timeline alone, every article dated:          p50 {p(tl_dated, 50):.2f} p95 {p(tl_dated, 95):.2f} ms "
          f"({p(tl_dated, 95) / p(plain, 95):.1%} of the search p95)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
