"""Every message a user can see on the site is Vietnamese; small things of issue 12 item 9."""
from __future__ import annotations

import re
from datetime import date

import pytest

from web.app import create_app

# Words that only English text has (none is a Vietnamese syllable written without accents).
ENGLISH = {"the", "must", "whole", "number", "unknown", "query", "holds", "word", "found", "requested",
           "server", "please", "error", "document", "with", "this", "use", "one", "got", "facet", "facets",
           "article", "internal", "see", "log", "build", "index", "values", "sort", "page", "size", "limit",
           "format", "too", "characters", "most", "was", "not", "url", "method", "allowed"}
BAD_INPUTS = [
    "/?page=abc", "/?page=0", "/?size=0", "/?sort=popular", "/?q=" + "x" * 2000, "/?q=%22%28%28%28",
    "/?q=nghị+quyết&province=Không+Có", "/facets/nope", "/doc/khong-co-bai-nay", "/khong-co-trang-nay",
    "/export.csv?sort=x", "/?date_from=2021-13-45", "/?date_from=2021-06-01&date_to=2020-01-01",
]


@pytest.fixture
def client(sample_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(sample_index)}).test_client()


def visible_words(html: str) -> set[str]:
    """Lower-case words of the text a reader sees (title and main; not the query echoed in the box)."""
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    main = re.search(r"<main[^>]*>(.*)</main>", html, re.S).group(1)
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", title + " " + main)
    return {w.lower() for w in re.findall(r"[A-Za-z]+", text)}


@pytest.mark.parametrize("url", BAD_INPUTS)
def test_bad_input_pages_say_it_in_vietnamese_only(client, url):
    r = client.get(url)
    assert 400 <= r.status_code < 500 or "/?q=" in url or "province=" in url, r.status_code
    html = r.get_data(as_text=True)
    typed = set(re.findall(r"[a-z]+", url.lower()))  # what the user typed may be echoed back
    english = (visible_words(html) & ENGLISH) - typed
    assert not english, (url, english)


def test_the_json_api_keeps_english_beside_a_code_and_vietnamese(client):
    data = client.get("/api/search?page=abc").get_json()
    assert data["status"] == 400 and data["code"] == "bad_number"
    assert data["error"] == "page must be a whole number from 1 to 1000 (got 'abc')"
    assert data["message_vi"] == "Tham số «trang» phải là số nguyên từ 1 đến 1000 (nhận được 'abc')."
    data = client.get("/api/doc/khong-co").get_json()
    assert data["status"] == 404 and data["code"] == "no_document"
    assert data["message_vi"] == "Không có bài viết mã «khong-co»."


def test_a_filter_value_no_article_has_is_a_vietnamese_note(client):
    html = client.get("/", query_string={"q": "nghị quyết", "province": "Không Có"}).get_data(as_text=True)
    assert "Không có bài nào có tỉnh, thành (trước 2025) «Không Có»." in html


def test_favicon_is_served(client):
    with client.get("/favicon.ico") as r:
        assert r.status_code == 200 and r.mimetype == "image/svg+xml" and b"<svg" in r.get_data()
    assert 'rel="icon"' in client.get("/").get_data(as_text=True)


def test_csv_export_has_one_charset_and_a_name_that_says_what_was_searched(client):
    r = client.get("/export.csv", query_string={"q": "Nghị quyết Trung ương 4"})
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    today = date.today().isoformat()
    assert r.headers["Content-Disposition"] == f'attachment; filename="vnsearch-nghi-quyet-trung-uong-4-{today}.csv"'
    r = client.get("/export.json", query_string={"province": "Long An"})
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    assert r.headers["Content-Disposition"] == f'attachment; filename="vnsearch-tat-ca-{today}.json"'
