"""Fixtures: `app`, `db`, `client`, `runner`, `auth`, `mailbox` and small factories.

Every test that uses `app` runs once on SQLite and, when TEST_DATABASE_URL is set, once more
on PostgreSQL (in a schema of its own created for the run). The schema is built by the real
migrations once per database; each test starts from empty tables.
"""

from __future__ import annotations

import os
import re
import secrets
from urllib.parse import urlencode

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from prep import create_app
from prep.extensions import db as _db
from tests.mailbox import start_smtp

PASSWORD = "a long passphrase for tests"
BASE_CONFIG = {
    "APP_ENV": "testing",
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-not-for-production",
    "RATELIMIT_ENABLED": False,
    "MAIL_DEFAULT_SENDER": "CMAA Prep <no-reply@example.test>",
}


def postgres_url_for_schema(base_url: str, schema: str) -> str:
    separator = "&" if "?" in base_url else "?"
    return base_url + separator + urlencode({"options": f"-csearch_path={schema}"})


def _migrate(url: str) -> None:
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        _db.engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    """A migrated, empty database for this test session, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        _migrate(url)
        yield url
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("PostgreSQL: TEST_DATABASE_URL is not set")
    schema = f"test_{secrets.token_hex(6)}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = postgres_url_for_schema(base, schema)
    try:
        _migrate(url)
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def smtp_server():
    controller, mailbox = start_smtp()
    yield controller, mailbox
    controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    _, box = smtp_server
    box.clear()
    return box


def make_test_app(database_url: str, smtp_port: int, uploads) -> object:
    """An app on a test database, sending mail to the loopback SMTP server."""
    return create_app(
        {
            **BASE_CONFIG,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp_port,
            "SERVER_NAME": "prep.test",
            "UPLOAD_FOLDER": str(uploads),
        }
    )


def empty_tables(app) -> None:
    """Delete every row (the schema stays, for the next test) and close the connections."""
    with app.app_context():
        _db.session.remove()
        with _db.engine.begin() as conn:
            for table in reversed(_db.metadata.sorted_tables):
                conn.execute(table.delete())
        _db.engine.dispose()


@pytest.fixture
def app(database_url, smtp_server, tmp_path):
    controller, _ = smtp_server
    app = make_test_app(database_url, controller.port, tmp_path / "uploads")
    yield app
    empty_tables(app)


@pytest.fixture
def db(app):
    """The SQLAlchemy session inside an application context."""
    with app.app_context():
        yield _db.session
        _db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client, path: str = "/login") -> str:
    """The CSRF token of the client's session, read from a page's form as a browser would."""
    response = client.get(path)
    match = _CSRF_RE.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def make_user(app, email="learner@example.com", password=PASSWORD, name="Lee Learner", role="learner"):
    """Create and commit a user; returns its id."""
    from prep.auth.services import register_user

    with app.app_context():
        user = register_user(_db.session, email=email, name=name, password=password, role=role)
        _db.session.commit()
        return user.id


class AuthActions:
    def __init__(self, app, client):
        self.app, self.client = app, client

    def csrf(self, path: str = "/login") -> str:
        return csrf_token(self.client, path)

    def login(self, email="learner@example.com", password=PASSWORD):
        token = self.csrf("/login")
        return self.client.post("/login", data={"email": email, "password": password, "csrf_token": token})

    def logout(self):
        token = self.csrf("/dashboard")
        return self.client.post("/logout", data={"csrf_token": token})

    def user(self, **kwargs) -> int:
        return make_user(self.app, **kwargs)

    def login_as(self, email="learner@example.com", role="learner", name="Lee Learner") -> int:
        user_id = make_user(self.app, email=email, role=role, name=name)
        response = self.login(email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user_id

    def api_token(self, email="learner@example.com") -> str:
        from prep.auth.services import create_api_token, find_user_by_email

        with self.app.app_context():
            new = create_api_token(_db.session, find_user_by_email(_db.session, email), "test")
            _db.session.commit()
            return new.secret


@pytest.fixture
def auth(app, client):
    return AuthActions(app, client)
