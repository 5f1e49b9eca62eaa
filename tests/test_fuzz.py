"""Property-based fuzzing (Hypothesis) of every JSON endpoint and every form: never a 500,
never a partial write. Endpoints are discovered from the URL map, so new ones are covered."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from prep.extensions import db
from tests.quizbank import seed_bank

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
SKIP_FORMS = {"/logout", "/account/delete"}  # they end the session the fuzzer works in

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.sampled_from(
        [
            "2026-02-29",
            "2025-02-29",
            "1900-01-01",
            "9999-12-31",
            "",
            "0",
            "-1",
            "practice",
            "exam",
            "again",
            "easy",
            "scheduling",
            "billing-coding",
        ]
    ),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=8,
)
field_names = st.sampled_from(
    [
        "mode",
        "topics",
        "domains",
        "count",
        "difficulty",
        "filter",
        "timing",
        "time_limit_seconds",
        "choice",
        "flagged",
        "rating",
        "title",
        "provider",
        "completed_on",
        "contact_hours",
        "credential",
        "number",
        "cycle_start",
        "expires_on",
        "renewed_on",
        "kind",
        "message",
        "certifications",
        "name",
        "email",
        "guessed",
        "question_ids",
    ]
)
json_bodies = st.one_of(st.dictionaries(field_names, json_values, max_size=8), json_values)
form_bodies = st.dictionaries(st.one_of(field_names, st.text(max_size=10)), st.text(max_size=30), max_size=8)


def _routes(app, prefix_api: bool):
    found = []
    for rule in app.url_map.iter_rules():
        methods = (rule.methods or set()) & UNSAFE
        if not methods or rule.endpoint == "static":
            continue
        if rule.rule.startswith("/api/") != prefix_api:
            continue
        path = re.sub(r"<(?:int:)?[^>]+>", "1", rule.rule)
        found += [(method, path) for method in sorted(methods)]
    return found


def _row_counts():
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


@pytest.fixture
def fuzz_user(app, auth):
    seed_bank(app)
    auth.login_as()
    token = auth.api_token()
    return token


def test_json_endpoints_never_500_and_never_half_write(app, client, fuzz_user):
    routes = _routes(app, prefix_api=True)
    assert len(routes) >= 5
    headers = {"Authorization": f"Bearer {fuzz_user}"}

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(route=st.sampled_from(routes), body=json_bodies, raw=st.booleans())
    def check(route, body, raw):
        method, path = route
        with app.app_context():
            before = _row_counts()
        if raw:
            response = client.open(
                path, method=method, data=str(body), headers={**headers, "Content-Type": "application/json"}
            )
        else:
            response = client.open(path, method=method, json=body, headers=headers)
        assert response.status_code < 500, (method, path, body, response.get_data(as_text=True)[:300])
        if response.status_code >= 400:
            assert response.is_json and "error" in response.json
            with app.app_context():
                db.session.remove()
                assert _row_counts() == before, (method, path, body)

    check()


def test_forms_never_500(app, client, fuzz_user, auth):
    routes = [r for r in _routes(app, prefix_api=False) if r[1] not in SKIP_FORMS]
    assert len(routes) >= 5
    token = auth.csrf("/account")

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(route=st.sampled_from(routes), body=form_bodies, with_csrf=st.booleans())
    def check(route, body, with_csrf):
        method, path = route
        data = {**body, "csrf_token": token} if with_csrf else body
        response = client.open(path, method=method, data=data)
        assert response.status_code < 500, (method, path, body, response.get_data(as_text=True)[:300])

    check()
