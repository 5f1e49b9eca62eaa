"""Operations commands: `flask backup OUT` (an online, consistent copy of the SQLite database)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url


def backup_sqlite(source: Path, target: Path, pages_per_step: int = 1024) -> None:
    """Copy a live SQLite database with the online backup API (writers may keep writing)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".partial")
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(partial) as dst:
        src.backup(dst, pages=pages_per_step)
        ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
    if ok != "ok":
        partial.unlink(missing_ok=True)
        raise click.ClickException(f"the copy failed its integrity check: {ok}")
    partial.replace(target)


@click.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(out: Path) -> None:
    """Write a consistent copy of the SQLite database to OUT while the app keeps running.

    For PostgreSQL use pg_dump (see the README); this command refuses other databases.
    """
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise click.ClickException("backup copies a SQLite database file; for PostgreSQL use pg_dump (see README)")
    source = Path(url.database)
    if not source.exists():
        raise click.ClickException(f"no database at {source}")
    if out.resolve() == source.resolve():
        raise click.ClickException("OUT must not be the live database")
    backup_sqlite(source, out)
    click.echo(f"backed up {source} to {out} ({out.stat().st_size} bytes)")
