"""Account steps a person takes in the browser, as reusable helpers on a `Site`."""

from __future__ import annotations

import secrets

from tests.conftest import PASSWORD

__all__ = ["PASSWORD", "log_in", "log_out", "new_email", "register"]


def new_email(who: str = "learner") -> str:
    """A fresh address: every test works on its own accounts in the shared live database."""
    return f"{who}-{secrets.token_hex(4)}@example.com"


def register(site, email: str, name: str = "Rosa Diaz", password: str = PASSWORD) -> None:
    page = site.page
    site.visit("/register")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    with site.navigation():
        page.get_by_role("button", name="Create account").click()
    assert site.path == "/dashboard"
    assert page.get_by_role("heading", level=1).inner_text() == f"Welcome, {name}"


def log_in(site, email: str, password: str = PASSWORD, status: int = 200) -> None:
    """Log in from the login page; `status` 401 expects the form to be refused."""
    page = site.page
    if site.path != "/login":
        site.visit("/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    with site.navigation(status=status):
        page.get_by_role("button", name="Log in").click()
    if status == 200:
        assert site.path == "/dashboard"
    else:
        assert site.path == "/login"


def log_out(site) -> None:
    with site.navigation():
        site.page.get_by_role("button", name="Log out").click()
    assert site.path == "/"
    assert "You have logged out." in site.page.locator(".flashes").inner_text()
