"""The search site through Flask's test client, against real indexes built with real pyvi."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from web_conftest_helpers import GENERATED, XSS_IMG, XSS_SCRIPT, build_web_index

from web.app import create_app

Q4 = "nghị quyết trung ương 4"


@pytest.fixture
def app(sample_index):
    """The site over the index of the five sample articles."""
    return create_app({"TESTING": True, "INDEX_DIR": str(sample_index)})


@pytest.fixture
def client(app):
    """A test client of the sample site."""
    return app.test_client()


@pytest.fixture(scope="session")
def web_index(tmp_path_factory):
    """An index of 24 generated articles (real sentences, 12 provinces) and 2 carrying XSS payloads."""
    return build_web_index(tmp_path_factory.mktemp("webcorpus"))


@pytest.fixture
def big_client(web_index):
    """A test client of the generated corpus."""
    return create_app({"TESTING": True, "INDEX_DIR": str(web_index)}).test_client()


def page_total(html: str) -> int:
    """The result count the page shows."""
    m = re.search(r'id="total"[^>]*>([\d.]+)<', html)
    if m:
        return int(m.group(1).replace(".", ""))
    assert "Không tìm thấy kết quả" in html
    return 0


def hit_ids(html: str) -> list[str]:
    """Document ids linked from the result list, in order."""
    results = html.split('<ol class="hits"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'href="/doc/([^"?]+)', results)


# -- the search page ------------------------------------------------------------------------
def test_search_page_lists_the_five_articles_and_keeps_the_query(client):
    r = client.get("/", query_string={"q": Q4})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert page_total(html) == 5
    assert len(hit_ids(html)) == 5
    assert f'value="{Q4}"' in html
    assert "<mark>" in html  # highlighted snippets and titles
    assert 'lang="vi"' in html and "Tìm thấy" in html


def test_empty_query_browses_everything(client):
    html = client.get("/").get_data(as_text=True)
    assert page_total(html) == 5
    for label in ("Nghị quyết, văn bản", "Khóa", "Tỉnh, thành (trước 2025)", "Tỉnh, thành (sau 2025)", "Năm", "Nguồn"):
        assert f"<legend>{label}</legend>" in html


def test_ticking_long_an_leaves_one_result_and_province_counts_stay_disjunctive(client):
    before = client.get("/api/search", query_string={"q": Q4}).get_json()
    after = client.get("/api/search", query_string={"q": Q4, "province": "Long An"}).get_json()
    assert before["total"] == 5 and after["total"] == 1
    assert "Long An" in after["hits"][0]["provinces"]
    provinces = {v["value"]: (v["count"], v["selected"]) for v in after["facets"]["province"]}
    assert provinces == {v["value"]: (v["count"], v["value"] == "Long An") for v in before["facets"]["province"]}
    assert len(provinces) == 5  # the other provinces still offer their counts
    # The term facet is narrowed by the province filter (conjunctive across facets).
    assert sum(v["count"] for v in after["facets"]["term"]) < sum(v["count"] for v in before["facets"]["term"])

    html = client.get("/", query_string={"q": Q4, "province": "Long An"}).get_data(as_text=True)
    assert page_total(html) == 1
    assert re.search(r'name="province" value="Long An" checked', html)
    assert 'class="chip"' in html and "Bỏ lọc Tỉnh, thành (trước 2025): Long An" in html
    chip = re.search(r'<a class="chip" href="([^"]+)"', html).group(1)
    assert "province" not in chip and page_total(client.get(chip.replace("&amp;", "&")).get_data(as_text=True)) == 5


def test_two_provinces_are_ored(client):
    r = client.get("/api/search", query_string=[("q", Q4), ("province", "Long An"), ("province", "Cần Thơ")]).get_json()
    assert r["total"] == 2 and r["filters"] == {"province": ["Long An", "Cần Thơ"]}


def test_unaccented_query_finds_the_articles(client):
    assert client.get("/api/search", query_string={"q": "nghi quyet trung uong 4"}).get_json()["total"] == 5


def test_result_shows_date_source_badges_and_links_to_the_article(client):
    html = client.get("/", query_string={"q": "chuyển biến tích cực"}).get_data(as_text=True)
    hit = html.split('<li class="hit">', 2)[1]
    assert "/doc/001_214fb6d23e10b690?q=" in hit
    assert '<time datetime="2021-06-04">04/06/2021</time>' in hit
    assert "baolamdong.vn" in hit
    assert "Lâm Đồng" in hit and "Khóa XII" in hit and "Nghị quyết Trung ương 4 khóa XII" in hit
    assert 'href="/?province=L%C3%A2m+%C4%90%E1%BB%93ng"' in hit  # a badge starts a filtered search


def test_sort_by_date_puts_newest_first(client):
    r = client.get("/api/search", query_string={"q": Q4, "sort": "date"}).get_json()
    dates = [h["date"] for h in r["hits"] if h["date"]]
    assert dates == sorted(dates, reverse=True) and r["sort"] == "date"
    html = client.get("/", query_string={"q": Q4, "sort": "date"}).get_data(as_text=True)
    assert '<option value="date" selected>' in html


def test_page_links_to_its_json_version(client):
    html = client.get("/", query_string={"q": Q4, "province": "Long An"}).get_data(as_text=True)
    href = re.search(r'id="json-link" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert href.startswith("/api/search?")
    assert client.get(href).get_json()["total"] == 1


def test_pagination_walks_every_result_once(big_client):
    seen, url = [], "/?" + "q=ngh%E1%BB%8B+quy%E1%BA%BFt+trung+%C6%B0%C6%A1ng+4"
    first = big_client.get(url).get_data(as_text=True)
    total = page_total(first)
    assert total == GENERATED + 2
    html = first
    while True:
        seen += hit_ids(html)
        m = re.search(r'<a rel="next" href="([^"]+)"', html)
        if not m:
            break
        html = big_client.get(m.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert len(seen) == total == len(set(seen))
    assert 'aria-current="page">3<' in html


def test_long_facet_is_collapsed_with_a_link_to_all_values(big_client):
    html = big_client.get("/", query_string={"q": Q4}).get_data(as_text=True)
    province = html.split('id="facet-province"', 1)[1].split("</fieldset>", 1)[0]
    assert province.count('type="checkbox"') == 10
    more = re.search(r'<a class="more" href="([^"]+)"', province).group(1).replace("&amp;", "&")
    assert more.startswith("/facets/province?q=")
    all_values = big_client.get(more).get_data(as_text=True)
    assert all_values.count('name="province"') == 12
    assert 'data-api="/api/facets/province?q=' in province  # the filter box asks the API
    filtered = big_client.get("/facets/province", query_string={"q": Q4, "contains": "giang"}).get_data(as_text=True)
    assert set(re.findall(r'name="province" value="([^"]+)"', filtered)) == {"An Giang", "Tiền Giang", "Hậu Giang", "Kiên Giang"}


# -- the article page -------------------------------------------------------------------------
def test_article_page_highlights_the_query_and_links_facets(client):
    r = client.get("/doc/004_c84e101a906d71df", query_string={"q": "long an"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Bí thư Tỉnh ủy <mark>Long An</mark>" in html
    assert html.count("<p>") > 3  # paragraphs by newline
    assert 'href="/?province=Long+An"' in html and 'href="/?term=XII"' in html
    assert "Bài viết liên quan" in html and html.count('href="/doc/') >= 2
    assert 'href="/api/doc/004_c84e101a906d71df?q=long+an"' in html


def test_unknown_article_is_a_404_page_and_a_404_json(client):
    r = client.get("/doc/khong-co-bai-nay")
    assert r.status_code == 404 and "Không tìm thấy trang" in r.get_data(as_text=True)
    r = client.get("/api/doc/khong-co-bai-nay")
    assert r.status_code == 404 and "error" in r.get_json()
    assert client.get("/khong-co-trang-nay").status_code == 404
    assert client.get("/api/khong-co").get_json()["error"]


# -- no results ---------------------------------------------------------------------------------
def test_no_results_offers_dropping_filters_and_only_suggestions_that_find_something(client):
    html = client.get("/", query_string={"q": "nghị quyết trung ương 4", "province": "Long An", "term": "XI"}).get_data(as_text=True)
    assert "Không tìm thấy kết quả" in html
    assert "Bỏ bộ lọc" in html and "Bỏ tất cả bộ lọc" in html
    drops = dict(re.findall(r'Bỏ bộ lọc <a href="[^"]+">([^<]+)</a> \((\d+) kết quả\)', html))
    assert drops == {"Tỉnh, thành (trước 2025): Long An": "2", "Khóa: Khóa XI": "1"}
    html = client.get("/", query_string={"q": "đxyzqw"}).get_data(as_text=True)
    assert "Không tìm thấy kết quả" in html
    # Its folded form finds nothing either: no link to it, and no suggestion.
    assert "Thử tìm không dấu" not in html and "Có phải bạn muốn tìm" not in html
    html = client.get("/", query_string={"q": "nghiquyet", "province": "Long An"}).get_data(as_text=True)
    assert re.search(r'Có phải bạn muốn tìm: <a href="[^"]+">nghị quyết</a> \(\d+ kết quả\)', html, re.I)


def test_a_suggestion_from_the_facade_is_offered(app):
    from web import views
    from web.state import SearchState

    with app.test_request_context("/"):
        alt = views.alternatives({"total": 3, "suggestion": "nghị quyết"}, SearchState(query="nghi quyet"))
    assert alt["suggestion"] == {"query": "nghị quyết", "url": "/?q=ngh%E1%BB%8B+quy%E1%BA%BFt", "total": None}


# -- the API ----------------------------------------------------------------------------------------
def test_api_search_follows_the_contract(client):
    r = client.get("/api/search", query_string={"q": Q4, "size": 2})
    data = r.get_json()
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert {"total", "hits", "facets", "took_ms"} <= data.keys()
    assert data["total"] == 5 and len(data["hits"]) == 2 and data["pages"] == 3
    for hit in data["hits"]:
        assert {"id", "title", "snippet", "date", "source", "provinces", "terms", "resolutions", "score"} <= hit.keys()
    assert set(data["facets"]) == {"resolution", "term", "province", "province_new", "year", "source"}
    assert all({"value", "count", "selected"} == v.keys() for vs in data["facets"].values() for v in vs)
    assert "Nghị quyết" in r.get_data(as_text=True)  # UTF-8, not \u escapes


def test_api_document_and_facets(client):
    doc = client.get("/api/doc/004_c84e101a906d71df", query_string={"q": "long an"}).get_json()
    assert doc["provinces"] == ["Long An"] and "<mark>Long An</mark>" in doc["body_html"] and doc["similar"]
    facet = client.get("/api/facets/province", query_string={"q": Q4, "contains": "long"}).get_json()
    assert facet["values"] == [{"value": "Long An", "count": 1, "selected": False}]
    assert client.get("/api/facets/resolution", query_string={"limit": 2}).get_json()["truncated"] is True
    assert client.get("/api/overview").get_json()["documents"] == 5
    assert "search" in client.get("/api/").get_json()["endpoints"]


def test_api_facet_values_count_within_the_pages_date_range(big_client):
    args = {"q": Q4, "date_from": "2019-01-01", "date_to": "2020-12-31"}
    page = big_client.get("/api/search", query_string=args).get_json()
    listed = big_client.get("/api/facets/province", query_string=args | {"contains": "an"}).get_json()
    shown = {v["value"]: v["count"] for v in page["facets"]["province"]}
    assert listed["values"] and all(shown.get(v["value"], 0) == v["count"] for v in listed["values"])
    assert sum(v["count"] for v in listed["values"]) < sum(
        v["count"] for v in big_client.get("/api/facets/province", query_string={"q": Q4, "contains": "an"}).get_json()["values"])


@pytest.mark.parametrize("url", [
    "/api/search?page=abc",
    "/api/search?page=0",
    "/api/search?page=1.5",
    "/api/search?size=0",
    "/api/search?size=10000",
    "/api/search?sort=popular",
    "/api/search?q=" + "a" * 1001,
    "/api/facets/nope",
    "/api/facets/province?limit=x",
    "/api/export?format=xml",
    "/api/doc/004_c84e101a906d71df?q=" + "a" * 1001,
    "/export.json?size=-1",
])
def test_bad_parameters_get_a_400_json_message(client, url):
    r = client.get(url)
    assert r.status_code == 400, r.get_data(as_text=True)
    assert r.mimetype == "application/json" and r.get_json()["error"]


@pytest.mark.parametrize("url", ["/?page=abc", "/?size=0", "/?sort=x", "/facets/nope", "/?q=" + "x" * 2000])
def test_bad_parameters_on_pages_get_a_400_page(client, url):
    r = client.get(url)
    assert r.status_code == 400 and r.mimetype == "text/html"
    assert "Yêu cầu không hợp lệ" in r.get_data(as_text=True)


@pytest.mark.parametrize("query_string", [
    {"q": '"'}, {"q": "-"}, {"q": "OR"}, {"q": "OR OR -\"\""}, {"q": "((("}, {"q": "*"}, {"q": "\x00"},
    {"q": "nghị quyết", "province": "Không Có"}, {"q": "", "term": "khóa 12"}, {"year": "abcd"},
    {"q": "a", "page": "1000"}, {"resolution": "x" * 300}
])
def test_odd_input_never_gives_a_500(client, query_string):
    for url in ("/", "/api/search", "/export.csv", "/facets/province", "/api/facets/province"):
        r = client.get(url, query_string=query_string)
        assert r.status_code < 500, (url, query_string, r.get_data(as_text=True)[:300])


def test_undecodable_bytes_in_the_url_never_give_a_500(client):
    for url in ("/?q=%ED%A0%80", "/?q=%ff%fe&province=%c3", "/api/search?q=%00%ff", "/doc/%ff%fe", "/api/doc/%ED%A0%80"):
        assert client.get(url).status_code < 500, url


def test_a_missing_index_gives_a_clear_503(tmp_path):
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    r = client.get("/")
    assert r.status_code == 503 and "vnsearch index" in r.get_data(as_text=True)
    r = client.get("/api/search?q=x")
    assert r.status_code == 503 and "no index" in r.get_json()["error"]


# -- overview and export ---------------------------------------------------------------------------
def test_overview_draws_inline_svg_charts(client):
    html = client.get("/tong-quan").get_data(as_text=True)
    assert "<strong>5</strong> bài viết" in html
    assert html.count("<svg") == 4
    assert "Số bài viết theo năm" in html and "Số bài viết theo tỉnh" in html and "nhiều nhất" in html
    assert 'href="/?province=Long+An"' in html and 'href="/?year=2021"' in html
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing from elsewhere: works offline


def test_csv_export_has_five_rows_with_vietnamese_titles(client):
    r = client.get("/export.csv", query_string={"q": Q4})
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"] and ".csv" in r.headers["Content-Disposition"]
    raw = r.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 5
    titles = {row["title"] for row in rows}
    assert "Đồng Tháp sơ kết thực hiện Nghị quyết Trung ương 4 (khóa XII)" in titles
    long_an = [row for row in rows if row["provinces"] == "Long An"]
    assert len(long_an) == 1 and "Nghị quyết Trung ương 4 khóa XII" in long_an[0]["resolutions"]
    same = client.get("/api/export", query_string={"q": Q4, "format": "csv"}).get_data()
    assert same == raw


def test_json_export_and_the_filter(client):
    r = client.get("/export.json", query_string={"q": Q4, "province": "Long An"})
    data = json.loads(r.get_data(as_text=True))
    assert data["total"] == data["exported"] == 1 and not data["truncated"]
    assert data["hits"][0]["provinces"] == ["Long An"]


def _ranked_ids(client, query: str, sort: str = "relevance") -> list[str]:
    """Every hit's id in the order the search pages show them (pages of 10)."""
    ids, page = [], 1
    while True:
        data = client.get("/api/search", query_string={"q": query, "sort": sort, "page": page, "size": 10}).get_json()
        ids += [h["id"] for h in data["hits"]]
        if page >= data["pages"]:
            return ids
        page += 1


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_a_capped_export_says_so_and_holds_the_first_hits_in_rank_order(web_index, sort):
    app = create_app({"TESTING": True, "INDEX_DIR": str(web_index), "EXPORT_LIMIT": 7})
    client = app.test_client()
    ranked = _ranked_ids(client, Q4, sort)
    assert len(ranked) == GENERATED + 2

    data = client.get("/export.json", query_string={"q": Q4, "sort": sort}).get_json()
    assert data["total"] == GENERATED + 2 and data["exported"] == 7 and data["limit"] == 7 and data["truncated"]
    assert [h["id"] for h in data["hits"]] == ranked[:7]
    assert "7 kết quả đầu tiên" in data["notice"] and f"tổng số {GENERATED + 2} kết quả" in data["notice"]

    r = client.get("/export.csv", query_string={"q": Q4, "sort": sort})
    assert r.headers["X-Total-Count"] == str(GENERATED + 2) and r.headers["X-Exported-Count"] == "7"
    rows = list(csv.reader(io.StringIO(r.get_data().decode("utf-8-sig"))))
    assert rows[0][0] == "id" and [row[0] for row in rows[1:8]] == ranked[:7]
    # The last line tells a spreadsheet user the rows are not all; nothing follows it.
    assert len(rows) == 1 + 7 + 1 and rows[-1][0].startswith("# Tệp chỉ có 7 kết quả đầu tiên")

    # The page's export links say so too, before anyone downloads.
    html = client.get("/", query_string={"q": Q4, "sort": sort}).get_data(as_text=True)
    cap = re.search(r'id="export-cap"[^>]*>([^<]*)<', html)
    assert cap and f"chỉ 7 kết quả đầu tiên trong {GENERATED + 2}" in cap.group(1)


def test_an_uncapped_export_holds_every_hit_and_no_notice(web_index):
    client = create_app({"TESTING": True, "INDEX_DIR": str(web_index)}).test_client()
    ranked = _ranked_ids(client, Q4)
    data = client.get("/export.json", query_string={"q": Q4, "size": 5}).get_json()
    assert [h["id"] for h in data["hits"]] == ranked and data["exported"] == data["total"] == GENERATED + 2
    assert not data["truncated"] and data["notice"] is None
    rows = list(csv.reader(io.StringIO(client.get("/export.csv", query_string={"q": Q4}).get_data().decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ranked  # no notice line
    assert 'id="export-cap"' not in client.get("/", query_string={"q": Q4}).get_data(as_text=True)


def test_the_api_export_takes_a_smaller_limit_and_refuses_a_larger_one(web_index):
    client = create_app({"TESTING": True, "INDEX_DIR": str(web_index), "EXPORT_LIMIT": 20}).test_client()
    ranked = _ranked_ids(client, Q4)
    data = client.get("/api/export", query_string={"q": Q4, "limit": 3}).get_json()
    assert [h["id"] for h in data["hits"]] == ranked[:3] and data["truncated"] and data["limit"] == 3
    r = client.get("/api/export", query_string={"q": Q4, "limit": 21})
    assert r.status_code == 400 and "limit must be a whole number from 1 to 20" in r.get_json()["error"]


# -- escaping ---------------------------------------------------------------------------------------
def test_documents_with_html_payloads_show_as_text(big_client):
    html = big_client.get("/", query_string={"q": Q4, "size": 30}).get_data(as_text=True)
    assert "xss-script" in html and "xss-img" in html
    assert XSS_SCRIPT not in html and XSS_IMG not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for doc_id in ("xss-script", "xss-img"):
        page = big_client.get(f"/doc/{doc_id}", query_string={"q": "alert"}).get_data(as_text=True)
        assert XSS_SCRIPT not in page and XSS_IMG not in page and "onerror=alert" not in page.replace("&lt;img src=x onerror=alert", "")
        assert "&lt;" in page
    page = big_client.get("/doc/xss-script").get_data(as_text=True)
    assert 'href="javascript:' not in page and "javascript:alert(1)" in page  # shown, not linked


def test_queries_with_html_payloads_show_as_text(big_client):
    for query in (XSS_SCRIPT, XSS_IMG, f'"><script>alert(1)</script>', "</title><script>alert(1)</script>"):
        for url in ("/", "/facets/province"):
            html = big_client.get(url, query_string={"q": query, "contains": query}).get_data(as_text=True)
            assert "<script>alert" not in html and "<img src=x" not in html, url
            assert "&lt;script&gt;alert(1)" in html or "&lt;img src=x" in html


def test_pages_forbid_inline_scripts(client):
    r = client.get("/")
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    for name in ("style.css", "search.js"):
        with client.get(f"/static/{name}") as static:
            assert static.status_code == 200
