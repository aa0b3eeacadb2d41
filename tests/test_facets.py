"""Faceted search: disjunctive counts, loose filter values, browse mode (issue: facets)."""
from __future__ import annotations

import random

import pytest

from index.writer import index_documents
from search.engine import SearchEngine
from search.query import QueryError
from tests.conftest import write_jsonl


def counts(result, facet) -> dict[str, int]:
    return {v["value"]: v["count"] for v in result["facets"][facet]}


def test_sample_province_counts_without_filter(sample_engine):
    result = sample_engine.search("nghị quyết")
    assert counts(result, "province") == {"Đồng Tháp": 1, "Lâm Đồng": 1, "Cần Thơ": 1, "An Giang": 1, "Long An": 1}


def test_filtering_term_xi_leaves_can_tho_and_an_giang(sample_engine):
    result = sample_engine.search("nghị quyết", {"term": ["XI"]})
    assert {p for h in result["hits"] for p in h["provinces"]} == {"Cần Thơ", "An Giang"}
    assert result["total"] == 2
    # The term facet ignores its own filter: the other terms are still offered.
    assert set(counts(result, "term")) >= {"XI", "XII"}
    assert [v["value"] for v in result["facets"]["term"] if v["selected"]] == ["XI"]


def test_ticking_a_province_does_not_hide_the_others(sample_engine):
    result = sample_engine.search("", {"province": ["Long An"]})
    assert result["total"] == 1
    assert counts(result, "province")["Cần Thơ"] == 1
    both = sample_engine.search("", {"province": ["Long An", "Cần Thơ"]})
    assert both["total"] == 2  # OR within a facet


@pytest.mark.parametrize("typed, canonical", [
    ({"province": ["long an"]}, ("province", "Long An")),
    ({"province": ["TỈNH LONG AN"]}, ("province", "Long An")),
    ({"term": ["khoá XII"]}, ("term", "XII")),
    ({"term": ["khóa 12"]}, ("term", "XII")),
    ({"term": ["12"]}, ("term", "XII")),
    ({"resolution": ["nghi quyet trung uong 4 khoa xii"]}, ("resolution", "Nghị quyết Trung ương 4 khóa XII")),
])
def test_filter_values_typed_loosely_select_the_canonical_value(sample_engine, typed, canonical):
    result = sample_engine.search("", typed)
    facet, value = canonical
    assert result["filters"][facet] == [value]
    assert result["total"] >= 1
    assert all(value in h[{"province": "provinces", "term": "terms", "resolution": "resolutions"}[facet]]
               for h in result["hits"])


def test_a_resolution_filter_keeps_plenums_that_share_a_code_apart(sample_engine):
    # 04-NQ/TW is TW3 khóa X's and TW4 khóa XII's (numbers restart each term): the code alone
    # picks neither plenum's articles, and the plenum lists what its facet counts.
    by_plenum = sample_engine.search("", {"resolution": ["Nghị quyết Trung ương 4 khóa XII"]})
    counts = {v["value"]: v["count"] for v in sample_engine.search("")["facets"]["resolution"]}
    assert by_plenum["total"] == counts["Nghị quyết Trung ương 4 khóa XII"] > 0
    by_number = sample_engine.search("", {"resolution": ["Nghị quyết 04-NQ/TW"]})
    assert by_number["total"] == counts.get("Nghị quyết 04-NQ/TW", 0)


def test_bad_filters_give_messages_or_empty_results(sample_engine):
    with pytest.raises(QueryError, match="unknown facet"):
        sample_engine.search("", {"tinh": ["Long An"]})
    with pytest.raises(QueryError, match="too many values"):
        sample_engine.search("", {"province": [f"Tỉnh {i}" for i in range(1000)]})
    unknown = sample_engine.search("nghị quyết", {"province": ["Atlantis"]})
    assert unknown["total"] == 0 and unknown["warnings"]
    assert sample_engine.search("nghị quyết", {"province": ["", "  "]})["total"] == 5


def test_date_sort_puts_newest_first_and_undated_last(sample_engine):
    result = sample_engine.search("nghị quyết", sort="date", size=5)
    dates = [h["date"] for h in result["hits"]]
    assert dates[:2] == ["2021-06-04", "2019-05-10"]
    assert dates[2:] == [None, None, None]


def test_facet_value_search_lists_matching_values(sample_engine):
    found = sample_engine.facet_values("province", contains="long")
    assert [v["value"] for v in found["values"]] == ["Long An"]
    found = sample_engine.facet_values("province", contains="can tho")
    assert [v["value"] for v in found["values"]] == ["Cần Thơ"]


PROVINCES = ["Long An", "Cần Thơ", "An Giang", "Đồng Tháp", "Lâm Đồng", "Hà Nội", "Nghệ An"]
SENTENCES = [
    "Tỉnh ủy {p} tổ chức hội nghị sơ kết thực hiện Nghị quyết Trung ương 4 khóa {t}.",
    "Ban Thường vụ Tỉnh ủy {p} quán triệt Chỉ thị 05-CT/TW của Bộ Chính trị.",
    "Các cấp ủy đảng tỉnh {p} tăng cường công tác xây dựng, chỉnh đốn Đảng theo tinh thần khóa {t}.",
    "Đồng chí Bí thư Tỉnh ủy {p} phát biểu chỉ đạo về sinh hoạt chi bộ.",
]


@pytest.fixture(scope="module")
def generated_engine(tmp_path_factory):
    """An index of 160 generated articles, each about one or two provinces."""
    rng = random.Random(7)
    tmp = tmp_path_factory.mktemp("gen")
    records = []
    for i in range(160):
        provs = rng.sample(PROVINCES, rng.choice([1, 1, 2]))
        term = rng.choice(["XI", "XII", "XIII"])
        text = " ".join(rng.choice(SENTENCES).format(p=p, t=term) for p in provs for _ in range(2))
        date = f"20{rng.randint(15, 21)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        records.append({"id": f"g{i:03d}", "title": f"Tin {provs[0]} số {i}", "text": text, "date": date,
                        "source": rng.choice(["baolongan.vn", "baocantho.com.vn", "nhandan.vn"])})
    index_documents([write_jsonl(tmp / "gen.jsonl", records)], tmp / "ix", workers=1)
    return SearchEngine(tmp / "ix")


@pytest.mark.parametrize("query, filters", [
    ("", {}),
    ("nghị quyết", {}),
    ("chi bo", {"term": ["XII"]}),
    ("", {"province": ["Long An", "Cần Thơ"], "year": ["2018", "2019", "2020"]}),
    ("tỉnh ủy", {"source": ["nhandan.vn"], "term": ["XI", "XIII"]}),
])
def test_facet_counts_equal_what_the_filter_would_return(generated_engine, query, filters):
    result = generated_engine.search(query, filters, facet_size=1000)
    for facet, values in result["facets"].items():
        for v in values:
            with_value = dict(filters)
            with_value[facet] = [v["value"]]  # replaces this facet's own filter (disjunctive counts)
            assert generated_engine.search(query, with_value, size=1)["total"] == v["count"], (facet, v)
    # And the total equals the intersection of the filters, counted by hand from the hits.
    first = generated_engine.search(query, size=100, sort="date")
    everything = [h for page in range(1, first["pages"] + 1)
                  for h in generated_engine.search(query, size=100, page=page, sort="date")["hits"]]
    assert len(everything) == first["total"]
    fields = {"province": "provinces", "term": "terms", "year": "year", "source": "source"}

    def keep(hit):
        for facet, values in filters.items():
            have = hit[fields[facet]] if facet in ("province", "term") else [(hit["date"] or "")[:4] if facet == "year" else hit["source"]]
            if not set(values) & set(have):
                return False
        return True

    assert result["total"] == sum(1 for h in everything if keep(h))
