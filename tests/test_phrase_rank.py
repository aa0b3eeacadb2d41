"""A short query is ranked as the phrase the user has in mind: articles holding its words side
by side come before articles holding them apart, however often (issue 9, typed phrases)."""
from __future__ import annotations

import pytest

from index.writer import index_documents
from search.engine import SearchEngine
from tests.conftest import write_jsonl

DOCS = [
    {"id": "apart", "title": "", "text": (
        "Ủy ban xã đã kiểm tra hồ sơ; ủy ban huyện kiểm tra lại, ủy ban tỉnh tiếp tục kiểm tra "
        "các khoản chi. Ủy ban nhân dân cũng kiểm tra việc cấp phép.")},
    {"id": "phrase", "title": "", "text": "Ủy ban Kiểm tra Tỉnh ủy họp xem xét, thi hành kỷ luật một đảng viên."},
    {"id": "long", "title": "", "text": (
        "Báo cáo tổng kết công tác năm của huyện. " * 20 + "Ủy ban Kiểm tra Huyện ủy đã họp."
        + " Các nội dung khác về kinh tế được bàn thảo." * 20)},
    {"id": "comma", "title": "", "text": "Chủ tịch ủy ban, kiểm tra viên và cán bộ xã cùng dự họp bàn về ngân sách."},
    {"id": "xk1", "title": "", "text": "Người lao động đi xuất khẩu lao động sang Nhật Bản tăng mạnh trong năm."},
    {"id": "xk2", "title": "", "text": (
        "Kim ngạch xuất khẩu tăng; doanh nghiệp xuất khẩu cần thêm lao động, thiếu lao động "
        "có tay nghề nên xuất khẩu chậm lại.")},
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("phrase_rank")
    index_documents([write_jsonl(tmp / "d.jsonl", DOCS)], tmp / "ix", workers=1)
    return SearchEngine(tmp / "ix")


def ids(engine, query):
    return [h["id"] for h in engine.search(query, facets=False)["hits"]]


@pytest.mark.parametrize("query", ["ủy ban kiểm tra", "uy ban kiem tra", "Uỷ ban Kiểm tra"])
def test_the_words_side_by_side_rank_first(engine, query):
    found = ids(engine, query)
    assert found[0] == "phrase", found
    # A long report naming the committee once still comes before articles that only hold
    # its words apart, however often; those still match, only lower.
    assert found.index("long") < found.index("apart"), found
    assert found.index("long") < found.index("comma"), found


@pytest.mark.parametrize("query", ["xuất khẩu lao động", "xuat khau lao dong"])
def test_a_phrase_rarer_than_its_words_ranks_first(engine, query):
    assert ids(engine, query)[0] == "xk1"


def test_side_by_side_across_a_comma_is_not_a_phrase(engine):
    found = ids(engine, "ủy ban kiểm tra")
    assert found.index("phrase") < found.index("comma")
