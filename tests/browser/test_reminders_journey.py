"""Renewal reminders in a real Chromium: a CMAA expiring in 20 days shows a banner on the
dashboard; the list, dismissing it, and the settings (a bad offset list, then a good one).
Every page is audited.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.actions import new_email, register

pytestmark = pytest.mark.browser


def test_a_certification_expiring_soon_gets_a_banner_a_list_and_settings(site):
    page = site.page
    today = datetime.now(UTC).date()  # the server's day
    expires = today + timedelta(days=20)
    register(site, new_email("reminders"), name="Rosa Diaz")
    assert page.get_by_role("region", name="Renewal reminder").count() == 0

    site.visit("/ce/certifications/new")
    page.get_by_label("Credential", exact=True).select_option("nha-cmaa")
    page.get_by_label("Certificate number").fill("REM-20")
    page.get_by_label("Cycle start").fill((expires - timedelta(days=730)).isoformat())
    page.get_by_label("Expiration date").fill(expires.isoformat())
    with site.navigation():
        page.get_by_role("button", name="Save certification").click()

    with site.navigation():
        page.get_by_role("link", name="Dashboard").click()
    banner = page.get_by_role("region", name="Renewal reminder")
    assert "Your CMAA REM-20 certification expires on" in banner.inner_text() and "in 20 days" in banner.inner_text()
    assert "You still need 10 credits" in banner.inner_text()

    with site.navigation():
        banner.get_by_role("link", name="All your reminders").click()
    assert site.path == "/reminders/"
    assert page.get_by_role(
        "heading", level=3, name="CMAA REM-20 expires in 20 days: 10 credits still needed"
    ).is_visible()

    with site.navigation():
        banner.get_by_role("button", name="Dismiss the reminder about CMAA REM-20").click()
    assert "Reminder dismissed" in page.locator(".flashes").inner_text()
    shown = banner.inner_text()  # the next reminder, the pace nudge, takes its place
    assert "behind an even CE pace" in shown and "certification expires on" not in shown
    assert page.get_by_text("Dismissed: not shown in the banner.").is_visible()

    with site.navigation():
        page.get_by_role("link", name="Reminder settings").first.click()
    page.get_by_label("Days before expiry").fill("30, soon")
    with site.navigation(status=422):
        page.get_by_role("button", name="Save reminder settings").click()
    assert "“soon” is not a whole number of days." in page.locator("#expiry_offsets-error").inner_text()

    page.get_by_label("Days before expiry").fill("30, 7")
    page.get_by_label("As a banner in the app").uncheck()
    with site.navigation():
        page.get_by_role("button", name="Save reminder settings").click()
    assert "Your reminder settings have been saved." in page.locator(".flashes").inner_text()
    assert page.get_by_label("Days before expiry").input_value() == "30, 7"

    with site.navigation():
        page.get_by_role("button", name="Create my calendar address").click()
    feed = page.get_by_label("Your private calendar address").input_value()
    assert feed.startswith(site.base_url + "/calendar/") and feed.endswith(".ics")

    with site.navigation():
        page.get_by_role("link", name="Dashboard").click()
    assert page.get_by_role("region", name="Renewal reminder").count() == 0
