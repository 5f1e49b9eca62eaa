"""Engine settings per dialect: SQLite gets WAL, foreign keys and a busy timeout."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from prep.extensions import db


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def configure_engine_events(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite" and not getattr(engine, "_prep_pragmas", False):
            event.listen(engine, "connect", _sqlite_pragmas)
            engine._prep_pragmas = True
