"""Account journeys in a real Chromium against a real server; every page is audited."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.browser.actions import PASSWORD, log_in, log_out, new_email, register
from tests.mailbox import body_text

pytestmark = pytest.mark.browser

NEW_PASSWORD = "another quite long phrase for the browser"
WRONG_LOGIN = "The email address or password is not correct."


def error_summary(page) -> str:
    return page.get_by_role("alert").inner_text()


def field_error(page, field_id: str) -> str:
    """The error text tied to a field, found the way assistive technology finds it."""
    field = page.locator(f"#{field_id}")
    assert field.get_attribute("aria-invalid") == "true"
    described = field.get_attribute("aria-describedby") or ""
    assert f"{field_id}-error" in described.split()
    return " ".join(page.locator(f"#{field_id}-error").text_content().split())


def test_register_log_out_log_in_and_a_wrong_password(site):
    page, email = site.page, new_email()
    site.visit("/")
    with site.navigation():
        page.get_by_role("link", name="Create a free account").click()
    assert site.path == "/register"

    with site.navigation(status=422):
        page.get_by_role("button", name="Create account").click()
    assert "This field is required." in field_error(page, "name")

    register(site, email, name="Rosa Diaz")
    assert "Your account is ready." in page.locator(".flashes").inner_text()
    log_out(site)

    log_in(site, email, "not the right password at all", status=401)
    assert error_summary(page) == WRONG_LOGIN
    assert page.get_by_label("Email address").input_value() == email
    log_in(site, email)
    assert page.get_by_role("link", name="Dashboard").get_attribute("aria-current") == "page"


def test_forgotten_password_reset_by_email(site, mailbox):
    page, email = site.page, new_email()
    register(site, email)
    log_out(site)

    site.visit("/login")
    with site.navigation():
        page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email address").fill(email.upper())
    with site.navigation():
        page.get_by_role("button", name="Send reset link").click()
    assert site.path == "/login"
    assert "we have sent it a link" in page.locator(".flashes").inner_text()

    message = mailbox.last_to(email)
    link = re.search(r"http://\S+/password/reset/\S+", body_text(message)).group(0)
    assert link.startswith(site.base_url + "/")
    reset_path = urlsplit(link).path
    site.visit(reset_path)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD + " typo")
    with site.navigation(status=422):
        page.get_by_role("button", name="Set new password").click()
    assert "The passwords do not match." in field_error(page, "confirm")

    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    with site.navigation():
        page.get_by_role("button", name="Set new password").click()
    assert site.path == "/login"
    assert "Your password has been changed." in page.locator(".flashes").inner_text()

    log_in(site, email, PASSWORD, status=401)
    log_in(site, email, NEW_PASSWORD)
    log_out(site)
    site.visit(reset_path, status=400)
    assert page.get_by_role("heading", level=1).inner_text() == "This reset link is not valid"


def test_change_password_on_the_account_page(site):
    page, email = site.page, new_email()
    register(site, email)
    with site.navigation():
        page.get_by_role("link", name="Account").click()
    assert site.path == "/account"
    assert page.get_by_role("link", name="Account").get_attribute("aria-current") == "page"

    page.get_by_label("Current password").fill("not my current password")
    page.get_by_label("New password").fill(NEW_PASSWORD)
    with site.navigation(status=422):
        page.get_by_role("button", name="Change password").click()
    assert field_error(page, "pw-current_password")

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password").fill(NEW_PASSWORD)
    with site.navigation():
        page.get_by_role("button", name="Change password").click()
    assert "Your password has been changed." in page.locator(".flashes").inner_text()

    log_out(site)
    log_in(site, email, PASSWORD, status=401)
    log_in(site, email, NEW_PASSWORD)


def test_api_token_created_used_and_revoked(site, api):
    page, email = site.page, new_email()
    register(site, email)
    site.visit("/account")
    assert "You have no API tokens." in page.locator("main").inner_text()

    page.get_by_label("Token name").fill("my-script")
    with site.navigation(status=201):
        page.get_by_role("button", name="Create token").click()
    token = page.get_by_label("Token", exact=True).input_value()
    assert token.startswith("cmaa_")
    assert page.get_by_role("cell", name="my-script", exact=True).is_visible()

    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status == 200
    assert me.json()["email"] == email

    with site.navigation():
        page.get_by_role("button", name="Revoke token my-script").click()
    assert "The token has been revoked." in page.locator(".flashes").inner_text()
    assert "You have no API tokens." in page.locator("main").inner_text()

    revoked = api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert revoked.status == 401
    assert revoked.json()["error"]["code"] == "unauthorized"


def test_delete_the_account(site):
    page, email = site.page, new_email()
    register(site, email)
    site.visit("/account")
    delete = page.get_by_role("region", name="Delete your account")

    delete.get_by_label("Your password").fill(PASSWORD)
    with site.navigation(status=422):
        delete.get_by_role("button", name="Delete my account").click()
    assert field_error(page, "del-confirm") == "Error: Tick the box to confirm."

    delete.get_by_label("Your password").fill(PASSWORD)
    delete.get_by_label("I understand").check()
    with site.navigation():
        delete.get_by_role("button", name="Delete my account").click()
    assert site.path == "/"
    assert "Your account and all its data have been deleted." in page.locator(".flashes").inner_text()

    log_in(site, email, PASSWORD, status=401)
    assert error_summary(page) == WRONG_LOGIN
