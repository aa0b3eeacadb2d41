"""Searching the bundled sample as a Vietnamese reader would (issue: core engine)."""
from __future__ import annotations

import html
import re

import pytest

from index.analysis import segment
from index.normalize import normalize_text

ALL_FIVE = 5


def ids(result) -> set[str]:
    return {h["id"] for h in result["hits"]}


def prefix(result) -> list[str]:
    return [h["id"][:3] for h in result["hits"]]


@pytest.mark.parametrize("query", ["nghị quyết trung ương 4", "Nghị quyết Trung ương 4", "nghi quyet trung uong 4",
                                   "NGHỊ QUYẾT TRUNG ƯƠNG 4"])
def test_resolution_query_finds_all_five_articles_with_or_without_accents(sample_engine, query):
    result = sample_engine.search(query, size=10)
    assert result["total"] == ALL_FIVE
    assert len(result["hits"]) == ALL_FIVE


@pytest.mark.parametrize("old, new", [("khoá XII", "khóa XII"), ("uỷ ban", "ủy ban"), ("cấp uỷ", "cấp ủy"),
                                      ("tự chuyển hoá", "tự chuyển hóa")])
def test_old_and_new_tone_mark_styles_return_the_same_articles(sample_engine, old, new):
    a, b = sample_engine.search(old), sample_engine.search(new)
    assert a["total"] > 0
    assert ids(a) == ids(b)


def test_quoted_phrase_finds_exactly_the_articles_containing_it(sample_engine, sample_dir):
    containing = {p.stem for p in sample_dir.glob("*.txt")
                  if "sinh hoạt chi bộ" in normalize_text(p.read_text(encoding="utf-8")).lower()}
    assert containing, "the sample must hold the phrase for this test to mean anything"
    result = sample_engine.search('"sinh hoạt chi bộ"', size=10)
    assert ids(result) == containing
    # Without quotes the syllables may be anywhere: at least as many articles.
    assert sample_engine.search("sinh hoạt chi bộ", size=10)["total"] >= len(containing)


def test_document_code_finds_the_articles_citing_it(sample_engine, sample_dir):
    citing = {p.stem for p in sample_dir.glob("*.txt") if "05-CT/TW" in p.read_text(encoding="utf-8")}
    result = sample_engine.search("05-CT/TW", size=10)
    assert citing <= ids(result)
    assert all("05-CT/TW" in html.unescape(re.sub("</?mark>", "", h["snippet"])) for h in result["hits"][:len(citing)])


def test_province_name_ranks_its_article_first(sample_engine):
    result = sample_engine.search("Long An")
    assert prefix(result)[0] == "004"
    result = sample_engine.search("long an")
    assert prefix(result)[0] == "004"


def test_exclusion_and_or(sample_engine):
    everything = ids(sample_engine.search("nghị quyết"))
    without = ids(sample_engine.search("nghị quyết -\"Long An\""))
    assert without == everything - {"004_c84e101a906d71df"}
    either = sample_engine.search("Đồng Tháp OR \"Lâm Đồng\"", size=10)
    assert {i[:3] for i in ids(either)} >= {"000", "001"}


def test_accented_query_ranks_exact_accent_matches_above_folded_ones(tmp_path):
    from index.writer import index_documents
    from search.engine import SearchEngine
    from tests.conftest import write_jsonl

    src = write_jsonl(tmp_path / "docs.jsonl", [
        {"id": "folded", "title": "Bài về cây cỏ", "text": "Người dân trồng cỏ và cơ giới hóa ở nông thôn."},
        {"id": "exact", "title": "Bài về tổ chức cơ sở", "text": "Tổ chức cơ sở đảng ở nông thôn được củng cố."},
        {"id": "other", "title": "Một bài khác", "text": "Nông thôn mới phát triển."},
    ])
    index_documents([src], tmp_path / "ix", workers=1)
    engine = SearchEngine(tmp_path / "ix")
    result = engine.search("cơ sở")
    assert [h["id"] for h in result["hits"]][0] == "exact"
    # Typed without accents, both match.
    assert {"exact"} <= {h["id"] for h in engine.search("co so")["hits"]}


def test_snippet_marks_the_exact_original_characters(sample_engine, sample_dir):
    for query in ["nghị quyết trung ương 4", "nghi quyet", "khoá XII", "Chỉ thị 05-CT/TW", "Long An"]:
        result = sample_engine.search(query, size=5)
        assert result["hits"]
        for hit in result["hits"]:
            marked = re.findall(r"<mark>(.*?)</mark>", hit["snippet"])
            assert marked, (query, hit["id"])
            doc = sample_engine.document(hit["id"])
            for m in marked:
                assert html.unescape(m) in doc["body"] or html.unescape(m) in doc["title"]


def test_highlight_offsets_point_into_the_original_text_even_for_nfd_and_zero_width():
    import unicodedata

    from search.highlight import MatchTerms, match_spans

    original = unicodedata.normalize("NFD", "Thực hiện Nghị quyết Trung ương 4 (khoá XII) ở Cần\u200bThơ")
    terms = MatchTerms()
    terms.add(["khóa"])
    terms.add(["nghị", "quyết"])
    spans = match_spans(original, terms)
    texts = [unicodedata.normalize("NFC", original[a:b]) for a, b in spans]
    assert texts == ["Nghị quyết", "khoá"]


def test_segmentation_keeps_codes_and_dates_whole_with_offsets():
    text = "Chỉ thị 05-CT/TW ngày 04/06/2021 và Kết luận 21-KL/TW"
    words = segment(text)
    by_text = {w.text: text[w.start:w.end] for w in words}
    assert by_text["05-CT/TW"] == "05-CT/TW"
    assert by_text["4/6/2021"] == "04/06/2021"
    assert by_text["21-KL/TW"] == "21-KL/TW"
    assert by_text["Chỉ_thị"] == "Chỉ thị"


def test_empty_query_with_filter_browses_newest_first(sample_engine):
    result = sample_engine.search("", {"term": ["XII"]}, sort="date")
    dates = [h["date"] for h in result["hits"]]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)
    assert dates[-1] is None or all(dates)  # undated last


def test_pages_partition_the_results(sample_engine):
    first = sample_engine.search("nghị quyết", size=2, page=1)
    second = sample_engine.search("nghị quyết", size=2, page=2)
    third = sample_engine.search("nghị quyết", size=2, page=3)
    assert first["pages"] == 3
    got = [h["id"] for r in (first, second, third) for h in r["hits"]]
    assert len(got) == len(set(got)) == first["total"]


def test_a_snippet_never_starts_inside_a_word():
    from search.highlight import MatchTerms, snippet

    terms = MatchTerms()
    terms.add(["nghị", "quyết"])
    text = "Toàn cảnh hội nghị (Ảnh: dongthap.gov.vn)\nToàn cảnh hội nghị " + "và " * 80 + "Nghị quyết mới."
    for width in (60, 100, 140):
        out = str(snippet(text, terms, width=width))
        first = out.removeprefix("… ").split()[0]
        assert first in text.split(), (width, out[:40])
        assert "<mark>Nghị quyết</mark>" in out


def test_an_exclusion_alone_lists_the_articles_without_the_word(sample_engine):
    result = sample_engine.search('-"Long An"', size=10)
    assert result["total"] == 4
    assert "004_c84e101a906d71df" not in ids(result)


@pytest.mark.parametrize("junk", ['"', "(((", "OR", "😀", "\u0301", '""', "- -"])
def test_a_query_without_any_word_finds_nothing_and_says_why(sample_engine, junk):
    result = sample_engine.search(junk)
    assert result["total"] == 0 and result["hits"] == []
    assert result["warnings"]
