"""Issue 12 in a real browser: what a newcomer meets on a phone, with Back, the keyboard, bad input.

Headless Debian chromium through Playwright, the site served by waitress (fixtures of
``test_browser``); screenshots go where that suite says.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from test_browser import CHROMIUM, GENERATED, Q4, base_url, browser, page, screenshots, sync_api, total  # noqa: F401
from test_web_messages import BAD_INPUTS, ENGLISH

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(sync_api is None, reason="Playwright for Python is not installed"),
]
MOBILE = {"width": 390, "height": 844}


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def province_box(page, name: str):
    return page.locator(f'#facet-province input[value="{name}"]')


def test_item1_phone_filters_open_in_a_drawer_that_stays_open_for_a_second_filter(page, base_url, screenshots):
    page.set_viewport_size(MOBILE)
    page.goto(base_url + "/?q=" + Q4)
    assert not page.locator("#filters").is_visible()  # not 4 screens of facets above or below
    toggle = page.locator("#filters-toggle")
    assert toggle.is_visible() and toggle.bounding_box()["y"] < 844  # on the first screen
    toggle.click()
    assert page.locator("#filters").is_visible() and toggle.get_attribute("aria-expanded") == "true"
    page.screenshot(path=str(screenshots / "10-mobile-drawer.png"))
    province_box(page, "Long An").check()
    page.wait_for_url(re.compile(r"province=Long\+An"))
    # The page came back with the drawer open and the focus on the value just ticked.
    assert page.locator("#filters").is_visible()
    assert page.evaluate("document.activeElement.value") == "Long An"
    assert province_box(page, "Cần Thơ").is_visible()
    province_box(page, "Cần Thơ").check()
    page.wait_for_url(re.compile(r"C%E1%BA%A7n\+Th%C6%A1"))
    assert sorted(params(page.url)["province"]) == ["Cần Thơ", "Long An"]
    assert toggle.inner_text() == "Bộ lọc (2)"
    page.locator("#filters .drawer-close").click()
    assert not page.locator("#filters").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    assert total(page) == 6  # 3 in Long An, 3 in Cần Thơ
    page.screenshot(path=str(screenshots / "11-mobile-two-filters.png"), full_page=True)


def test_item1_phone_without_javascript_links_to_the_filters(browser, base_url):
    context = browser.new_context(java_script_enabled=False, viewport=MOBILE)
    page = context.new_page()
    page.goto(base_url + "/?q=" + Q4)
    link = page.locator("a[href='#filters']")
    assert link.is_visible()
    link.click()
    assert page.locator("#filters").is_visible()
    context.close()


def test_item2_back_restores_the_checkboxes_to_the_url(page, base_url, screenshots):
    page.goto(base_url + "/?q=" + Q4)
    province_box(page, "Long An").check()
    page.wait_for_url(re.compile(r"province=Long\+An"))
    province_box(page, "Cần Thơ").check()
    page.wait_for_url(re.compile(r"C%E1%BA%A7n"))
    page.go_back()
    page.wait_for_url(lambda url: params(url).get("province") == ["Long An"])
    assert province_box(page, "Long An").is_checked()
    assert not province_box(page, "Cần Thơ").is_checked()  # the URL no longer has it
    assert total(page) == 3
    page.screenshot(path=str(screenshots / "12-after-back.png"), full_page=True)
    province_box(page, "An Giang").check()  # the next tick must not re-add Cần Thơ
    page.wait_for_url(re.compile(r"An\+Giang"))
    assert sorted(params(page.url)["province"]) == ["An Giang", "Long An"]


def test_item3_the_article_back_link_keeps_filters_sort_and_page(page, base_url):
    start = base_url + "/?q=" + Q4 + "&source=baolongan.vn&sort=date&page=2&size=4"
    page.goto(start)
    before = params(page.url)
    page.locator(".hit h3 a").first.click()
    page.wait_for_url(re.compile(r"/doc/"))
    back = page.locator(".back a")
    assert back.inner_text() == f"‹ Kết quả tìm «{Q4}»"
    back.click()
    page.wait_for_url(re.compile(r"/\?"))
    assert params(page.url) == before
    assert page.locator('#facet-source input[value="baolongan.vn"]').is_checked()
    assert page.input_value("#sort") == "date"
    assert page.locator(".pagination .current").inner_text() == "2"


def test_item6_keyboard_reaches_the_first_result_and_focus_follows_each_search(page, base_url, screenshots):
    page.goto(base_url + "/?q=" + Q4)
    assert page.locator("h1").count() == 1
    first = page.locator(".hit h3 a").first.get_attribute("href")
    page.focus("#q")
    for presses in range(1, 4):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == first:
            break
    assert page.evaluate("document.activeElement.getAttribute('href')") == first, presses
    # The skip links land on the search box and on the results.
    page.goto(base_url + "/?q=" + Q4)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Tới ô tìm kiếm"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "q"
    # After a search, the focus is on the result count (read out), not lost at the top.
    page.fill("#q", "sinh hoạt chi bộ")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=sinh"))
    assert page.evaluate("document.activeElement.id") == "results-heading"
    # A facet tick says what happens, and after the reload the focus is back on it, announced.
    assert page.locator("#facets-hint").inner_text() == "Chọn một giá trị: kết quả được cập nhật ngay."
    page.goto(base_url + "/?q=" + Q4)
    province_box(page, "Long An").focus()
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"province=Long\+An"))
    assert page.evaluate("document.activeElement.value") == "Long An"
    assert page.inner_text("#announce") == "Đã cập nhật: 3 kết quả"
    page.screenshot(path=str(screenshots / "13-keyboard.png"))


def test_item7_no_english_on_any_page_for_bad_input(page, base_url, screenshots):
    for n, url in enumerate(BAD_INPUTS):
        page.goto(base_url + url)
        typed = set(re.findall(r"[a-z]+", url.lower()))
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", page.inner_text("main") + " " + page.title())}
        assert not (words & ENGLISH) - typed, (url, (words & ENGLISH) - typed)
        if n < 2:
            page.screenshot(path=str(screenshots / f"14-bad-input-{n}.png"))


def test_item4_date_range_and_timeline_narrow_and_the_counts_match(page, base_url, screenshots):
    page.goto(base_url + "/?q=" + Q4)
    bars = page.locator("#facet-date .tl-bar")
    counts = [int(c) for c in bars.evaluate_all("els => els.map(e => e.dataset.count)")]
    assert sum(counts) == total(page) == GENERATED + 2
    page.screenshot(path=str(screenshots / "15-timeline.png"), full_page=True)
    # A bar narrows to its year; the page shows as many results as the bar said.
    label = bars.nth(2).get_attribute("aria-label")
    bars.nth(2).click()
    page.wait_for_url(re.compile(r"date_from="))
    assert total(page) == counts[2], label
    assert page.locator(".chip", has_text="Thời gian").count() == 1
    # Inside a year the timeline is per month, and still adds up.
    months = [int(c) for c in page.locator("#facet-date .tl-bar").evaluate_all("els => els.map(e => e.dataset.count)")]
    assert sum(months) == counts[2]
    # Typed dates: from 2019-01-01 to 2020-12-31.
    page.goto(base_url + "/?q=" + Q4)
    page.fill("#date_from", "2019-01-01")
    page.fill("#date_to", "2020-12-31")
    page.click("#facet-date button[type=submit]")
    page.wait_for_url(re.compile(r"date_to=2020-12-31"))
    year_counts = {v: int(page.inner_text(f'#facet-year li:has(input[value="{v}"]) .count'))
                   for v in ("2019", "2020")}
    assert total(page) == sum(year_counts.values())
    assert all(h.split(" · ")[0][-4:] in ("2019", "2020") for h in page.locator(".hit .meta").all_inner_texts())
    assert "date_from=&" not in page.url  # an empty box adds nothing to other searches' URLs
    page.screenshot(path=str(screenshots / "16-date-range.png"), full_page=True)


def test_item8_the_search_box_proposes_completions_and_the_keyboard_picks_one(page, base_url, screenshots):
    page.goto(base_url + "/")
    page.locator("#q").press_sequentially("tinh uy kien", delay=30)  # typed without accents
    options = page.locator("#q-suggestions [role=option]")
    # (answers to the words typed on the way, "tinh", may show first and are replaced)
    sync_api.expect(options.first).to_contain_text("tinh uy kien giang")
    assert "Tỉnh, thành · 2 bài" in options.first.inner_text()  # what it is, in how many articles
    assert page.get_attribute("#q", "aria-expanded") == "true"
    page.screenshot(path=str(screenshots / "17-completions.png"))
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#q", "aria-activedescendant") == "q-option-0"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=tinh\+uy\+kien\+giang"))  # folded like the words typed before it
    assert total(page) == 2
    # Escape closes the list; Tab leaves the box as if there were no list.
    page.locator("#q").fill("")
    page.locator("#q").press_sequentially("long", delay=30)
    sync_api.expect(options.first).to_be_visible()
    page.keyboard.press("Escape")
    assert page.locator("#q-suggestions").is_hidden()


@pytest.fixture(scope="module")
def dup_url(tmp_path_factory):
    """The site over a corpus holding one story three times (see test_duplicates)."""
    import threading

    from conftest import write_jsonl
    from test_duplicates import duplicate_records
    from waitress import create_server

    from index.writer import index_documents
    from web.app import create_app

    root = tmp_path_factory.mktemp("dupsite")
    index_documents([write_jsonl(root / "d.jsonl", duplicate_records())], root / "index", workers=1)
    server = create_server(create_app({"INDEX_DIR": str(root / "index")}), host="127.0.0.1", port=0, threads=2)
    threading.Thread(target=server.run, daemon=True).start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


def test_item5_near_duplicates_collapse_into_one_hit_and_expand(page, dup_url, screenshots):
    from test_duplicates import QUERY

    page.goto(dup_url + "/?q=" + QUERY)
    assert total(page) == 7
    assert page.locator(".hit").count() == 5
    folded = page.locator(".hit details.duplicates")
    assert folded.count() == 1
    assert folded.locator("summary").inner_text() == "2 bài tương tự"
    copies = folded.locator("li a")
    assert not copies.first.is_visible()
    folded.locator("summary").click()
    assert copies.count() == 2 and copies.first.is_visible()
    page.screenshot(path=str(screenshots / "18-duplicates.png"), full_page=True)
    copies.first.click()
    page.wait_for_url(re.compile(r"/doc/story-"))
