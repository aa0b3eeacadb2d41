"""Search as users type it (issue 9, query side): accents or not, long queries, queries
naming Party documents, did-you-mean — on a short Vietnamese corpus, real pyvi and Whoosh."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from index.normalize import fold_diacritics
from index.writer import index_documents
from search.engine import SearchEngine
from tests.conftest import write_jsonl

DOCS = [
    {"id": "tn1", "title": "", "text": "Tỉnh ủy chỉ đạo đẩy mạnh phòng chống tham nhũng, tiêu cực trong cơ quan nhà nước."},
    {"id": "tn2", "title": "", "text": "Xét xử vụ án tham nhũng lớn; công tác phòng chống tham nhũng có nhiều chuyển biến."},
    {"id": "tn3", "title": "", "text": "Kiểm tra tài sản cán bộ để ngăn chặn tham nhũng từ sớm."},
    {"id": "tham", "title": "", "text": "Lặng thầm những chiến công của người lính biên phòng nơi đảo xa."},
    {"id": "dang1", "title": "", "text": "Hội nghị bàn về công tác xây dựng Đảng và hệ thống chính trị trong sạch."},
    {"id": "dang2", "title": "", "text": "Đẩy mạnh xây dựng Đảng về đạo đức, chỉnh đốn Đảng trong tình hình mới."},
    {"id": "dang3", "title": "", "text": "Nhiều công trình xây dựng đang thi công trên địa bàn huyện; đang chậm tiến độ."},
    {"id": "tw4", "title": "", "text": "Học tập Nghị quyết Trung ương 4 khóa XII về tăng cường xây dựng, chỉnh đốn Đảng."},
    {"id": "tw4b", "title": "", "text": "Chi bộ sinh hoạt chuyên đề theo NQ TW4 (khóa XII) ngày 27/4/2018."},
    {"id": "ngay", "title": "", "text": "Ngày 27/4, nghị quyết của hội đồng nhân dân tỉnh về trung tâm y tế được thông qua, khóa họp thứ 12."},
    {"id": "iphone", "title": "", "text": "Hướng dẫn bẻ khóa iPhone 12 và cài đặt ứng dụng."},
    {"id": "ct05", "title": "", "text": "Sơ kết 5 năm thực hiện Chỉ thị 05-CT/TW của Bộ Chính trị về học tập và làm theo tư tưởng Hồ Chí Minh."},
    {"id": "longan", "title": "", "text": "Thường trực Tỉnh ủy Long An làm việc với huyện Đức Hòa về phòng chống tham nhũng."},
    {"id": "uong", "title": "", "text": "Người dân được khuyến cáo uống nước sạch; ban chấp hành trung ương họp."},
    {"id": "dau", "title": "", "text": "Nông dân trồng đậu và ngô, nhưng dầu ăn tăng giá."},
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("typing")
    index_documents([write_jsonl(tmp / "d.jsonl", DOCS)], tmp / "ix", workers=1)
    return SearchEngine(tmp / "ix")


def ids(engine, query, **kw):
    return [h["id"] for h in engine.search(query, facets=False, **kw)["hits"]]


# -- one match semantics whatever the typing ---------------------------------------------------
def test_an_unaccented_query_selects_the_same_articles_as_its_accented_form(engine):
    for accented in ("tham nhũng", "xây dựng Đảng", "học tập và làm theo"):
        typed = engine.search(fold_diacritics(accented).lower(), facets=False)
        assert set(ids(engine, accented)) == {h["id"] for h in typed["hits"]}, accented


def test_an_unaccented_query_is_read_from_the_index_statistics(engine):
    result = engine.search("tham nhung", facets=False)
    assert result["reading"] == "tham nhũng"
    assert "tham" not in [h["id"] for h in result["hits"]]  # "thầm những" is not what was meant
    assert engine.search("xay dung dang", facets=False)["reading"] == "xây dựng đảng"


def test_accented_words_match_as_written_not_their_folded_twins(engine):
    assert set(ids(engine, "tham nhũng")) == {"tn1", "tn2", "tn3", "longan"}
    assert set(ids(engine, "thầm những")) == {"tham"}
    dang = set(ids(engine, "Đảng"))
    assert {"dang1", "dang2", "tw4"} <= dang and "dang3" not in dang  # "đang" is another word
    assert ids(engine, "đậu") == ["dau"] and ids(engine, "dầu") == ["dau"] and ids(engine, "đầu") == []


def test_a_syllable_the_index_cannot_read_matches_by_its_folded_form(engine):
    result = engine.search("iphone", facets=False)
    assert [h["id"] for h in result["hits"]] == ["iphone"]


def test_a_long_query_keeps_a_share_of_its_words_required_and_says_so(engine):
    query = "công tác phòng chống tham nhũng của tỉnh ủy trong cơ quan nhà nước"
    result = engine.search(query, facets=False)
    msm = result["min_should_match"]
    assert msm and 2 <= msm["required"] < msm["words"]
    got = [h["id"] for h in result["hits"]]
    assert got[0] == "tn1"
    assert "dau" not in got and "tham" not in got  # one or two shared words are not enough
    assert engine.search("tham nhũng", facets=False)["min_should_match"] is None


# -- queries understood like documents -----------------------------------------------------------
@pytest.mark.parametrize("query", ["nghị quyết trung ương 4", "NQ TW4 khóa XII", "nghi quyet trung uong 4 khoa 12",
                                   "NQTW4"])
def test_a_query_naming_a_resolution_ranks_the_articles_citing_it_first(engine, query):
    got = ids(engine, query)
    assert set(got[:2]) == {"tw4", "tw4b"}, got


def test_a_date_or_an_assembly_session_is_not_a_plenum(engine):
    got = ids(engine, "nghị quyết trung ương 4")
    assert "ngay" not in got[:2]


def test_khoa_12_is_a_term_in_the_party_sense(engine):
    got = ids(engine, "khóa 12")
    # "bẻ khóa iPhone 12" does not hold "khóa 12" side by side: not even a lower result.
    assert got[0] in {"tw4", "tw4b"} and "iphone" not in got


@pytest.mark.parametrize("query", ["chỉ thị 05", "CT 05", "chi thi 05"])
def test_a_bare_document_number_finds_the_document(engine, query):
    assert ids(engine, query)[0] == "ct05"


def test_a_province_typed_any_way_ranks_its_articles_first(engine):
    for query in ("Long An", "long an"):
        assert ids(engine, query)[0] == "longan"
    assert ids(engine, "tham nhũng long an")[0] == "longan"


# -- did you mean, highlights -------------------------------------------------------------------
def test_run_together_and_unaccented_words_get_a_suggestion_from_the_index(engine):
    from search.suggest import suggest

    searcher = engine.state().searcher
    assert suggest("thamnhung", searcher) == "tham nhũng"
    assert suggest("xaydung dang", searcher) == "xây dựng Đảng"
    assert suggest("tham nhung xyzqwv", searcher) == "tham nhũng"  # no unknown word kept


def test_a_no_result_page_offers_only_suggestions_that_find_something(engine):
    result = engine.search("thamnhung")
    assert result["total"] == 0
    assert result["suggestion"] == "tham nhũng" and result["suggestion_total"] == 4
    filtered = engine.search("thamnhung", {"province": ["Long An"]})
    assert filtered["suggestion"] == "tham nhũng" and filtered["suggestion_total"] == 1
    assert engine.search("qwxzv")["suggestion"] is None


def test_highlights_of_an_unaccented_query_mark_the_reading(engine):
    doc = engine.document("uong", query="trung uong")
    assert "<mark>trung ương</mark>" in doc["body_html"]
    assert "<mark>uống</mark>" not in doc["body_html"]


def test_a_query_partly_typed_without_accents_is_read_in_context(engine):
    # As a completion leaves it: the words typed before it keep no accents.
    result = engine.search("phong chong tham nhũng", facets=False)
    assert result["reading"] == "phòng chống tham nhũng"
    assert {h["id"] for h in result["hits"]} == set(ids(engine, "phòng chống tham nhũng"))
    assert engine.search("tham nhũng", facets=False)["reading"] is None  # one plain syllable: as typed


def test_each_generations_accent_reader_goes_with_its_generation(tmp_path):
    # A reader generation holds a postings cache of up to 256 MB: its accent reader must not
    # keep it alive after new commits replace it.
    import gc
    import weakref

    from search.understand import accent_reader

    index_documents([write_jsonl(tmp_path / "d0.jsonl", DOCS[:4])], tmp_path / "ix", workers=1)
    eng = SearchEngine(tmp_path / "ix")
    readers = []
    for n in range(3):  # (a fifth small commit trips a Whoosh merge error: not this test's subject)
        doc = {"id": f"moi{n}", "title": "", "text": f"Hội nghị lần thứ {n + 1} bàn về phòng chống tham nhũng."}
        index_documents([write_jsonl(tmp_path / f"d{n + 1}.jsonl", [doc])], tmp_path / "ix", workers=1)
        assert f"moi{n}" in [h["id"] for h in eng.search("phong chong tham nhung", facets=False)["hits"]]
        readers.append(weakref.ref(accent_reader(eng.state())))
    gc.collect()
    assert sum(r() is not None for r in readers) <= 2  # the current generation's and the retired one's


def test_a_suggestion_keeps_the_roman_numeral_of_a_term(engine):
    # "X" is one letter the vocabulary lacks, not a typo: dropping it named another term.
    from search.suggest import suggest

    searcher = engine.state().searcher
    assert suggest("nghị quyết trung uong 4 khóa X", searcher).endswith("khóa X")
    assert suggest("nghi quyet trung uong 4 khoa x", searcher).endswith(" x")
    assert suggest("thamnhung khóa V", searcher) == "tham nhũng khóa V"


def test_a_province_in_a_query_does_not_stand_for_other_words(engine):
    # The words of a Party document's name ("hội nghị", "trung ương", "chỉ thị", "khóa") are
    # not a province's: an article tagged Long An must still hold them.
    assert "longan" in ids(engine, "Long An") and "longan" in ids(engine, "tỉnh Long An")
    for query in ("hội nghị Long An", "trung ương Long An", "chỉ thị Long An", "khóa Long An"):
        assert "longan" not in ids(engine, query), query


PLENUMS = [
    {"id": "x3", "title": "", "text": "Học tập Nghị quyết Trung ương 3 khóa X về phòng chống tham nhũng, lãng phí."},
    {"id": "xii4", "title": "", "text": "Chi bộ học tập Nghị quyết 04-NQ/TW của Ban Chấp hành Trung ương Đảng khóa XII về xây dựng, chỉnh đốn Đảng."},
    {"id": "code", "title": "", "text": "Nhìn lại 10 năm thực hiện Nghị quyết 04-NQ/TW về phòng chống tham nhũng."},
]


def test_plenums_that_reuse_a_code_stay_apart_in_filters_and_queries(tmp_path):
    # 04-NQ/TW is TW3 khóa X (2006) and TW4 khóa XII (2016): the khóa XII article citing it
    # is not one of TW3 khóa X, and a filter lists as many articles as its facet counts
    # (articles are tagged with the name they give; the twins are for words, see scoring).
    index_documents([write_jsonl(tmp_path / "p.jsonl", PLENUMS)], tmp_path / "ix", workers=1)
    eng = SearchEngine(tmp_path / "ix")
    counts = {v["value"]: v["count"] for v in eng.search("", facet_size=100)["facets"]["resolution"]}
    for value, count in counts.items():
        assert eng.search("", {"resolution": [value]}, facets=False)["total"] == count, value
    plenum = "Nghị quyết Trung ương 3 khóa X"
    assert {h["id"] for h in eng.search("", {"resolution": [plenum]}, facets=False)["hits"]} == {"x3"}
    assert "xii4" not in ids(eng, plenum)


NAMED = [
    {"id": "cite", "title": "", "text": "Các chi bộ học tập Nghị quyết Trung ương 5 khóa XII về kinh tế tư nhân."},
    {"id": "scatter", "title": "", "text": "Nghị quyết của tỉnh về trung tâm y tế nêu 5 dự án; Quốc hội khóa XII và khóa X đã giám sát, "
                                           "Trung ương chỉ đạo 7 đoàn kiểm tra."},
    {"id": "tw7", "title": "", "text": "Chi bộ thực hiện Nghị quyết Trung ương 7 về nông nghiệp, nông dân; Đảng các khóa X và XI đều nhấn mạnh."},
]


@pytest.fixture(scope="module")
def named(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("named")
    index_documents([write_jsonl(tmp / "n.jsonl", NAMED)], tmp / "ix", workers=1)
    return SearchEngine(tmp / "ix")


@pytest.mark.parametrize("query", ["nghị quyết trung ương 5 khóa XII", "NQ TW5 khóa XII", "nghi quyet trung uong 5 khoa 12"])
def test_a_named_document_needs_its_name_side_by_side_not_its_words_anywhere(named, query):
    # "scatter" holds every word of the name, each somewhere else: it does not cite it.
    assert ids(named, query) == ["cite"]


def test_a_document_no_article_is_tagged_with_keeps_its_name_required(named):
    # No article is tagged "Nghị quyết Trung ương 7 khóa X" (tw7 names two terms): the query
    # still names that document, so its words stay required together, not any 30% of them.
    for query in ("nghị quyết trung ương 7 khóa X", "NQ TW7 khóa X"):
        assert ids(named, query) == ["tw7"], query


REUSED = [
    {"id": "xi", "title": "", "text": "Chi bộ học tập Nghị quyết Trung ương 4 khóa XI về một số vấn đề cấp bách về xây dựng Đảng."},
    {"id": "code11", "title": "", "text": "Đảng bộ sơ kết Nghị quyết 12-NQ/TW của Ban Chấp hành Trung ương Đảng khóa XI về xây dựng Đảng."},
    {"id": "dnnn", "title": "", "text": "Toàn văn Nghị quyết số 12-NQ/TW của Ban Chấp hành Trung ương Đảng khóa XII về doanh nghiệp nhà nước."},
]


def test_a_plenums_code_twin_counts_only_in_the_plenums_term(tmp_path):
    # 12-NQ/TW is TW4 khóa XI (2012) and, numbers restarting, the khóa XII resolution on
    # state enterprises (2017): an article citing the latter does not cite TW4 khóa XI.
    index_documents([write_jsonl(tmp_path / "r.jsonl", REUSED)], tmp_path / "ix", workers=1)
    eng = SearchEngine(tmp_path / "ix")
    for query in ("NQ TW4 khóa XI", "nghi quyet trung uong 4 khoa 11"):
        assert set(ids(eng, query)) == {"xi", "code11"}, query


CITED = [
    # Tagged too (its sentence is about the plenum's resolutions), short and full of the
    # query's words: by BM25 alone it would come first.
    {"id": "event", "title": "", "text": "Hội nghị Trung ương 5 khóa XII bế mạc, Trung ương thông qua các nghị quyết."},
    {"id": "full", "title": "", "text": "Tỉnh ủy tổ chức hội nghị trực tuyến quán triệt Nghị quyết Hội nghị Trung ương 5, "
                                        "khóa XII về hoàn thiện thể chế kinh tế thị trường định hướng xã hội chủ nghĩa "
                                        "cho cán bộ chủ chốt của các sở, ngành và huyện, thị xã, thành phố trong tỉnh."},
    {"id": "abbr", "title": "", "text": "Các doanh nghiệp kỳ vọng NQ TW5 khóa XII về kinh tế tư nhân sẽ tạo động lực "
                                        "phát triển mới cho khu vực doanh nghiệp nhỏ và vừa trong những năm tới."},
    # Tagged through the plenum too, and every syllable pair of a name is there, but apart:
    # "giải quyết từ" + "Trung ương 5"; another plenum's resolution + this plenum's meeting.
    {"id": "event2", "title": "", "text": "Hội nghị Trung ương 5 khóa XII bế mạc, Trung ương thông qua các nghị quyết "
                                          "để giải quyết từ gốc những vướng mắc."},
    {"id": "other", "title": "", "text": "Sau Nghị quyết Trung ương 4 về xây dựng Đảng, Hội nghị Trung ương 5 khóa XII ban hành "
                                         "các nghị quyết quan trọng."},
]


@pytest.mark.parametrize("query", ["nghị quyết trung ương 5 khóa XII", "NQ TW5 khoá 12", "nghi quyet trung uong 5 khoa 12"])
def test_articles_citing_a_resolution_by_name_rank_above_those_naming_only_its_plenum(tmp_path, query):
    index_documents([write_jsonl(tmp_path / "c.jsonl", CITED)], tmp_path / "ix", workers=1)
    eng = SearchEngine(tmp_path / "ix")
    found = ids(eng, query)
    # All are tagged with the resolution (the plenum's reports too), and all are found; the
    # two that write "Nghị quyết (Hội nghị) Trung ương 5" / "NQ TW5" come first.
    assert set(found) == {"event", "event2", "other", "full", "abbr"}
    assert set(found[:2]) == {"full", "abbr"}


def test_citations_by_name_are_known_from_the_index_whatever_was_searched_before(tmp_path):
    # The index records which tagged plenum resolutions an article writes by name
    # (cited_resolutions), glued "NQTW5" and the official title after its number included:
    # a fresh engine and one that has answered other searches rank alike.
    docs = CITED + [
        {"id": "glued", "title": "", "text": "Chi bộ quán triệt NQTW5 khóa XII về phát triển kinh tế tư nhân."},
        {"id": "title", "title": "", "text": "Nghị quyết số 10-NQ/TW ngày 3/6/2017 Hội nghị lần thứ năm Ban Chấp hành "
                                             "Trung ương Đảng khóa XII về phát triển kinh tế tư nhân."},
    ]
    index_documents([write_jsonl(tmp_path / "c.jsonl", docs)], tmp_path / "ix", workers=1)
    fresh = SearchEngine(tmp_path / "ix")
    expected = ids(fresh, "NQ TW5")
    fresh.close()
    assert set(expected[:4]) == {"full", "abbr", "glued", "title"}
    warm = SearchEngine(tmp_path / "ix")
    for q in ("nghị quyết trung ương 5 khóa XII", "NQ TW4", "hội nghị trung ương 5", "nghi quyet trung uong 5"):
        ids(warm, q)
    assert ids(warm, "NQ TW5") == expected
    warm.close()


def test_citations_by_name_rank_alike_under_threads(tmp_path):
    # 16 threads searching one engine at once: every ranking is the serial one.
    index_documents([write_jsonl(tmp_path / "c.jsonl", CITED)], tmp_path / "ix", workers=1)
    queries = ["nghị quyết trung ương 5 khóa XII", "NQ TW5", "nghi quyet trung uong 5", "NQ TW4"]
    serial = SearchEngine(tmp_path / "ix")
    expected = {q: ids(serial, q) for q in queries}
    serial.close()
    assert set(expected["NQ TW5"][:2]) == {"full", "abbr"}
    eng = SearchEngine(tmp_path / "ix")

    def worker(k):
        return [(q, ids(eng, q)) for q in queries[k % 4:] + queries[:k % 4] for _ in range(5)]

    with ThreadPoolExecutor(16) as pool:
        for answers in pool.map(worker, range(32)):
            for q, got in answers:
                assert got == expected[q], q
    eng.close()


def test_two_builds_in_another_order_read_an_unaccented_query_alike(tmp_path):
    """The accent reader estimates how often each accented form of a pair occurs from a
    sample of the articles holding it.  Whatever order the articles were written in (worker
    scheduling decides it), the sample is the same articles, so the estimates are equal."""
    from whoosh import index as whoosh_index

    from index.schema import INDEX_NAME
    from search.reading import SAMPLE_DOCS, AccentReader
    from search.scoring import PostingsCache
    from search.suggest import Vocabulary

    docs = [{"id": f"bien-{i:03d}", "title": f"Bản tin số {i}",
             "text": ("Tình hình biển Đông hôm nay có nhiều diễn biến." if i % 3 == 0
                      else "Giá vàng biến động mạnh trong phiên sáng nay.")} for i in range(90)]
    estimates = []
    for name, order in (("forward", docs), ("backward", docs[::-1])):
        index_documents([write_jsonl(tmp_path / f"{name}.jsonl", order)], tmp_path / name, workers=1)
        ix = whoosh_index.open_dir(str(tmp_path / name), indexname=INDEX_NAME)
        with ix.searcher() as s:
            reader = AccentReader(PostingsCache(s.reader()), Vocabulary(s.reader()))
            forms = reader.pair_forms("bien", "dong")
            estimates.append(forms)
        ix.close()
    forward, backward = estimates
    assert set(forward) == {("biển", "đông"), ("biến", "động")} and 90 > SAMPLE_DOCS
    assert forward == backward
