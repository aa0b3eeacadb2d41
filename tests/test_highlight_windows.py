"""Snippets and highlights of long bodies read only windows around the query's candidates
(search/highlight.py ``_windows``): same marks as reading the whole body, at a fraction of
its cost."""
import re
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



def test_names_in_other_scripts_are_found_by_the_windows_too():
    # The cheap pass's classes cover every letter that folds to the typed one, in both
    # cases: "munchen" finds "München" and "MÜNCHEN", "москва" finds "МОСКВА".
    filler = "Đoàn công tác của tỉnh làm việc với các đối tác nước ngoài về hợp tác đầu tư. " * 12
    body = filler + "Đoàn đến München và MÜNCHEN, rồi МОСКВА, Ñandú. " + filler
    assert len(body) > 1500
    for query, marked in (("munchen", ["München", "MÜNCHEN"]), ("München", ["München", "MÜNCHEN"]),
                          ("москва", ["МОСКВА"]), ("nandu", ["Ñandú"])):
        spans = match_spans(body, terms(query))
        assert [body[a:b] for a, b in spans] == marked, query
        assert "<mark>" in str(snippet(body, terms(query))), query


def test_a_snippet_read_in_part_is_the_one_a_whole_reading_gives():
    # The snippet stops reading once a passage holds every query word side by side; the
    # passage it shows, and every mark in it, are those of reading the whole body.  The
    # words apart fill the first window, then come a quiet stretch, a lone word, the words
    # side by side and more of them: shifted a few characters at a time, the passage begins
    # where one window ends and the next holds some of its marks.
    from search.highlight import _best_passage, _scan

    def filler(k: int) -> str:
        return f"Thị trường trầm lắng trong phiên giao dịch thứ {k} sáng nay. "

    t = terms("giá vàng")
    weight = {seq: len(" ".join(seq)) for seq in t.sequences}
    checked = 0
    for lead in range(3, 6):
        for quiet in range(2, 8):
            for shift in range(14):
                body = ("".join("giá " + filler(2 * k) + "vàng " + filler(2 * k + 1) for k in range(lead))
                        + "".join(filler(50 + k) for k in range(quiet)) + "rất " * shift + "vàng " + filler(60)
                        + "Giá vàng tăng. " + filler(61) + filler(62) + "giá giá " + filler(63) + filler(64))
                first, _ = _best_passage(body, sorted(set(_scan(body, t))), weight, 260)
                out = str(snippet(body, t))
                # The passage begins at (or just before) the whole reading's best one ...
                plain = out.replace("<mark>", "").replace("</mark>", "").removeprefix("… ").removesuffix(" …")
                start = body.find(plain)
                end = start + len(plain)
                assert 0 <= start <= first < end, (lead, quiet, shift)
                # ... and marks what the whole body's marks are there.
                want = "".join(f"<mark>{body[max(a, start):min(b, end)]}</mark>" for a, b in match_spans(body, t)
                               if a < end and b > start)
                assert "".join(re.findall(r"<mark>.*?</mark>", out)) == want, (lead, quiet, shift)
                checked += 1
    assert checked == 252
