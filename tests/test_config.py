"""Configuration from the environment."""

import pytest

from prep.config import ConfigError, load_config


def test_production_refuses_to_start_without_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config(tmp_path, {"APP_ENV": "production"})


def test_production_with_secret_key_uses_secure_cookies(tmp_path):
    config = load_config(tmp_path, {"APP_ENV": "production", "SECRET_KEY": "s" * 40})
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["PREFERRED_URL_SCHEME"] == "https"


def test_development_keeps_a_generated_key_in_the_instance_folder(tmp_path):
    first = load_config(tmp_path, {})["SECRET_KEY"]
    assert first == load_config(tmp_path, {})["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert load_config(tmp_path, {})["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'prep.sqlite3'}"


def test_database_url_and_bad_values(tmp_path):
    config = load_config(tmp_path, {"DATABASE_URL": "postgresql+psycopg://u@h/db", "SECRET_KEY": "k"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    with pytest.raises(ConfigError, match="MAIL_PORT"):
        load_config(tmp_path, {"MAIL_PORT": "twenty-five", "SECRET_KEY": "k"})
    with pytest.raises(ConfigError, match="APP_ENV"):
        load_config(tmp_path, {"APP_ENV": "staging"})


def test_sqlite_has_wal_and_foreign_keys(app):
    from prep.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_reminder_offsets_are_read_and_checked(tmp_path):
    config = load_config(tmp_path, {"REMINDER_EXPIRY_OFFSETS": "30, 7", "REMINDER_PACE_MONTHS": "6"})
    assert config["REMINDER_EXPIRY_OFFSETS"] == (30, 7)
    assert config["REMINDER_PACE_MONTHS"] == (6,)
    assert config["REMINDER_PROVISIONAL_OFFSETS"] == (60, 30, 7)
    with pytest.raises(ConfigError, match="REMINDER_REINSTATEMENT_OFFSETS: “soon” is not a whole number"):
        load_config(tmp_path, {"REMINDER_REINSTATEMENT_OFFSETS": "30, soon"})
