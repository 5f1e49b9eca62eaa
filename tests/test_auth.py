"""Accounts end to end through the Flask test client, with a real SMTP server."""

import re

import pytest
import time_machine

from prep.extensions import db as _db
from prep.models import User
from tests.conftest import PASSWORD, csrf_token
from tests.mailbox import body_text


def _register(client, **data):
    form = {"name": "Rosa Diaz", "email": "rosa@example.com", "password": PASSWORD, **data}
    form["csrf_token"] = csrf_token(client, "/register")
    return client.post("/register", data=form)


def test_register_logs_in_and_lands_on_dashboard(client):
    response = _register(client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")
    assert "Welcome, Rosa Diaz" in client.get("/dashboard").get_data(as_text=True)


def test_email_is_case_insensitive_and_unique(app, client):
    assert _register(client, email="Rosa@Example.COM").status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    response = _register(client, email="rosa@example.com")
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)
    with app.app_context():
        assert [u.email for u in _db.session.query(User)] == ["rosa@example.com"]


def test_short_and_common_passwords_are_refused_naming_the_field(client):
    short = _register(client, password="short")
    assert short.status_code == 422
    assert 'id="password-error"' in short.get_data(as_text=True)
    common = _register(client, password="passwordpassword")
    assert common.status_code == 422
    assert "too common" in common.get_data(as_text=True)


def test_login_error_does_not_say_which_part_was_wrong(auth):
    auth.user()
    wrong_password = auth.login(password="not the right password")
    unknown_email = auth.login(email="nobody@example.com")
    for response in (wrong_password, unknown_email):
        assert response.status_code == 401
        assert "The email address or password is not correct." in response.get_data(as_text=True)


def test_login_accepts_any_case_of_email_and_renews_the_session(auth, client):
    auth.user()
    client.get("/login")
    with client.session_transaction() as s:
        s["planted"] = "by an attacker"
    response = auth.login(email="LEARNER@example.com")
    assert response.status_code == 302
    with client.session_transaction() as s:
        assert "planted" not in s


def test_next_redirects_only_to_this_site(auth, client):
    auth.user()
    for target, expected in [
        ("/account", "/account"),
        ("https://evil.example/", "/dashboard"),
        ("//evil.example/", "/dashboard"),
        ("/\\evil.example", "/dashboard"),
    ]:
        token = csrf_token(client, "/login")
        response = client.post(
            "/login",
            query_string={"next": target},
            data={"email": "learner@example.com", "password": PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 302
        assert response.headers["Location"] == expected, target
        auth.logout()


def test_logout_requires_post_with_csrf(auth, client):
    auth.login_as()
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/dashboard").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/dashboard").status_code == 302


def _reset_link(mailbox, email) -> str:
    message = mailbox.last_to(email)
    assert message["Subject"] == "Reset your CMAA Prep password"
    assert message.get_body(preferencelist=("html",)) is not None
    match = re.search(r"https?://\S+/password/reset/\S+", body_text(message))
    assert match
    return match.group(0).split("prep.test", 1)[1]


def test_password_reset_by_emailed_single_use_link(app, auth, client, mailbox):
    auth.user()
    response = client.post(
        "/password/forgot", data={"email": "learner@example.com", "csrf_token": csrf_token(client, "/password/forgot")}
    )
    assert response.status_code == 302
    path = _reset_link(mailbox, "learner@example.com")
    assert client.get(path).status_code == 200
    new_password = "a brand new passphrase"
    form = {"new_password": new_password, "confirm": new_password, "csrf_token": csrf_token(client, path)}
    assert client.post(path, data=form).status_code == 302
    assert auth.login(password=PASSWORD).status_code == 401
    assert auth.login(password=new_password).status_code == 302
    auth.logout()
    # The same link cannot be used twice.
    assert client.get(path).status_code == 400


def test_reset_for_unknown_email_says_the_same_and_sends_nothing(client, mailbox):
    response = client.post(
        "/password/forgot", data={"email": "ghost@example.com", "csrf_token": csrf_token(client, "/password/forgot")}
    )
    assert response.status_code == 302
    assert mailbox.messages == []


def test_reset_link_expires_after_an_hour(auth, client, mailbox):
    auth.user()
    with time_machine.travel("2026-03-01 10:00:00Z", tick=False):
        client.post(
            "/password/forgot",
            data={"email": "learner@example.com", "csrf_token": csrf_token(client, "/password/forgot")},
        )
        path = _reset_link(mailbox, "learner@example.com")
    with time_machine.travel("2026-03-01 10:59:00Z", tick=False):
        assert client.get(path).status_code == 200
    with time_machine.travel("2026-03-01 11:00:30Z", tick=False):
        assert client.get(path).status_code == 400


def test_tampered_reset_link_is_refused(client):
    assert client.get("/password/reset/not-a-token").status_code == 400


def test_change_password_signs_out_other_sessions(app, auth, client):
    auth.login_as()
    other = app.test_client()
    assert (
        other.post(
            "/login", data={"email": "learner@example.com", "password": PASSWORD, "csrf_token": csrf_token(other)}
        ).status_code
        == 302
    )
    new_password = "another long passphrase"
    token = csrf_token(client, "/account")
    wrong = client.post(
        "/account/password",
        data={"pw-current_password": "wrong wrong wrong", "pw-new_password": new_password, "csrf_token": token},
    )
    assert wrong.status_code == 422
    assert "current password is not correct" in wrong.get_data(as_text=True)
    ok = client.post(
        "/account/password",
        data={"pw-current_password": PASSWORD, "pw-new_password": new_password, "csrf_token": token},
    )
    assert ok.status_code == 302
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302


def test_delete_account_removes_user_and_tokens(app, auth, client):
    auth.login_as()
    auth.api_token()
    token = csrf_token(client, "/account")
    refused = client.post("/account/delete", data={"del-password": PASSWORD, "csrf_token": token})
    assert refused.status_code == 422
    assert "Tick the box" in refused.get_data(as_text=True)
    done = client.post("/account/delete", data={"del-password": PASSWORD, "del-confirm": "y", "csrf_token": token})
    assert done.status_code == 302
    with app.app_context():
        assert _db.session.query(User).count() == 0
        assert _db.session.execute(_db.text("SELECT COUNT(*) FROM api_token")).scalar() == 0
    assert client.get("/dashboard").status_code == 302


def test_roles_default_to_learner(app, auth):
    user_id = auth.user()
    with app.app_context():
        assert _db.session.get(User, user_id).role == "learner"


def test_login_is_rate_limited_with_a_clear_429(app, auth):
    from prep import create_app
    from tests.conftest import BASE_CONFIG, AuthActions

    auth.user()
    limited = create_app(
        {
            **BASE_CONFIG,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "RATELIMIT_ENABLED": True,
            "LOGIN_RATE_LIMIT": "3 per minute",
        }
    )
    actions = AuthActions(limited, limited.test_client())
    statuses = [actions.login(password="wrong passphrase here").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    assert "Too many attempts" in actions.login().get_data(as_text=True)
    api_like = limited.test_client().post("/login", headers={"Accept": "application/json"})
    assert api_like.status_code in (400, 429)


def test_rate_limit_storage_in_redis_is_shared_between_app_servers(app, auth):
    """Two app instances (two servers) share one limit when RATELIMIT_STORAGE_URI is Redis."""
    import redis

    from prep import create_app
    from tests.conftest import BASE_CONFIG, AuthActions

    uri = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(uri).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    auth.user()
    config = {
        **BASE_CONFIG,
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "RATELIMIT_ENABLED": True,
        "LOGIN_RATE_LIMIT": "3 per minute",
        "RATELIMIT_STORAGE_URI": uri,
    }
    first, second = create_app(config), create_app(config)
    statuses = [
        AuthActions(server, server.test_client()).login(password="wrong passphrase here").status_code
        for server in (first, second, first, second)
    ]
    assert statuses == [401, 401, 401, 429]
    redis.Redis.from_url(uri).flushdb()
