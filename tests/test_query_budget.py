"""Query budgets: the main pages issue the same number of SQL queries whatever the history size."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from prep.extensions import db
from tests.quizbank import seed_bank


@contextmanager
def count_queries(app):
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _history(client, headers, exams: int):
    """Take `exams` mock exams (answering a few questions) and submit them."""
    for _ in range(exams):
        attempt = client.post("/api/v1/attempts", json={"mode": "exam"}, headers=headers).json
        for position in range(1, 6):
            client.put(f"/api/v1/attempts/{attempt['id']}/items/{position}", json={"choice": 1}, headers=headers)
        client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers)


def _measure(app, client, headers, path_for):
    attempt = client.post("/api/v1/attempts", json={"mode": "exam"}, headers=headers).json
    counts = {}
    for name, (method, path, body) in path_for(attempt["id"]).items():
        with count_queries(app) as statements:
            response = client.open(path, method=method, json=body, headers=headers)
        assert response.status_code < 400, (name, response.status_code)
        counts[name] = len(statements)
    return counts


@pytest.mark.parametrize("sizes", [(1, 4)])
def test_main_pages_have_a_fixed_query_count(app, auth, client, sizes):
    seed_bank(app, extra_per_domain=40)
    auth.login_as()
    headers = {"X-CSRFToken": auth.csrf("/quiz/")}

    def paths(attempt_id):
        return {
            "exam question page": ("GET", f"/quiz/{attempt_id}/q/7", None),
            "autosave": ("PUT", f"/api/v1/attempts/{attempt_id}/items/7", {"choice": 2}),
            "attempt API": ("GET", f"/api/v1/attempts/{attempt_id}", None),
            "review screen": ("GET", f"/quiz/{attempt_id}/review", None),
            "history": ("GET", "/quiz/history", None),
            "dashboard": ("GET", "/dashboard", None),
            "start page": ("GET", "/quiz/", None),
        }

    small_history, large_history = sizes
    _history(client, headers, small_history)
    small = _measure(app, client, headers, paths)
    _history(client, headers, large_history - small_history)
    large = _measure(app, client, headers, paths)
    assert small == large
    assert max(small.values()) <= 14, small  # the dashboard's reminder banner: 3 queries without settings
