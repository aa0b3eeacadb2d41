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


def test_candidates_are_whole_tokens_yet_windows_miss_no_match():
    # The cheap pass looks for "nghị" as a run of letters of its own (not in "nghiệp"),
    # "4" as a run of digits (not in "2014", but in "04" and "TW04"), and an abbreviation
    # also inside a glued run ("NQTW"): the marks are those of the whole body.
    line = ("Doanh nghiệp nghiên cứu nghị quyết năm 2014, NQTW04 và NQ TW 4; "
            "chỉ thị 05-CT/TW ngày 4/5, ngành nghề 45 nghìn.\n")
    body = line * 300
    for query in ("nghị", "4", "5", "tw", "nq", "TW4", "4/5", "nghìn", "nghiên cứu nghị quyết"):
        one = match_spans(line, terms(query))
        assert one, query
        expected = [(a + n * len(line), b + n * len(line)) for n in range(300) for a, b in one]
        assert match_spans(body, terms(query)) == expected, query


def test_a_snippet_shows_the_first_passage_with_the_query_words_side_by_side():
    # "giá" and "vàng" apart early on, then "giá vàng" together: the reader is shown the
    # phrase, in its first passage, not the first place where both words occur apart.
    apart = "Giá xăng tăng mạnh trong tuần. Người dân đổ xô đi mua vàng miếng để tích trữ. "
    filler = "Thị trường chứng khoán giao dịch trầm lắng, thanh khoản thấp trong phiên sáng nay. " * 6
    together = "Chiều nay, giá vàng SJC tại Hà Nội tăng thêm 300.000 đồng mỗi lượng. "
    body = apart + filler + together + filler + together
    out = str(snippet(body, terms("giá vàng")))
    assert "<mark>giá vàng</mark> SJC" in out
    assert out.count("<mark>giá vàng</mark>") == 1 and "Giá xăng" not in out

