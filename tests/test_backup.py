"""`flask backup OUT`: a consistent online copy of the SQLite database, and a restore."""

import sqlite3
import threading

import pytest
from sqlalchemy import create_engine, text

from prep import create_app
from tests.conftest import BASE_CONFIG, _migrate


@pytest.fixture
def sqlite_app(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    _migrate(url)
    return create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url}), tmp_path / "live.sqlite3"


def test_backup_while_writing_then_restore(sqlite_app, tmp_path):
    app, live = sqlite_app
    runner = app.test_cli_runner()
    assert (
        runner.invoke(args=["users", "create", "--email", "a@example.com", "--password", "a long passphrase"]).exit_code
        == 0
    )
    stop = threading.Event()

    def writer():
        engine = create_engine(f"sqlite:///{live}")
        n = 0
        while not stop.is_set():
            with engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO bank_sync_state (id, files_digest, active_items, synced_at) "
                        "VALUES (:id, 'x', 0, '2026-01-01 00:00:00')"
                    ),
                    {"id": 1000 + n},
                )
            n += 1
        engine.dispose()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        out = tmp_path / "backups" / "copy.sqlite3"
        result = runner.invoke(args=["backup", str(out)])
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    with sqlite3.connect(out) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT email FROM user").fetchall() == [("a@example.com",)]
    # Restore: the copy serves as the database of a new app.
    restored = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{out}"})
    client = restored.test_client()
    login = client.get("/login")
    token = login.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert (
        client.post(
            "/login", data={"email": "a@example.com", "password": "a long passphrase", "csrf_token": token}
        ).status_code
        == 302
    )


def test_backup_refuses_the_live_file_and_other_databases(sqlite_app, tmp_path):
    app, live = sqlite_app
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(live)]).exit_code != 0
    other = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    result = other.test_cli_runner().invoke(args=["backup", str(tmp_path / "x.sqlite3")])
    assert result.exit_code != 0 and "pg_dump" in result.output
