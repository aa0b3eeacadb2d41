"""Issue 12 read once more as a newcomer, in headless Chromium at 1366×900 and 390×844.

Every kind of page, whole (header, footer, skip links and the names screen readers read, not
only ``<main>``), with the parts JavaScript draws (drawer, completions, announcements); and the
way back from an error page, which used to cost the query and the filters.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, quote_plus, urlsplit

import pytest
from test_browser import Q4, base_url, browser, page, screenshots, sync_api, total  # noqa: F401
from test_web_messages import ENGLISH

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(sync_api is None, reason="Playwright for Python is not installed"),
]
SIZES = {"wide": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
# Words of click, Flask and Werkzeug a page could leak, besides the API's own messages.
MORE_ENGLISH = {"search", "results", "result", "filters", "filter", "clear", "close", "open", "menu", "back",
                "next", "previous", "loading", "skip", "content", "main", "from", "and", "of", "for", "no",
                "bad", "request", "not", "found", "internal", "error", "date", "month", "year", "articles",
                "show", "more", "less", "download", "view", "similar", "related", "source", "sources"}
# What a reader reads besides the text: the accessible names and hints of the page's elements.
NAMES = """() => Array.from(document.querySelectorAll('[aria-label],[title],[placeholder],[alt]'))
    .map(e => [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('placeholder'),
               e.getAttribute('alt')].filter(Boolean).join(' ')).join(' ')"""


def english_on(page) -> set[str]:
    text = page.inner_text("body") + " " + page.title() + " " + page.evaluate(NAMES)
    text = re.sub(r"\S*/\S*|«[^»]*»", " ", text)  # paths and addresses; what the user typed, quoted back
    return {w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in ENGLISH | MORE_ENGLISH}


def first_hit_url(page) -> str:
    return page.eval_on_selector(".hit h3 a", "a => a.getAttribute('href')")


@pytest.mark.parametrize("size", SIZES)
def test_no_english_on_any_kind_of_page_nor_in_what_screen_readers_read(page, base_url, screenshots, size):
    page.set_viewport_size(SIZES[size])
    page.goto(base_url + "/?q=" + quote_plus(Q4))
    article = first_hit_url(page)
    urls = ["/", "/?q=" + quote_plus(Q4), "/?q=" + quote_plus(Q4) + "&sort=date&page=2&size=3",
            "/?q=" + quote_plus("xyzzy không có gì"), "/?q=nghi+quyet&province=Long+An&date_from=2019-01-01",
            article, "/facets/province?q=" + quote_plus(Q4), "/tong-quan", "/khong-co-trang-nay",
            "/doc/khong-co-bai-nay", "/?q=a&page=abc", "/?q=a&date_from=2021-06-01&date_to=2020-01-01"]
    for url in urls:
        page.goto(base_url + url)
        assert english_on(page) == set(), (size, url)
        assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"], (size, url)
    # What scripts draw: the filter drawer on a phone, the completions, the announcement.
    page.goto(base_url + "/?q=" + quote_plus(Q4))
    if size == "phone":
        page.click("#filters-toggle")
    page.locator("#facet-province input[type=checkbox]").first.check()
    page.wait_for_url(re.compile(r"province="))
    page.fill("#q", "nghi quyet")
    sync_api.expect(page.locator("#q-suggestions li").first).to_be_visible()
    assert english_on(page) == set(), (size, "completions, drawer, announcement")
    page.screenshot(path=str(screenshots / f"20-review-{size}.png"))


def test_an_error_page_leads_back_to_the_same_search_mended(page, base_url, screenshots):
    """Dates picked in the wrong order (easy in the phone drawer) gave an error page whose
    only link went to an empty search page: the query and the filters were lost."""
    page.set_viewport_size(SIZES["phone"])
    page.goto(base_url + "/?q=" + quote_plus(Q4) + "&province=Long+An&sort=date")
    before = total(page)
    page.click("#filters-toggle")
    page.fill("#date_from", "2021-06-01")
    page.fill("#date_to", "2019-01-01")
    page.click("#facet-date button[type=submit]")
    page.wait_for_url(re.compile(r"date_to=2019"))
    assert page.inner_text("h1") == "Yêu cầu không hợp lệ (400)"
    assert "Từ ngày 01/06/2021 đứng sau đến ngày 01/01/2019: hãy đổi chỗ hai ngày." in page.inner_text("main")
    repair = page.locator("#repair")
    assert repair.inner_text() == f"Xem kết quả tìm «{Q4}» (đã đổi chỗ hai ngày)"
    page.screenshot(path=str(screenshots / "21-error-way-back.png"))
    repair.click()
    page.wait_for_load_state()
    args = parse_qs(urlsplit(page.url).query)
    assert args == {"q": [Q4], "province": ["Long An"], "sort": ["date"],
                    "date_from": ["2019-01-01"], "date_to": ["2021-06-01"]}
    assert page.input_value("#q") == Q4 and page.input_value("#sort") == "date"
    assert page.input_value("#date_from") == "2019-01-01" and page.input_value("#date_to") == "2021-06-01"
    assert 0 < total(page) <= before
    # A page number typed into the address: the way back drops only the page.
    page.goto(base_url + "/?q=" + quote_plus(Q4) + "&province=Long+An&page=mot")
    assert page.locator("#repair").inner_text() == f"Xem kết quả tìm «{Q4}» (bỏ số trang)"
    page.locator("#repair").click()
    page.wait_for_load_state()
    assert parse_qs(urlsplit(page.url).query) == {"q": [Q4], "province": ["Long An"]}
