"""`flask users create` and `flask users token`: the contract other tools rely on."""

from prep.extensions import db
from prep.models import User


def test_create_user_and_print_a_token(app, runner, client):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Tia@Example.com",
            "--password",
            "a long passphrase",
            "--name",
            "Tia",
            "--role",
            "instructor",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.query(User).one()
        assert (user.email, user.name, user.role) == ("tia@example.com", "Tia", "instructor")
    token = runner.invoke(args=["users", "token", "--email", "tia@example.com", "--name", "ci"])
    assert token.exit_code == 0
    lines = token.output.strip().splitlines()
    assert len(lines) == 1
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {lines[0]}"})
    assert me.json["role"] == "instructor"


def test_create_user_errors_exit_non_zero(runner):
    ok = runner.invoke(args=["users", "create", "--email", "a@example.com", "--password", "a long passphrase"])
    assert ok.exit_code == 0
    duplicate = runner.invoke(args=["users", "create", "--email", "A@example.com", "--password", "a long passphrase"])
    assert duplicate.exit_code != 0
    assert "already exists" in duplicate.output
    weak = runner.invoke(args=["users", "create", "--email", "b@example.com", "--password", "password"])
    assert weak.exit_code != 0
    assert "password" in weak.output
    bad_role = runner.invoke(
        args=["users", "create", "--email", "c@example.com", "--password", "a long passphrase", "--role", "root"]
    )
    assert bad_role.exit_code != 0


def test_token_for_unknown_user_fails(runner):
    result = runner.invoke(args=["users", "token", "--email", "nobody@example.com"])
    assert result.exit_code != 0
    assert "no user" in result.output
