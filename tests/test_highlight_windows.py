"""Snippets and highlights of long bodies read only windows around the query's candidates
(search/highlight.py ``_windows``): same marks as reading the whole body, at a fraction of
its cost."""
import time

from index.analysis import surface_syllables
from search.highlight import MatchTerms, match_spans, snippet
from search.query import parse_query

SENTENCE = "Chi bộ họp ngày 27/4, bàn NQTW4 và Chỉ thị 05-CT/TW; kinh tế - xã hội, quyết định.\n"


def terms(query: str) -> MatchTerms:
    return parse_query(query).match_terms()


def test_windows_mark_as_the_whole_body():
    # Far beyond the length read whole: windows begin and end between tokens, so dates,
    # codes, glued forms and punctuation read as in one sentence alone.
    body = SENTENCE * 400
    for query in ("chi bộ", "27/4", "TW 4", "05-CT/TW", "ct tw", "nghị quyết", "kinh tế xã hội",
                  "tế xã", "quyết định chi bộ", "4"):
        one = match_spans(SENTENCE, terms(query))
        expected = [(a + n * len(SENTENCE), b + n * len(SENTENCE)) for n in range(400) for a, b in one]
        assert match_spans(body, terms(query)) == expected, query


def test_snippet_of_a_huge_body_reads_a_bounded_part():
    # 2M characters: the snippet stops after the passages it can choose among, instead of
    # running the pipeline's syllables over the whole body (28 s for 1M on the loaded machine).
    body = "Mở đầu báo cáo tổng kết công tác năm. " * 4000 + SENTENCE * 20000
    whole = time.perf_counter()
    surface_syllables(body)
    whole = time.perf_counter() - whole
    took = time.perf_counter()
    out = str(snippet(body, terms("chi bộ")))
    took = time.perf_counter() - took
    assert "<mark>Chi bộ</mark> họp ngày 27/4" in out
    assert took < whole / 3, (took, whole)
