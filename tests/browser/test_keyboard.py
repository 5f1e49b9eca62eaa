"""A keyboard-only journey: Tab, Shift+Tab, Enter, Space and typing, nothing else.

On every page the skip link is the first stop and focus is always visible; the login page
has the expected order of stops, forwards and backwards.
"""

from __future__ import annotations

import pytest

from tests.browser.actions import PASSWORD, new_email
from tests.browser.checks import assert_focus_visible, focused

pytestmark = pytest.mark.browser


def header_stops(page) -> list[str]:
    """The header's tab stops in document order: skip link, brand, then the main navigation."""
    links = page.locator("nav[aria-label='Main'] :is(a, button)").all_inner_texts()
    return ["Skip to main content", "CMAA Prep", *(" ".join(text.split()) for text in links)]


def press(page, key: str) -> dict:
    """Press a focus-moving key; the element it lands on must show its focus."""
    page.keyboard.press(key)
    return assert_focus_visible(page)


def tab_stops(page, count: int, key: str = "Tab") -> list[str]:
    return [press(page, key)["name"] for _ in range(count)]


def tab_to(page, name: str, limit: int = 40) -> dict:
    seen = []
    for _ in range(limit):
        element = press(page, "Tab")
        if element["name"] == name:
            return element
        seen.append(element["name"])
    raise AssertionError(f"Tab never reached {name!r} on {page.url}; stops: {seen}")


def test_keyboard_only_journey(site):
    page, email = site.page, new_email("keyboard")
    site.visit("/")

    assert press(page, "Tab")["name"] == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    assert press(page, "Tab")["name"] == "Create a free account"
    with site.navigation():
        page.keyboard.press("Enter")
    assert site.path == "/register"

    header = header_stops(page)
    assert header[2:] == ["Log in", "Create account"]
    assert tab_stops(page, len(header) + 4) == [*header, "Name", "Email address", "Password", "Create account"]
    assert tab_stops(page, 3, key="Shift+Tab") == ["Password", "Email address", "Name"]
    page.keyboard.type("Kim Keyboard")
    press(page, "Tab")
    page.keyboard.type(email)
    press(page, "Tab")
    page.keyboard.type(PASSWORD)
    assert press(page, "Tab")["type"] == "submit"
    with site.navigation():
        page.keyboard.press("Enter")
    assert site.path == "/dashboard"

    header = header_stops(page)
    assert {"Dashboard", "Account", "Log out"} <= set(header)
    assert tab_stops(page, len(header)) == header
    back = header[header.index("Account") : -1][::-1]
    assert tab_stops(page, len(back), key="Shift+Tab") == back
    with site.navigation():
        page.keyboard.press("Enter")
    assert site.path == "/account"

    assert tab_stops(page, len(header)) == header
    tab_to(page, "Token name")
    page.keyboard.type("from the keyboard")
    assert press(page, "Tab")["name"] == "Create token"
    with site.navigation(status=201):
        page.keyboard.press("Space")
    assert page.get_by_label("Token", exact=True).input_value().startswith("cmaa_")

    tab_to(page, "Log out")
    with site.navigation():
        page.keyboard.press("Space")
    assert site.path == "/"

    header = header_stops(page)
    assert tab_stops(page, header.index("Log in") + 1) == header[: header.index("Log in") + 1]
    with site.navigation():
        page.keyboard.press("Enter")
    assert site.path == "/login"

    expected = [
        *header_stops(page),
        "Email address",
        "Password",
        "Keep me signed in on this device",
        "Log in",
        "Forgot your password?",
        "Create an account",
    ]
    assert tab_stops(page, len(expected)) == expected
    assert tab_stops(page, 5, key="Shift+Tab") == expected[-2:-7:-1]
    assert focused(page)["name"] == "Email address"
    page.keyboard.type(email)
    press(page, "Tab")
    page.keyboard.type(PASSWORD)
    assert press(page, "Tab")["type"] == "checkbox"
    page.keyboard.press("Space")
    assert page.get_by_label("Keep me signed in on this device").is_checked()
    assert press(page, "Tab")["type"] == "submit"
    with site.navigation():
        page.keyboard.press("Enter")
    assert site.path == "/dashboard"
    assert press(page, "Tab")["name"] == "Skip to main content"
