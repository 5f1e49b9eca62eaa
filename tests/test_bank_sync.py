"""`flask bank sync`: versioned, idempotent, retires instead of deleting, refuses bad banks."""

import pytest
from sqlalchemy import func, select

from prep.extensions import db as _db
from prep.models import Question, QuestionTopic, QuestionVersion
from tests.bankfiles import item, write_bank


@pytest.fixture
def bank(app, tmp_path):
    folder = tmp_path / "bank"
    app.config["QUESTION_BANK_PATH"] = str(folder)

    def write(*items, name="billing/a.yaml"):
        write_bank(folder, {name: list(items)})

    return write


def _sync(runner):
    result = runner.invoke(args=["bank", "sync"])
    return result.exit_code, result.output


def test_sync_adds_then_is_idempotent(app, runner, bank):
    bank(item("q-1"), item("q-2", topics=["billing-coding", "claims"]))
    code, out = _sync(runner)
    assert code == 0, out
    assert out.startswith("added 2, changed 0, retired 0, restored 0, unchanged 0")
    code, out = _sync(runner)
    assert out.startswith("added 0, changed 0, retired 0, restored 0, unchanged 2")
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(QuestionVersion)) == 2
        topics = _db.session.scalars(select(QuestionTopic.topic).order_by(QuestionTopic.topic)).all()
        assert topics == ["billing-coding", "billing-coding", "claims"]


def test_a_change_makes_a_new_version_and_the_old_one_survives(app, runner, bank):
    bank(item("q-1", stem="Which form does a physician office bill on?"))
    _sync(runner)
    with app.app_context():
        first = _db.session.scalar(select(QuestionVersion))
        first_id, first_stem = first.id, first.stem
    bank(item("q-1", stem="Which claim form does a physician office use?", topics=["claims"]))
    code, out = _sync(runner)
    assert out.startswith("added 0, changed 1, retired 0"), out
    with app.app_context():
        question = _db.session.scalar(select(Question).where(Question.key == "q-1"))
        assert [v.version for v in question.versions] == [1, 2]
        assert question.current_version.stem == "Which claim form does a physician office use?"
        # What an attempt recorded (the first version's id) still shows what the learner saw.
        assert _db.session.get(QuestionVersion, first_id).stem == first_stem
        assert [t.topic for t in question.topics] == ["claims"]


def test_review_metadata_alone_is_not_a_new_version(app, runner, bank):
    bank(item("q-1"))
    _sync(runner)
    bank(item("q-1", review={"reviewed_by": "second reader"}))
    code, out = _sync(runner)
    assert "changed 0" in out and "unchanged 1" in out


def test_removed_items_are_retired_not_deleted_and_can_return(app, runner, bank):
    bank(item("q-1"), item("q-2"))
    _sync(runner)
    bank(item("q-1"))
    code, out = _sync(runner)
    assert out.startswith("added 0, changed 0, retired 1, restored 0, unchanged 1"), out
    with app.app_context():
        q2 = _db.session.scalar(select(Question).where(Question.key == "q-2"))
        assert q2.retired_at is not None and q2.current_version is not None
    bank(item("q-1"), item("q-2"))
    code, out = _sync(runner)
    assert out.startswith("added 0, changed 0, retired 0, restored 1, unchanged 1"), out
    with app.app_context():
        assert _db.session.scalar(select(Question).where(Question.key == "q-2")).retired_at is None


def test_an_invalid_bank_is_refused_and_nothing_changes(app, runner, bank):
    bank(item("q-1"))
    _sync(runner)
    bank(item("q-1", stem="A different stem now"), item("q-2", answer="Z"))
    code, out = _sync(runner)
    assert code != 0
    assert "item q-2: field answer" in out
    assert "nothing was synced" in out
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(Question)) == 1
        assert _db.session.scalar(select(func.count()).select_from(QuestionVersion)) == 1


def test_check_command_exit_codes_and_summary(app, runner, bank, tmp_path):
    bank(item("q-1"), item("q-2", domain="scheduling", topics=["scheduling-methods"]))
    result = runner.invoke(args=["bank", "check"])
    assert result.exit_code == 0, result.output
    assert "billing-revenue-cycle" in result.output and "ok: no errors" in result.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("items:\n  - id: x\n    domain: nowhere\n")
    result = runner.invoke(args=["bank", "check", str(broken)])
    assert result.exit_code == 1
    assert "item x: field domain: unknown domain 'nowhere'" in result.output
    assert "broken.yaml:3" in result.output


def test_blueprint_and_topics_api(app, auth, client):
    auth.login_as()
    blueprint = client.get("/api/v1/blueprint").json
    assert blueprint["version"] == "Rev01222022"
    assert blueprint["pretest_items"] == 25 and blueprint["minutes"] == 135
    assert sum(d["items"] for d in blueprint["domains"]) == 110
    assert {"slug", "title", "items"} == set(blueprint["domains"][0])
    topics = client.get("/api/v1/topics").json["topics"]
    assert {"medical-terminology", "billing-coding", "healthcare-law"} <= {t["slug"] for t in topics}
