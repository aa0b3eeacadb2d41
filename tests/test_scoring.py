"""Matching and ranking rules a reader notices (NumPy BM25F over the Whoosh postings)."""
from __future__ import annotations

import pytest

from index.writer import index_documents
from search.engine import SearchEngine
from tests.conftest import write_jsonl

DOCS = [
    {"id": "ubnd", "title": "Ủy ban nhân dân tỉnh họp phiên thường kỳ",
     "text": "Ủy ban nhân dân tỉnh Long An họp phiên thường kỳ tháng 5 để bàn về kinh tế."},
    {"id": "rai-rac", "title": "Tin vắn trong ngày",
     "text": "Ông Ban về quê. Dân làng đón. Nhân dịp này, ủy viên phát biểu."},
    {"id": "chi-bo", "title": "Đổi mới sinh hoạt chi bộ",
     "text": "Nâng cao chất lượng sinh hoạt chi bộ là nhiệm vụ trọng tâm của các cấp ủy."},
    {"id": "chi-bo-2", "title": "Chi bộ khu phố sinh hoạt định kỳ",
     "text": "Chi bộ khu phố 3 sinh hoạt định kỳ; bộ phận văn phòng chi trả kinh phí."},
    {"id": "hoi-nghi", "title": "Hội nghị Ban Chấp hành Đảng bộ tỉnh",
     "text": "Hội nghị bàn về công tác xây dựng Đảng và hệ thống chính trị trong sạch, vững mạnh."},
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scoring")
    index_documents([write_jsonl(tmp / "d.jsonl", DOCS)], tmp / "ix", workers=1)
    return SearchEngine(tmp / "ix")


def ranked(engine, query, **kw):
    return [h["id"] for h in engine.search(query, **kw)["hits"]]


def test_words_typed_without_accents_match_as_words_first(engine):
    hits = ranked(engine, "uy ban nhan dan")
    assert hits[0] == "ubnd"
    # The scattered syllables of the other article do not outrank the real word.
    assert "rai-rac" not in hits[:1]


def test_a_phrase_needs_its_syllables_side_by_side(engine):
    assert ranked(engine, '"sinh hoạt chi bộ"') == ["chi-bo"]
    assert set(ranked(engine, "sinh hoạt chi bộ")) >= {"chi-bo", "chi-bo-2"}


def test_abbreviations_find_their_expansion(engine):
    assert ranked(engine, "UBND tỉnh")[0] == "ubnd"
    assert "hoi-nghi" in ranked(engine, "BCH đảng bộ")


def test_a_long_question_does_not_collapse_to_nothing(engine):
    result = engine.search("các cấp ủy cần làm gì để nâng cao chất lượng sinh hoạt chi bộ hiện nay")
    assert result["hits"] and result["hits"][0]["id"] == "chi-bo"


def test_pages_of_tied_scores_never_overlap(engine):
    pages = [ranked(engine, "tỉnh OR chi bộ OR hội nghị", size=1, page=p) for p in range(1, 6)]
    flat = [x for p in pages for x in p]
    assert len(flat) == len(set(flat))


@pytest.mark.parametrize("part", ["title", "body"])
def test_folded_postings_read_from_the_accented_syllables_are_a_folded_fields(sample_index, part):
    """The index holds no folded syllable field: a folded term's postings are summed from
    every accented syllable that folds to it.  For every folded term of the sample's titles
    and bodies they equal the counts of the folded analyzer run over each article's stored
    text, and the field lengths (BM25's normalisation) are the count of its folded terms."""
    from collections import Counter

    import numpy as np
    from whoosh import index as whoosh_index
    from whoosh.util.numeric import byte_to_length, length_to_byte

    from index.analysis import folded_analyzer
    from index.schema import INDEX_NAME
    from search.scoring import PostingsCache

    ix = whoosh_index.open_dir(str(sample_index), indexname=INDEX_NAME)
    assert part + "_f" not in ix.schema.names() and part + "_s" in ix.schema.names()
    with ix.searcher() as s:
        cache = PostingsCache(s.reader())
        cache.warm()
        want: dict[str, dict[int, int]] = {}
        for docnum, fields in enumerate(s.reader().all_stored_fields()):
            counts = Counter(t.text for t in folded_analyzer()(fields[part]))
            for term, n in counts.items():
                want.setdefault(term, {})[docnum] = n
            # Whoosh keeps a length as one byte: the folded field's, as it would have stored it.
            assert cache.lengths(part + "_f")[docnum] == byte_to_length(length_to_byte(sum(counts.values()))) > 0
        assert len(want) > (300 if part == "body" else 20)
        assert any(len(cache.accented(part + "_s").get(t, ())) >= 2 for t in want)
        for term, docs in want.items():
            got_docs, got_tfs = cache.postings(part + "_f", term)
            assert dict(zip(got_docs.tolist(), got_tfs.astype(int).tolist())) == docs, term
        assert np.array_equal(cache.postings(part + "_f", "khong-co-tu-nay")[0], [])
    ix.close()


def test_equal_hits_rank_by_id_whatever_order_the_articles_were_written_in(tmp_path):
    """Hits that score alike are ordered by article id, not by document number (the order
    the indexing workers happened to write them in): two builds of one corpus give the same
    pages, for relevance and for date order."""
    docs = [{"id": f"tin-{i:02d}", "title": "Giá vàng hôm nay", "date": "2024-05-01",
             "text": "Giá vàng trong nước biến động mạnh trong phiên sáng nay."} for i in range(30)]
    pages = []
    for name, order in (("forward", docs), ("backward", docs[::-1])):
        index_documents([write_jsonl(tmp_path / f"{name}.jsonl", order)], tmp_path / name, workers=1)
        engine = SearchEngine(tmp_path / name)
        pages.append([[h["id"] for h in engine.search("giá vàng", size=10, page=p)["hits"]] for p in (1, 2, 3)]
                     + [[h["id"] for h in engine.search("giá vàng", size=10, sort="date")["hits"]]])
    forward, backward = pages
    assert forward == backward
    assert sum(forward[:3], []) == sorted(d["id"] for d in docs)
