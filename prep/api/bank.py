"""GET /api/v1/blueprint and /api/v1/topics: the test plan and the topic tags."""

from flask import current_app, jsonify

from prep.api.blueprint import bp
from prep.bank.blueprint_file import load_blueprint


def _blueprint():
    return load_blueprint(current_app.config["QUESTION_BANK_PATH"])


@bp.get("/blueprint")
def blueprint():
    b = _blueprint()
    return jsonify(
        exam=b.exam,
        version=b.version,
        source=b.source,
        domains=[{"slug": d.slug, "title": d.title, "items": d.items} for d in b.domains],
        scored_items=b.scored_items,
        pretest_items=b.pretest_items,
        minutes=b.minutes,
    )


@bp.get("/topics")
def topics():
    return jsonify(
        topics=[{"slug": t.slug, "title": t.title, "description": t.description} for t in _blueprint().topics]
    )
