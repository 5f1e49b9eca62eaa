"""Security headers, cookies, CSRF on forms, safe redirects."""

import pytest

from prep.security import safe_next_url
from tests.conftest import csrf_token


@pytest.mark.parametrize("path", ["/", "/login", "/register", "/nope", "/api/v1/me", "/static/css/app.css"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_session_cookie_flags(auth, client):
    auth.user()
    response = auth.login()
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # http in tests


def test_secure_cookie_when_https(app, auth, client):
    app.config["SESSION_COOKIE_SECURE"] = True
    auth.user()
    response = auth.login()
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.parametrize(
    "path,data",
    [
        ("/register", {"name": "N", "email": "n@example.com", "password": "a long passphrase here"}),
        ("/login", {"email": "n@example.com", "password": "x"}),
        ("/password/forgot", {"email": "n@example.com"}),
        ("/logout", {}),
    ],
)
def test_forms_refuse_posts_without_csrf(client, path, data):
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert "could not be accepted" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/account/password", "/account/tokens", "/account/delete", "/account/tokens/1/revoke"]
)
def test_account_forms_refuse_posts_without_csrf(auth, client, path):
    auth.login_as()
    assert client.post(path, data={}).status_code == 400
    assert client.post(path, data={"csrf_token": "forged"}).status_code == 400


def test_csrf_token_from_another_session_is_refused(app, auth, client):
    auth.user()
    other = app.test_client()
    foreign = csrf_token(other)
    response = client.post("/login", data={"email": "learner@example.com", "password": "x", "csrf_token": foreign})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "target,expected",
    [
        ("/dashboard", "/dashboard"),
        ("/account?tab=1", "/account?tab=1"),
        ("https://evil.example", None),
        ("//evil.example", None),
        ("/\\evil.example", None),
        ("javascript:alert(1)", None),
        ("dashboard", None),
        ("/\x00x", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_next_url(target, expected):
    assert safe_next_url(target) == expected


def test_login_required_pages_redirect_to_login_with_next(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert "/login?next=/account" in response.headers["Location"]
