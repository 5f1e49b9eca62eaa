"""API authentication: Bearer tokens, sessions with CSRF, JSON errors, never redirects."""

from tests.conftest import csrf_token


def test_me_with_a_bearer_token(auth, client):
    auth.user(name="Kofi Mensah")
    token = auth.api_token()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert set(response.json) == {"id", "email", "name", "role"}
    assert response.json["name"] == "Kofi Mensah"
    assert response.json["role"] == "learner"


def test_api_without_credentials_is_401_json_not_a_redirect(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert "message" in response.json["error"]


def test_invalid_and_revoked_tokens_are_refused(app, auth, client):
    auth.login_as()
    token = auth.api_token()
    bad = app.test_client().get("/api/v1/me", headers={"Authorization": "Bearer cmaa_wrong"})
    assert bad.status_code == 401
    basic = app.test_client().get("/api/v1/me", headers={"Authorization": "Basic Zm9vOmJhcg=="})
    assert basic.status_code == 401
    page = client.get("/account").get_data(as_text=True)
    assert "test" in page
    from prep.extensions import db
    from prep.models import ApiToken

    with app.app_context():
        token_id = db.session.query(ApiToken.id).scalar()
    response = client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 302
    revoked = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert revoked.status_code == 401


def test_tokens_created_on_the_account_page_are_shown_once(app, auth, client):
    auth.login_as()
    response = client.post(
        "/account/tokens", data={"tok-name": "my script", "csrf_token": csrf_token(client, "/account")}
    )
    assert response.status_code == 201
    import re

    secret = re.search(r'value="(cmaa_[^"]+)"', response.get_data(as_text=True)).group(1)
    assert secret not in client.get("/account").get_data(as_text=True)
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_cannot_revoke_someone_elses_token(app, auth, client):
    auth.user(email="owner@example.com")
    auth.api_token("owner@example.com")
    auth.login_as(email="intruder@example.com")
    from prep.extensions import db
    from prep.models import ApiToken

    with app.app_context():
        token_id = db.session.query(ApiToken.id).scalar()
    response = client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.query(ApiToken).count() == 1


def test_session_requests_to_the_api_need_csrf_but_bearer_requests_do_not(app, auth, client):
    auth.login_as()
    assert client.get("/api/v1/me").status_code == 200
    # A state-changing API call from a cookie session without a CSRF token is refused.
    refused = client.post("/api/v1/me")
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == "csrf_failed"
    with_token = client.post("/api/v1/me", headers={"X-CSRFToken": csrf_token(client, "/account")})
    assert with_token.status_code == 405
    token = auth.api_token()
    bearer = app.test_client().post("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert bearer.status_code == 405
    assert bearer.json["error"]["code"] == "method_not_allowed"


def test_api_errors_are_json(client):
    response = client.get("/api/v1/does-not-exist")
    assert response.status_code == 404
    assert response.json == {"error": {"code": "not_found", "message": "We could not find that page."}}
