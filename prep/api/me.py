"""GET /api/v1/me: who the caller is."""

from flask import g, jsonify

from prep.api.blueprint import bp


@bp.get("/me")
def me():
    user = g.api_user
    return jsonify(id=user.id, email=user.email, name=user.name, role=user.role)
