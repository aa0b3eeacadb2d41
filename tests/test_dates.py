"""Date range and per-query timeline (issue 12 item 4): facade, API, pages, CLI."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from web_conftest_helpers import build_web_index, generated_records

from search.cli import main
from search.engine import engine_for
from search.query import QueryError
from web.app import create_app

Q4 = "nghị quyết trung ương 4"


@pytest.fixture(scope="module")
def web_engine(tmp_path_factory):
    return engine_for(build_web_index(tmp_path_factory.mktemp("datescorpus")))


def dated(records, start, end):
    return {r["id"] for r in records if start <= r["date"] <= end}


def test_the_timeline_and_undated_add_up_to_the_total(sample_engine, web_engine):
    for engine in (sample_engine, web_engine):
        for query in (Q4, "", "Long An"):
            r = engine.search(query, {"source": ["baolongan.vn"]} if not query else None)
            assert sum(b["count"] for b in r["timeline"]["bars"]) + r["undated"] == r["total"], query
    # Three of the five sample articles carry no date.
    assert sample_engine.search(Q4)["undated"] == 3


def test_a_date_range_keeps_the_articles_dated_inside_it(web_engine):
    records = generated_records()
    r = web_engine.search(Q4, size=100, date_from="2019-01-01", date_to="2020-06-30")
    assert {h["id"] for h in r["hits"]} == dated(records, "2019-01-01", "2020-06-30")
    assert r["total"] == len(r["hits"]) and r["undated"] == 0
    assert (r["date_from"], r["date_to"]) == ("2019-01-01", "2020-06-30")
    assert sum(b["count"] for b in r["timeline"]["bars"]) == r["total"]
    # The facet counts follow the range too.
    assert sum(v["count"] for v in r["facets"]["year"]) == r["total"]
    # One open side.
    r = web_engine.search(Q4, size=100, date_from="2022-01-01")
    assert {h["id"] for h in r["hits"]} == dated(records, "2022-01-01", "9999")


def test_a_timeline_bar_narrows_to_its_own_count(web_engine):
    whole = web_engine.search(Q4)
    assert whole["timeline"]["interval"] == "year"  # 2017–2022 is longer than four years of months
    for bar in whole["timeline"]["bars"]:
        narrowed = web_engine.search(Q4, date_from=bar["date_from"], date_to=bar["date_to"])
        assert narrowed["total"] == bar["count"]
        assert narrowed["timeline"]["interval"] == "month"
        assert sum(b["count"] for b in narrowed["timeline"]["bars"]) == bar["count"]


def test_sorting_by_date_puts_undated_articles_last(sample_engine):
    r = sample_engine.search(Q4, sort="date")
    dates = [h["date"] for h in r["hits"]]
    assert dates[:2] == sorted(dates[:2], reverse=True) and dates[2:] == [None] * 3


@pytest.mark.parametrize("date_from, date_to, code", [
    ("2021-13-01", None, "date_from"), ("04/06/2021", None, "date_from"), (None, "2021-02-30", "date_to"),
    ("2021-06-02", "2021-06-01", "after"),
])
def test_bad_dates_are_a_clear_error(sample_engine, date_from, date_to, code):
    with pytest.raises(QueryError, match=code):
        sample_engine.search(Q4, date_from=date_from, date_to=date_to)


def test_api_and_page_take_the_range_and_say_how_many_are_undated(sample_index):
    client = create_app({"TESTING": True, "INDEX_DIR": str(sample_index)}).test_client()
    data = client.get("/api/search", query_string={"q": Q4, "date_from": "2019-01-01"}).get_json()
    assert data["total"] == 2 and data["date_from"] == "2019-01-01" and data["date_to"] is None
    assert [b["count"] for b in data["timeline"]["bars"] if b["count"]] == [1, 1]
    r = client.get("/api/search", query_string={"q": Q4, "date_to": "2021-02-30"})
    assert r.status_code == 400 and r.get_json()["code"] == "bad_date"
    html = client.get("/", query_string={"q": Q4, "sort": "date"}).get_data(as_text=True)
    assert "3 bài không rõ ngày được xếp cuối danh sách." in html
    html = client.get("/", query_string={"q": Q4, "date_from": "2019-01-01", "date_to": "2019-12-31"}).get_data(as_text=True)
    assert 'id="total">1<' in html and "Thời gian:</span> 01/01/2019 – 31/12/2019" in html
    r = client.get("/", query_string={"q": Q4, "date_from": "2021-06-02", "date_to": "2021-06-01"})
    assert r.status_code == 400 and "Từ ngày 02/06/2021 đứng sau đến ngày 01/06/2021" in r.get_data(as_text=True)
    rows = client.get("/export.csv", query_string={"q": Q4, "date_from": "2019-01-01"}).get_data(as_text=True)
    assert len(rows.strip().splitlines()) == 1 + 2


def test_cli_from_and_to(sample_index):
    run = (lambda *a: CliRunner().invoke(main, ["search", *a, "--index", str(sample_index)]))
    data = json.loads(run(Q4, "--from", "2019-01-01", "--to", "2019-12-31", "--json").output)
    assert data["total"] == 1 and data["hits"][0]["date"].startswith("2019")
    result = run(Q4, "--from", "2019-31-01")
    assert result.exit_code == 1
    assert result.output == ("Lỗi: «Từ ngày» phải là một ngày dạng năm-tháng-ngày, ví dụ 2021-06-04 "
                             "(nhận được '2019-31-01').\n")
    assert "3 bài không rõ ngày được xếp cuối." in run(Q4, "--sort", "date").output
