"""Every error page a browser can reach, checked like any other page.

404, 400 and 405 come from the real app. 429 and 413 come from a second server with a tight
login limit and a small body limit; 403 and 500, which no page can lead to yet, from two
test-only routes on that server (tests/browser/error_app.py).
"""

from __future__ import annotations

import pytest

from tests.browser.actions import new_email, register

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def strict_server(start_server) -> str:
    """Rate limiting on (2 logins a minute), request bodies above 1 KiB refused."""
    env = {"RATELIMIT_ENABLED": "1", "LOGIN_RATE_LIMIT": "2 per minute", "MAX_CONTENT_LENGTH": "1024"}
    return start_server("strict", env=env, app_spec="tests.browser.error_app:app").url


@pytest.fixture
def strict_site(site_at, strict_server):
    return site_at(strict_server)


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def test_not_found_page_leads_back_to_the_start(site):
    site.visit("/no-such-page", status=404)
    assert heading(site.page) == "Error 404"
    assert "We could not find that page." in site.page.locator("main").inner_text()
    with site.navigation():
        site.page.get_by_role("link", name="Go to the start page").click()
    assert site.path == "/"


def test_not_found_page_for_a_logged_in_user(site):
    register(site, new_email())
    site.visit("/dashboard/nothing-here", status=404)
    assert heading(site.page) == "Error 404"
    assert site.page.get_by_role("button", name="Log out").is_visible()


def test_invalid_reset_link(site):
    site.visit("/password/reset/garbage", status=400)
    assert heading(site.page) == "This reset link is not valid"
    with site.navigation():
        site.page.get_by_role("link", name="Ask for a new link").click()
    assert site.path == "/password/forgot"


def test_method_not_allowed(site):
    site.visit("/logout", status=405)
    assert heading(site.page) == "Error 405"


def test_too_many_login_attempts(strict_site):
    page = strict_site.page
    strict_site.visit("/login")
    for status in (401, 401, 429):
        page.get_by_label("Email address").fill("someone@example.com")
        page.get_by_label("Password", exact=True).fill("not the right password")
        with strict_site.navigation(status=status):
            page.get_by_role("button", name="Log in").click()
    assert heading(page) == "Error 429"
    assert "Too many attempts. Wait a minute and try again." in page.locator("main").inner_text()


def test_request_too_large(strict_site):
    page = strict_site.page
    strict_site.visit("/register")
    page.get_by_label("Name").fill("Rosa Diaz")
    page.get_by_label("Email address").fill(new_email())
    page.get_by_label("Password", exact=True).fill("a long passphrase " * 55)
    with strict_site.navigation(status=413):
        page.get_by_role("button", name="Create account").click()
    assert heading(page) == "Error 413"
    assert "too large" in page.locator("main").inner_text()


def test_forbidden_and_server_error_pages(strict_site):
    strict_site.visit("/_test/forbidden", status=403)
    assert heading(strict_site.page) == "Error 403"
    strict_site.visit("/_test/crash", status=500)
    assert heading(strict_site.page) == "Error 500"
    assert "Traceback" not in strict_site.page.content()
