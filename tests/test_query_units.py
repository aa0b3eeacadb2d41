"""One query tokeniser (issue 9): the accent reader, the did-you-mean, the completions and
the query parser cut a query as the analysis pipeline cuts documents.  Each test is a case
where the old, separate splits differed from the documents' and the user saw it."""
from __future__ import annotations

import pytest

from index.analysis import syllables
from index.writer import index_documents
from search.engine import SearchEngine
from search.query import parse_query
from tests.conftest import write_jsonl

DOCS = [
    {"id": "ngansach", "title": "", "text": "Tỉnh dành 1.000 tỷ đồng cho giao thông nông thôn trong năm nay."},
    {"id": "mot", "title": "", "text": "Xã được hỗ trợ 1 tỷ đồng để làm đường giao thông."},
    {"id": "tn", "title": "", "text": "Năm 2017, công tác phòng chống tham nhũng có nhiều chuyển biến; xét xử nhiều vụ tham nhũng."},
    {"id": "tn2", "title": "", "text": "Kiểm tra tài sản cán bộ để ngăn chặn tham nhũng từ sớm."},
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("units")
    index_documents([write_jsonl(tmp / "d.jsonl", DOCS)], tmp / "ix", workers=1)
    return SearchEngine(tmp / "ix")


def hits(engine, query):
    return {h["id"] for h in engine.search(query, facets=False)["hits"]}


def test_an_unaccented_query_keeps_its_numbers_as_typed(engine):
    # The reader cut "1.000" into "1" and "000" and read it back as "1.0": the unaccented
    # query then missed the article its accented form finds.
    result = engine.search("1.000 ty dong", facets=False)
    assert result["reading"] == "1.000 tỷ đồng"
    assert {h["id"] for h in result["hits"]} == hits(engine, "1.000 tỷ đồng") == {"ngansach"}


def test_a_word_glued_to_a_number_gets_a_suggestion(engine):
    # Cut on spaces, "thamnhung2017" was one token, not a word, kept as typed: no suggestion.
    from search.suggest import suggest

    assert suggest("thamnhung2017", engine.state().searcher) == "tham nhũng 2017"
    assert engine.search("thamnhung2017")["suggestion"] == "tham nhũng 2017"


def test_glued_abbreviations_are_split_as_in_the_documents():
    # The query side had its own list of glued abbreviations: it split "ubndtw" (the
    # documents keep it whole) and left "KLTW" to the documents' rule.
    for typed in ("NQTW4", "nqtw4", "TW4", "KLTW", "QĐTW", "ubndtw", "tu4", "BCHTW"):
        assert parse_query(typed).syllables() == [s.text.lower() for s in syllables(typed)], typed
    assert [c[1].syllables for c in parse_query("NQTW4").concepts[:2]] == [["nghị", "quyết"], ["trung", "ương"]]
