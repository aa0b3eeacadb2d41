"""Headlines and questions typed whole (issue 9, known-item search): a place or a term named
in a long query is one of its details, not a filter that outranks the article sought.  Short
Vietnamese fixtures, real pyvi and Whoosh."""
from __future__ import annotations

import pytest

from index.writer import index_documents
from search.engine import SearchEngine
from tests.conftest import write_jsonl

DOCS = [
    # The article a reader remembers by its headline "Hà Nội sẽ có 2 bến xe khách mới": it
    # speaks of "Thủ đô", so it is tagged with no province.
    {"id": "benxe", "title": "", "text": "Thủ đô sẽ có 2 bến xe khách mới ở phía nam và phía tây, "
                                         "giảm tải cho bến xe Giáp Bát."},
    {"id": "hn-park", "title": "", "text": "Sáng 5/6, UBND TP Hà Nội khánh thành công viên mới ở quận Hoàng Mai."},
    {"id": "hn-school", "title": "", "text": "Hà Nội sẽ có 2 trường học mới. UBND thành phố Hà Nội "
                                            "vừa phê duyệt dự án ở huyện Đông Anh."},
    {"id": "la", "title": "", "text": "Tỉnh ủy Long An họp bàn về phòng chống tham nhũng."},
    {"id": "la2", "title": "", "text": "UBND tỉnh Long An cho biết người dân thu hoạch thanh long."},
    {"id": "qh", "title": "", "text": "Kỳ họp thứ 8 Quốc hội khóa XI dự kiến khai mạc ngày 18/10 tại Hà Nội."},
    {"id": "tw", "title": "", "text": "Học tập Nghị quyết Trung ương 4 khóa XI về xây dựng Đảng, kỳ họp chi bộ thứ 8."},
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("long")
    index_documents([write_jsonl(tmp / "d.jsonl", DOCS)], tmp / "ix", workers=1)
    return SearchEngine(tmp / "ix")


def ids(engine, query):
    return [h["id"] for h in engine.search(query, facets=False)["hits"]]


def test_a_headline_naming_a_place_finds_the_article_before_others_tagged_with_the_place(engine):
    got = ids(engine, "Hà Nội sẽ có 2 bến xe khách mới")
    assert got[0] == "benxe"  # it holds every word but the place's name
    assert {"hn-park", "hn-school"} <= set(got)  # tagged with the place, found still


def test_a_query_about_a_place_still_selects_its_articles(engine):
    assert set(ids(engine, "Long An")) == {"la", "la2"}
    assert ids(engine, "tham nhũng Long An") == ["la"]


def test_the_national_assemblys_term_is_not_a_party_term_in_a_query(engine):
    got = ids(engine, "kỳ họp thứ 8 Quốc hội khóa 11 khai mạc")
    assert got[0] == "qh"  # not the Party article tagged with term XI
