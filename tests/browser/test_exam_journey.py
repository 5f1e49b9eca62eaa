"""A learner takes a timed mock exam in the browser, reloads mid-way, submits and reviews;
a practice set with feedback; the exam without JavaScript; the clock's spoken warnings."""

import pytest
from playwright.sync_api import expect

from tests.browser.actions import new_email, register

pytestmark = pytest.mark.browser


def _start_exam(site, timing_label="Standard time (135 minutes)"):
    page = site.page
    with site.navigation():
        page.get_by_role("link", name="Practice", exact=True).click()
    page.get_by_label(timing_label).check()
    with site.navigation():
        page.get_by_role("button", name="Start mock exam").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Question 1 of 135"


def test_mock_exam_reload_submit_review(site):
    page = site.page
    register(site, new_email())
    _start_exam(site)
    status = page.locator("#save-status")
    # Saved twice in a row shows the same text: clear it so each save is observed.
    # Answer question 1 with the mouse: saved at once, before moving on.
    page.locator("label[for=choice-1]").click()
    expect(status).to_have_text("Saved.")
    page.evaluate("document.getElementById('save-status').textContent = ''")
    page.keyboard.press("f")  # flag with the keyboard shortcut
    expect(status).to_have_text("Saved.")
    with site.navigation():
        page.get_by_role("button", name="Save and next").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Question 2 of 135"
    page.locator("body").press("3")
    expect(status).to_have_text("Saved.")
    # A reload (or a closed browser) loses nothing that was saved.
    with site.navigation():
        page.reload()
    assert page.locator("#choice-2").is_checked()
    first = page.locator(".navigator-list a").first
    assert "answered, flagged" in first.inner_text()  # what a screen reader hears, not only colour
    with site.navigation():
        first.click()
    assert page.locator("#choice-1").is_checked() and page.locator("#flagged").is_checked()
    # The clock can be hidden and shown again.
    toggle = page.get_by_role("button", name="Hide clock")
    toggle.click()
    assert page.get_by_role("button", name="Show clock").get_attribute("aria-pressed") == "true"
    assert page.locator("#timer-value").is_hidden()
    page.get_by_role("button", name="Show clock").click()
    with site.navigation():
        page.get_by_role("button", name="Review and submit").click()
    assert "Unanswered (133)" in page.content() and "Flagged for review (1)" in page.content()
    with site.navigation():
        page.get_by_role("button", name="Submit exam").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mock exam results"
    assert "NHA does not publish" in page.content()
    with site.navigation():
        page.get_by_role("link", name="flagged", exact=True).click()
    assert page.locator(".review-item").count() == 1
    assert "Your answer" in page.locator(".review-item").inner_text()


def test_practice_set_shows_feedback(site):
    page = site.page
    register(site, new_email())
    with site.navigation():
        page.get_by_role("link", name="Practice", exact=True).click()
    page.get_by_label("Billing and coding").check()
    page.get_by_label("Number of questions").fill("5")
    with site.navigation():
        page.get_by_role("button", name="Start practice").click()
    page.locator("label[for=choice-0]").click()
    with site.navigation():
        page.get_by_role("button", name="Check answer").click()
    heading = page.locator("#feedback-heading").inner_text()
    assert heading in ("Correct", "Not correct")
    assert page.locator(".rationales li").count() == 4
    assert page.evaluate("document.activeElement.id") == "feedback"
    with site.navigation():
        page.get_by_role("link", name="Next question").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Question 2 of 5"


def test_exam_core_flow_without_javascript(browser, site_at, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 800})
    try:
        site = site_at(live_server)
        site.page = context.new_page()  # the audited site now drives a no-JavaScript page
        register(site, new_email())
        _start_exam(site, "Untimed")
        page = site.page
        assert page.locator("#timer").count() == 0
        page.locator("#choice-3").check()
        with site.navigation():
            page.get_by_role("button", name="Save and next").click()
        with site.navigation():
            page.get_by_role("button", name="Previous").click()
        assert page.locator("#choice-3").is_checked()
        with site.navigation():
            page.get_by_role("button", name="Review and submit").click()
        with site.navigation():
            page.get_by_role("button", name="Submit exam").click()
        assert "Mock exam results" in page.content()
    finally:
        context.close()


def test_time_warnings_are_announced(site):
    page = site.page
    register(site, new_email())
    _start_exam(site)
    # Fake timers from here on: the page's clock script runs again under them after a reload.
    page.clock.install()
    with site.navigation():
        page.reload()
    announcer = page.locator("#timer-announcer")
    assert announcer.get_attribute("aria-live") == "polite"
    page.clock.run_for("01:45:01")
    expect(announcer).to_have_text("30 minutes left.")
    page.clock.run_for("00:15:00")
    expect(announcer).to_have_text("15 minutes left.")
