"""The search site in a real browser: waitress serves it, Debian's chromium drives it (Playwright)."""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest
from web_conftest_helpers import GENERATED, XSS_IMG, XSS_SCRIPT, build_web_index

from web.app import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
Q4 = "nghị quyết trung ương 4"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} is missing (apt-get install chromium; never `playwright install`)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """The site over the generated corpus, served by waitress on a free localhost port."""
    from waitress import create_server

    index_dir = build_web_index(tmp_path_factory.mktemp("browsercorpus"))
    app = create_app({"INDEX_DIR": str(index_dir)})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory, request) -> Path:
    """Where screenshots go: ``$VNSEARCH_SCREENSHOTS`` or ``tests/screenshots`` in pytest's tmp dir."""
    folder = Path(os.environ.get("VNSEARCH_SCREENSHOTS") or tmp_path_factory.getbasetemp() / "tests" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
    message = f"vnsearch screenshots: {folder} ({len(list(folder.glob('*.png')))} files)"
    print(message)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(message)


@pytest.fixture(scope="module")
def browser():
    """Headless Debian chromium."""
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page whose dialogs (``alert``) are recorded and dismissed."""
    context = browser.new_context(accept_downloads=True, locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


def total(page) -> int:
    """The result count the page shows."""
    text = page.inner_text("#total")
    return 0 if "Không" in text else int(text.replace(".", ""))


def hit_ids(page) -> list[str]:
    """Ids of the listed results, in order."""
    return [re.search(r"/doc/([^?]+)", h).group(1) for h in
            page.eval_on_selector_all(".hit h3 a", "els => els.map(e => e.getAttribute('href'))")]


def test_search_filter_page_open_back_and_export(page, base_url, screenshots, record_property):
    record_property("screenshots", str(screenshots))
    page.goto(base_url + "/")
    page.fill("#q", Q4)
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=ngh"))
    assert total(page) == GENERATED + 2
    assert page.input_value("#q") == Q4
    first_page = hit_ids(page)
    assert len(first_page) == 10 and page.locator("mark").count() > 10
    page.screenshot(path=str(screenshots / "01-search.png"), full_page=True)

    # Ticking a province submits the form (small JS); the counts and results change.
    long_an = page.locator('#facet-province input[value="Long An"]')
    can_tho_count = page.inner_text('#facet-province li:has(input[value="Cần Thơ"]) .count')
    long_an.check()
    page.wait_for_url(re.compile(r"province=Long\+An"))
    assert total(page) == 3
    assert page.locator('#facet-province input[value="Long An"]').is_checked()
    assert page.inner_text('#facet-province li:has(input[value="Cần Thơ"]) .count') == can_tho_count  # disjunctive
    assert page.locator(".chip", has_text="Long An").count() == 1
    assert all("Long An" in t for t in page.locator(".hit h3").all_inner_texts())
    page.screenshot(path=str(screenshots / "02-filtered.png"), full_page=True)

    # Removing the chip restores the whole result set; then page forward.
    page.locator(".chip", has_text="Long An").click()
    page.wait_for_load_state()
    assert total(page) == GENERATED + 2 and "province" not in page.url
    page.click('a[rel="next"]')
    page.wait_for_url(re.compile(r"page=2"))
    second_page = hit_ids(page)
    # (test_web checks that pages never overlap; here: the second page shows other results)
    assert len(second_page) == 10 and second_page != first_page

    # Open an article, then go back: the URL state is restored.
    title = page.locator(".hit h3 a").first.inner_text()
    page.locator(".hit h3 a").first.click()
    page.wait_for_url(re.compile(r"/doc/"))
    assert page.inner_text("h1") == title
    assert page.locator(".body mark").count() > 0
    assert page.locator("text=Bài viết liên quan").count() == 1
    page.screenshot(path=str(screenshots / "03-article.png"), full_page=True)
    page.go_back()
    page.wait_for_url(re.compile(r"page=2"))
    assert page.input_value("#q") == Q4 and hit_ids(page) == second_page

    # Export the whole result set (every page) as CSV.
    with page.expect_download() as info:
        page.click("#export-csv")
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + GENERATED + 2 and any("Tỉnh ủy Long An" in line for line in lines)
    assert page.dialogs == []


def test_overview_and_mobile_layout(page, base_url, screenshots):
    page.goto(base_url + "/tong-quan")
    assert page.locator("svg").count() == 4
    page.screenshot(path=str(screenshots / "04-overview.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + "/?q=" + Q4)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    page.screenshot(path=str(screenshots / "05-mobile.png"), full_page=False)


def test_filter_box_lists_matching_values(page, base_url):
    page.goto(base_url + "/?q=" + Q4)
    page.fill("#ff-province-contains", "giang")
    sync_api.expect(page.locator("#facet-province .facet-values input[type=checkbox]")).to_have_count(4)
    page.locator('#facet-province input[value="Kiên Giang"]').check()
    page.wait_for_url(re.compile(r"province=Ki"))
    assert total(page) == 2


def test_without_javascript_the_form_still_filters(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/?q=" + Q4)
    page.locator('#facet-province input[value="Long An"]').check()
    page.click("aside button[type=submit]")
    page.wait_for_url(re.compile(r"province=Long\+An"))
    assert total(page) == 3
    context.close()


def test_html_in_queries_and_documents_shows_as_text_and_never_runs(page, base_url, screenshots):
    page.add_init_script("window.__xss = 0; window.alert = function () { window.__xss += 1; };")
    page.goto(base_url + "/")
    page.fill("#q", XSS_SCRIPT)
    page.press("#q", "Enter")
    page.wait_for_load_state()
    assert page.input_value("#q") == XSS_SCRIPT
    assert XSS_SCRIPT in page.title()  # shown as text in the tab title

    page.goto(base_url + "/?q=" + Q4 + "&size=30")
    titles = page.locator(".hit h3").all_inner_texts()
    assert any(XSS_SCRIPT in t for t in titles) and any(XSS_IMG in t for t in titles)
    assert page.locator(".hit img, .hit script").count() == 0
    page.goto(base_url + "/doc/xss-script?q=long+an")
    assert XSS_SCRIPT in page.inner_text("h1") and XSS_IMG in page.inner_text(".body")
    assert page.locator(".doc img, .doc script").count() == 0
    page.screenshot(path=str(screenshots / "06-xss-article.png"), full_page=True)
    page.goto(base_url + "/doc/xss-img")
    assert XSS_IMG in page.inner_text("h1")
    page.wait_for_timeout(300)  # give an onerror handler the time it would need
    assert page.evaluate("window.__xss") == 0
    assert page.dialogs == []
