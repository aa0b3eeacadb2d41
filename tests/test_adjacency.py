"""Adjacency, dates and glued forms, through the real indexer and the search facade (issue 9)."""
from __future__ import annotations

import html
import re

import pytest

from index.analysis import adjacent_pairs, folded_bigram_analyzer, run_breaks, segment
from index.normalize import fold_diacritics
from index.writer import index_documents
from tests.conftest import write_jsonl

ARTICLES = {
    # "nghị" and "quyết" side by side only across a comma.
    "comma": "Cử tri có nhiều kiến nghị, quyết định của tỉnh về đất đai được dư luận quan tâm.",
    "phrase": "Chi bộ học tập nghị quyết của Đảng về công tác cán bộ.",
    # "Trung ương" and a 4 that is only ever a day, a month or in a date.
    "daymonth": "Sáng 27/4, Tỉnh ủy quán triệt nghị quyết Trung ương về phòng, chống tham nhũng.",
    "monthyear": "Tháng 4/2017, các cấp ủy thực hiện nghị quyết Trung ương về kinh tế tập thể.",
    "fulldate": "Ngày 04/04/2017, Ban Thường vụ bàn việc thực hiện nghị quyết Trung ương về nông nghiệp.",
    "plenum": "Các chi bộ học tập Nghị quyết Trung ương 4 khóa XII về xây dựng, chỉnh đốn Đảng.",
    # Glued abbreviations, with a space and without.
    "spaced": "Tỉnh ủy sơ kết 5 năm thực hiện NQ TW4 khóa XII tại hội trường tỉnh.",
    "glued": "Huyện ủy kiểm điểm việc thực hiện NQTW4 khóa XII trong toàn Đảng bộ.",
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("adjacency")
    records = [{"id": k, "title": f"Tin {k}", "text": v} for k, v in ARTICLES.items()]
    index_documents([write_jsonl(tmp / "a.jsonl", records)], tmp / "index", workers=1)
    from search.engine import engine_for

    return engine_for(tmp / "index")


def found(engine, query: str) -> set[str]:
    return {h["id"] for h in engine.search(query, size=50)["hits"]}


def marked(html_text: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", html_text)]


# Unquoted and unaccented, "nghi quyet" is two loose syllables until the query side reads it
# as the word the user meant (issue 9, query side).
@pytest.mark.parametrize("query", ['"nghị quyết"', '"nghi quyet"', "nghị quyết"])
def test_a_comma_breaks_a_phrase(engine, query):
    hits = found(engine, query)
    assert "phrase" in hits
    assert "comma" not in hits


def test_a_phrase_typed_across_a_comma_still_finds_the_text_with_the_comma(engine):
    assert found(engine, '"kiến nghị, quyết định"') == {"comma"}


def test_the_article_page_does_not_highlight_across_a_comma(engine):
    page = engine.document("comma", '"nghị quyết"')
    assert not any(fold_diacritics(m.lower()) == "nghi, quyet" for m in marked(page["body_html"]))
    assert "nghị, quyết" in html.unescape(page["body_html"])
    assert marked(engine.document("phrase", '"nghị quyết"')["body_html"]) == ["nghị quyết"]


@pytest.mark.parametrize("query", ["nghị quyết trung ương 4", '"nghi quyet trung uong" 4', '"nghị quyết trung ương" 4'])
def test_a_date_does_not_match_a_plenum_number(engine, query):
    hits = found(engine, query)
    assert "plenum" in hits
    assert not hits & {"daymonth", "monthyear", "fulldate"}, hits


def test_dates_are_searchable_as_dates(engine):
    assert found(engine, "27/4") == {"daymonth"}
    assert found(engine, "4/2017") == {"monthyear", "fulldate"}
    assert found(engine, "4/4/2017") == {"fulldate"}
    assert "fulldate" in found(engine, "2017")


def test_a_highlight_never_marks_the_number_inside_a_date(engine):
    page = engine.document("daymonth", "nghị quyết trung ương 4")
    assert "4" not in "".join(marked(page["body_html"]))
    assert any("trung uong" in fold_diacritics(m.lower()) for m in marked(page["body_html"]))


@pytest.mark.parametrize("query", ["TW4", "TW 4", "tw4", "NQ TW4", "NQTW4", "nqtw4", "NQ TW 4"])
def test_glued_forms_are_found_however_they_are_typed(engine, query):
    assert {"spaced", "glued"} <= found(engine, query)


def test_a_glued_form_is_highlighted_by_its_parts(engine):
    assert marked(engine.document("glued", "TW4")["body_html"]) == ["TW4"]


def test_document_and_query_pairs_follow_one_rule():
    text = "Kiến nghị, quyết định (NQTW4) ngày 27/4: kinh tế - xã hội."
    words = segment(text)
    sylls = [fold_diacritics(s.text.lower()) for w in words for s in w.syllables]
    expected = [f"{a}_{b}" for a, b in adjacent_pairs(sylls, run_breaks(words))]
    assert [t.text for t in folded_bigram_analyzer()(text)] == expected
    assert "nghi_quyet" not in expected and "kinh_te" in expected and "te_xa" in expected
    assert "27/4" in sylls and "4" in sylls  # the 4 of TW4, not of the date
