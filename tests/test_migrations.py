"""Migrations build the schema the models describe, and can be undone."""

import os
import secrets

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from prep import create_app
from prep.extensions import db
from tests.conftest import BASE_CONFIG, postgres_url_for_schema


def _fresh_urls(tmp_path):
    yield "sqlite", f"sqlite:///{tmp_path / 'fresh.sqlite3'}", None
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        schema = f"mig_{secrets.token_hex(6)}"
        yield "postgresql", postgres_url_for_schema(base, schema), (base, schema)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrade_matches_models_and_downgrade_to_base(tmp_path, backend):
    urls = {name: (url, pg) for name, url, pg in _fresh_urls(tmp_path)}
    if backend not in urls:
        pytest.skip("PostgreSQL: TEST_DATABASE_URL is not set")
    url, pg = urls[backend]
    admin = None
    if pg:
        admin = create_engine(pg[0])
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{pg[1]}"'))
    try:
        app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                diff = compare_metadata(context, db.metadata)
            assert diff == [], f"models and migrations disagree: {diff}"
            downgrade(revision="base")
            tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
            assert tables == set()
            upgrade()
            db.engine.dispose()
    finally:
        if admin is not None:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{pg[1]}" CASCADE'))
            admin.dispose()
