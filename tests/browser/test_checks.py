"""The checks themselves: each must fail on a page that breaks its rule (no server needed)."""

from __future__ import annotations

import pytest

from tests.browser.checks import assert_accessible, assert_focus_visible, assert_no_horizontal_scroll
from tests.browser.site import Site

pytestmark = pytest.mark.browser

ORIGIN = "http://prep.invalid"
CLEAN = '<!doctype html><html lang="en"><head><title>Clean</title></head><body><main><h1>Fine</h1></main></body></html>'


def serve(page, pages: dict[str, str], csp: str = "default-src 'self'; script-src 'self'") -> None:
    """Answer requests to ORIGIN from `pages` (path -> HTML), under a strict CSP."""

    def handle(route):
        path = route.request.url.removeprefix(ORIGIN)
        route.fulfill(body=pages[path], content_type="text/html", headers={"Content-Security-Policy": csp})

    page.route(f"{ORIGIN}/**", handle)


def test_axe_names_the_rule_the_element_and_the_help(page):
    page.set_content('<html><head><title>t</title></head><body><main><img src="data:,"></main></body></html>')
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    message = str(failure.value)
    assert "html-has-lang" in message
    assert "image-alt" in message
    assert "at img:" in message
    assert "Images must have alternative text" in message


def test_axe_passes_a_clean_page(page):
    page.set_content(CLEAN)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_sideways_scrolling_at_360_px_is_caught(page):
    page.set_content('<html lang="en"><body><div class="wide" style="width: 400px">wide</div></body></html>')
    with pytest.raises(AssertionError, match=r"scrolls sideways at 360 px.*div\.wide"):
        assert_no_horizontal_scroll(page)
    assert page.viewport_size["width"] == 1280


def test_invisible_focus_is_caught(page):
    page.set_content('<html lang="en"><head><style>a:focus { outline: none }</style></head><body><a href="#x">x</a>')
    page.keyboard.press("Tab")
    with pytest.raises(AssertionError, match="focus is not visible"):
        assert_focus_visible(page)


def test_a_page_loaded_but_never_checked_is_caught(page):
    serve(page, {"/a": CLEAN, "/b": CLEAN})
    site = Site(page, ORIGIN)
    page.goto(f"{ORIGIN}/a")
    site.visit("/b")
    with pytest.raises(AssertionError, match="pages loaded without being checked"):
        site.finish()


def test_a_csp_violation_fails_the_check(page):
    serve(page, {"/": CLEAN.replace("</main>", "</main><script>document.title = 'inline'</script>")})
    site = Site(page, ORIGIN)
    with pytest.raises(AssertionError, match="CSP violation"):
        site.visit("/")


def test_pages_without_javascript_are_audited_too(browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        serve(page, {"/clean": CLEAN, "/bad": CLEAN.replace("<h1>Fine</h1>", '<h1>Fine</h1><input type="text">')})
        site = Site(page, ORIGIN)
        site.visit("/clean")
        with pytest.raises(AssertionError, match=r"- label \(critical\): Form elements must have labels"):
            site.visit("/bad")
        site.close()
    finally:
        context.close()
