"""Dates typed in a query (issue 9): "tháng 4 năm 2017", "27/4" and "ngày 27 tháng 4" find the
articles that write the date either way (documents index "27/4/2017" as the units 27/4,
4/2017 and 2017, and a spelled-out date as its syllables)."""
from __future__ import annotations

import pytest

from index.writer import index_documents
from search.engine import SearchEngine
from tests.conftest import write_jsonl

DOCS = [
    {"id": "so", "title": "", "text": "Ngày 27/4/2017, Tỉnh ủy tổ chức hội nghị sơ kết công tác cán bộ."},
    {"id": "thang", "title": "", "text": "Trong tháng 4/2017, huyện trồng mới 200 ha rừng phòng hộ."},
    {"id": "chu", "title": "", "text": "Ngày 27 tháng 4 năm 2017, Ban Thường vụ họp bàn công tác cán bộ."},
    {"id": "khac", "title": "", "text": "Ngày 27/4/2018, hội chợ nông sản khai mạc tại trung tâm tỉnh."},
    {"id": "tw4", "title": "", "text": "Nghị quyết Trung ương 4 được quán triệt ngày 15/10/2016 tại hội trường tỉnh."},
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dates")
    index_documents([write_jsonl(tmp / "d.jsonl", DOCS)], tmp / "ix", workers=1)
    return SearchEngine(tmp / "ix")


def hits(engine, query):
    return {h["id"] for h in engine.search(query, facets=False)["hits"]}


def test_a_month_and_year_typed_any_way_finds_both_ways_of_writing_it(engine):
    for query in ("tháng 4 năm 2017", "thang 4 nam 2017", "4/2017", "tháng 4/2017"):
        assert hits(engine, query) == {"so", "thang", "chu"}, query


def test_a_day_and_month_typed_any_way_finds_both_ways_of_writing_it(engine):
    for query in ("27/4", "ngày 27/4", "ngày 27 tháng 4", "ngay 27 thang 4"):
        assert hits(engine, query) == {"so", "chu", "khac"}, query
    for query in ("27/4/2017", "ngày 27 tháng 4 năm 2017"):
        assert hits(engine, query) == {"so", "chu"}, query


def test_a_date_in_a_query_is_marked_in_the_article_as_written(engine):
    doc = engine.document("chu", query="27/4/2017")
    assert "<mark>27 tháng 4 năm 2017</mark>" in doc["body_html"]


def test_a_plenum_number_before_a_month_stays_a_plenum(engine):
    got = engine.search("nghị quyết trung ương 4 tháng 10 năm 2016", facets=False)["hits"]
    assert [h["id"] for h in got] == ["tw4"]
