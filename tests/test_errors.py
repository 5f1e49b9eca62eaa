"""Error pages for people, the same errors as JSON for the API."""

import pytest
from flask import abort


@pytest.fixture
def failing_app(app):
    @app.get("/boom/<int:status>")
    def boom(status):
        abort(status)

    @app.get("/api/v1/boom/<int:status>")
    def api_boom(status):
        abort(status)

    @app.get("/crash")
    def crash():
        raise RuntimeError("unexpected")

    @app.get("/api/v1/crash")
    def api_crash():
        raise RuntimeError("unexpected")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.mark.parametrize("status", [400, 403, 404, 413, 429, 500])
def test_error_pages(failing_app, status):
    client = failing_app.test_client()
    response = client.get(f"/boom/{status}")
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert f"Error {status}" in response.get_data(as_text=True)
    api = client.get(f"/api/v1/boom/{status}")
    assert api.status_code == status
    assert api.mimetype == "application/json"
    assert set(api.json["error"]) == {"code", "message"}


@pytest.mark.parametrize("status", [400, 403, 404, 413, 429, 500])
def test_api_errors_as_json(failing_app, auth, status):
    auth.user()
    token = auth.api_token()
    response = failing_app.test_client().get(f"/api/v1/boom/{status}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == status
    assert set(response.json["error"]) >= {"code", "message"}


def test_unexpected_exception_is_a_500_page_not_a_traceback(failing_app, auth):
    client = failing_app.test_client()
    response = client.get("/crash")
    assert response.status_code == 500
    assert "Traceback" not in response.get_data(as_text=True)
    auth.user()
    token = auth.api_token()
    api = client.get("/api/v1/crash", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 500
    assert api.json["error"]["code"] == "internal_server_error"


def test_oversized_request_is_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/login", data={"email": "x" * 4096})
    assert response.status_code == 413
