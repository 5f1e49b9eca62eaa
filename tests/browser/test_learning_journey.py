"""The learning loop in a real browser: missed practice questions land in the review queue, a
review is graded, flashcards are self-graded, and the dashboard's charts render (every page
audited by axe-core and the 360-px check)."""

import re

import pytest

from tests.browser.actions import new_email, register

pytestmark = pytest.mark.browser


def _miss_two_practice_questions(site) -> int:
    """Answer A until two answers are wrong (the key's position is random); returns the misses."""
    page = site.page
    with site.navigation():
        page.get_by_role("link", name="Practice", exact=True).click()
    page.get_by_label("Scheduling", exact=True).check()
    page.get_by_label("Number of questions").fill("20")
    with site.navigation():
        page.get_by_role("button", name="Start practice").click()
    missed = 0
    for position in range(1, 21):
        assert page.get_by_role("heading", level=1).inner_text() == f"Question {position} of 20"
        page.locator("label[for=choice-0]").click()
        with site.navigation():
            page.get_by_role("button", name="Check answer").click()
        if page.locator("#feedback-heading").inner_text() == "Not correct":
            missed += 1
        if missed == 2:
            return missed
        with site.navigation():
            page.get_by_role("link", name="Next question").click()
    raise AssertionError("twenty answers of A and fewer than two wrong")


def test_missed_questions_are_reviewed_and_the_dashboard_charts_render(site):
    page = site.page
    register(site, new_email("reviews"))
    assert page.get_by_role("link", name=re.compile(r"^Review \(0 due\)$")).count() == 1
    _miss_two_practice_questions(site)
    review_link = page.get_by_role("link", name=re.compile(r"^Review \(2 due\)$"))
    with site.navigation():
        review_link.click()
    assert page.get_by_role("heading", name="Due for review (2)").is_visible()
    assert page.locator("table tbody tr").count() == 2

    with site.navigation():
        page.get_by_role("link", name="Start today’s review").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Review a question"
    with site.navigation():
        page.get_by_role("button", name="I don’t know").click()
    assert page.locator("#feedback-heading").inner_text() == "The answer"
    assert page.get_by_role("button", name="Again: continue").is_visible()
    assert page.get_by_role("button", name=re.compile("^Easy")).count() == 0
    with site.navigation():
        page.get_by_role("button", name="Again: continue").click()
    assert "You will see this question again in 10 minutes" in page.locator(".flashes").inner_text()
    # The other missed question comes next, not the one just reviewed.
    page.locator("label[for=choice-0]").click()
    with site.navigation():
        page.get_by_role("button", name="Check answer").click()
    rating = "Good: I knew it" if page.locator("#feedback-heading").inner_text() == "Correct" else "Again: continue"
    with site.navigation():
        page.get_by_role("button", name=rating).click()
    assert "Saved." in page.locator(".flashes").inner_text()

    with site.navigation():
        page.get_by_role("link", name=re.compile(r"^Review \(\d due\)$")).click()
    with site.navigation():
        page.get_by_role("link", name=re.compile(r"^Flashcards")).click()
    with site.navigation():
        page.get_by_role("link", name="Word parts").click()
    assert page.locator(".flashcard-front").inner_text() == "a-"
    page.get_by_text("Show the answer").click()
    assert "apnea" in page.locator(".flashcard-back").inner_text()
    with site.navigation():
        page.get_by_role("button", name="Good", exact=True).click()
    assert page.locator(".flashcard-front").inner_text() == "an-"

    with site.navigation():
        page.get_by_role("link", name="Dashboard").click()
    assert page.locator("svg[role=img]").count() >= 9  # 7 domains, due, streak (no mock exam yet)
    assert page.get_by_text("An estimate, not a prediction.").is_visible()
    assert "1-day streak" in page.locator(".streak").inner_text()
    page.get_by_text("Reviews due as a table").click()
    assert page.get_by_role("table", name="Reviews due per day").is_visible()
    # One click to a targeted practice set.
    with site.navigation():
        page.get_by_role("button", name=re.compile(r"^Practice 10 questions: ")).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Question 1 of 10"
