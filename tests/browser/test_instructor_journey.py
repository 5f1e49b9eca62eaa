"""An instructor runs a class through an assigned mock exam in a real Chromium: a cohort, a learner
joining with its code, a mock exam with an accommodation, the learner's attempt, a report from
the review, and the instructor seeing the completion and the score. Every page is audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.browser.actions import PASSWORD, log_in, log_out, new_email, register

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def classroom(start_server):
    """A server of its own, with an instructor and an admin made by `flask users create`."""
    server = start_server("classroom")
    accounts = {}
    for role, name in (("instructor", "Tess Teacher"), ("admin", "Ada Admin")):
        email = new_email(role)
        made = server._flask(
            "users", "create", "--email", email, "--password", PASSWORD, "--name", name, "--role", role
        )
        assert made.returncode == 0, made.stderr
        accounts[role] = email
    return server, accounts


def test_an_instructor_runs_a_class_through_an_assigned_mock_exam(site_at, classroom):
    server, accounts = classroom
    teacher = accounts["instructor"]
    site = site_at(server.url)
    page = site.page

    # The instructor creates a cohort and reads its join code.
    log_in(site, teacher)
    with site.navigation():
        page.get_by_role("link", name="Cohorts", exact=True).click()
    page.get_by_label("Cohort name").fill("Spring evening class")
    with site.navigation():
        page.get_by_role("button", name="Create cohort").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Spring evening class"
    code = page.locator(".join-code").inner_text()
    log_out(site)

    # A learner registers and joins with the code, typed in lower case.
    learner = new_email()
    register(site, learner, name="Lee Learner")
    with site.navigation():
        page.get_by_role("link", name="Your cohorts").click()
    page.get_by_label("Join code").fill(code.lower())
    with site.navigation():
        page.get_by_role("button", name="Join", exact=True).click()
    assert "You joined Spring evening class." in page.locator(".flashes").inner_text()
    log_out(site)

    # The instructor assigns a full mock exam, with time and a half for this learner.
    log_in(site, teacher)
    with site.navigation():
        page.get_by_role("link", name="Cohorts", exact=True).click()
    with site.navigation():
        page.get_by_role("link", name="Spring evening class").click()
    assert "Lee Learner" in page.locator("table").first.inner_text()
    with site.navigation():
        page.get_by_role("link", name="New assignment").click()
    page.get_by_label("Type").select_option("exam")
    page.get_by_label("Title").fill("Mock exam 1")
    page.get_by_label("Due date").fill((date.today() + timedelta(days=7)).isoformat())
    with site.navigation():
        page.get_by_role("button", name="Create assignment").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mock exam 1"
    page.get_by_label("Timing for Lee Learner").select_option("1.5x")
    with site.navigation():
        page.get_by_role("button", name="Save accommodations").click()
    assert page.get_by_label("Timing for Lee Learner").input_value() == "1.5x"
    log_out(site)

    # The learner finds it on the dashboard, takes it with the extra time, and submits.
    log_in(site, learner)
    widget = page.locator("section", has=page.get_by_role("heading", name="Assignments from your instructors"))
    assert "Mock exam 1" in widget.inner_text() and "Not started" in widget.inner_text()
    with site.navigation():
        widget.get_by_role("button", name="Start Mock exam 1").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Question 1 of 135"
    assert 12_000 < int(page.locator("#timer").get_attribute("data-seconds-left")) <= 12_150  # 202.5 minutes
    page.locator("label[for=choice-0]").click()
    with site.navigation():
        page.get_by_role("button", name="Save and next").click()
    with site.navigation():
        page.get_by_role("button", name="Review and submit").click()
    with site.navigation():
        page.get_by_role("button", name="Submit exam").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mock exam results"
    # A problem with a question is reported from the review.
    first = page.locator(".review-item").first
    first.locator("summary", has_text="Report a problem with this question").click()
    first.get_by_label("What is wrong?").select_option("unclear")
    first.get_by_label("Details").fill("Option B and C say the same thing.")
    with site.navigation():
        first.get_by_role("button", name="Send report").click()
    assert "Your report is in the editors' queue." in page.locator(".flashes").inner_text()
    log_out(site)

    # The instructor sees who completed it and the score.
    log_in(site, teacher)
    with site.navigation():
        page.get_by_role("link", name="Cohorts", exact=True).click()
    with site.navigation():
        page.get_by_role("link", name="Spring evening class").click()
    assert "completed by 1 of 1" in page.content()
    with site.navigation():
        page.get_by_role("link", name="Mock exam 1").click()
    row = page.get_by_role("row", name="Lee Learner")
    assert "Completed" in row.inner_text() and "of 110" in row.inner_text()
    with site.navigation():
        row.get_by_role("link", name="Lee Learner").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Lee Learner"
    assert "Mock exam 1: Completed" in page.locator("main").inner_text()


GIFT = b"""::q1:: Which form gives consent for treatment? {
=The signed consent form
~The encounter form
~The superbill
~The ledger card
}

::q2:: Which code set describes diagnoses? {
=ICD-10-CM
~CPT
~HCPCS Level II
~NDC
}

::essay:: Describe your front-desk routine. {}
"""


def test_collection_upload_item_report_queue_and_office_pages(site_at, classroom):
    server, accounts = classroom
    site = site_at(server.url)
    page = site.page

    # The instructor uploads a GIFT file, previews what is imported and skipped, and confirms.
    log_in(site, accounts["instructor"])
    with site.navigation():
        page.get_by_role("link", name="Cohorts", exact=True).click()
    with site.navigation():
        page.get_by_role("link", name="Collections and uploads").click()
    page.get_by_label("Question file", exact=True).set_input_files(
        {"name": "front-desk.gift", "mimeType": "text/plain", "buffer": GIFT}
    )
    page.get_by_label("Format").select_option("gift")
    page.get_by_label("Collection name").fill("Front desk")
    page.get_by_label("Domain").select_option("patient-encounter")
    with site.navigation():
        page.get_by_role("button", name="Preview the import").click()
    text = page.locator("main").inner_text()
    assert "2 questions will be imported, 1 skipped." in text and "Line 15, essay: skipped" in text
    with site.navigation():
        page.get_by_role("button", name="Import 2 questions").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Front desk"
    log_out(site)

    # A learner reports a problem after a practice question's feedback, then creates an office
    # and shares their certifications with it.
    register(site, new_email(), name="Rosa Diaz")
    with site.navigation():
        page.get_by_role("link", name="Practice", exact=True).click()
    page.get_by_label("Billing and coding").check()
    page.get_by_label("Number of questions").fill("5")
    with site.navigation():
        page.get_by_role("button", name="Start practice").click()
    page.locator("label[for=choice-0]").click()
    with site.navigation():
        page.get_by_role("button", name="Check answer").click()
    page.locator("summary", has_text="Report a problem with this question").click()
    page.get_by_label("What is wrong?").select_option("wrong_key")
    page.get_by_label("Details").fill("The rationale contradicts the key.")
    with site.navigation():
        page.get_by_role("button", name="Send report").click()
    assert "Your report is in the editors' queue." in page.locator(".flashes").inner_text()
    with site.navigation():
        page.get_by_role("link", name="Dashboard").click()
    with site.navigation():
        page.get_by_role("link", name="Your offices").click()
    page.get_by_label("Office name").fill("Main Street Clinic")
    with site.navigation():
        page.get_by_role("button", name="Create office").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Main Street Clinic: staff certifications"
    with site.navigation():
        page.get_by_role("button", name="Email me a weekly summary").click()
    with site.navigation():
        page.get_by_role("link", name="Your offices").click()
    with site.navigation():
        page.get_by_role("button", name="Share my certifications with Main Street Clinic").click()
    assert "now see the status of your certifications" in page.locator(".flashes").inner_text()
    log_out(site)

    # The admin works through the queue, with the item's statistics beside the report.
    log_in(site, accounts["admin"])
    with site.navigation():
        page.get_by_role("link", name="Reports", exact=True).click()
    card = page.locator(".report-card", has_text="The rationale contradicts the key.")
    assert "The marked answer is wrong" in card.inner_text() and "First attempts (n)" in card.inner_text()
    with site.navigation():
        page.get_by_role("link", name="Item analysis of the whole bank").click()
    with site.navigation():
        page.get_by_role("link", name="every answered item").click()
    with site.navigation():
        page.get_by_role("link", name="Reports", exact=True).click()
    with site.navigation():
        page.locator(".report-card", has_text="The rationale contradicts the key.").get_by_role(
            "button", name="Mark resolved"
        ).click()
    assert "Report marked resolved." in page.locator(".flashes").inner_text()
