"""Helpers for the learning-loop tests: answer practice and exam items through the API."""

from __future__ import annotations

from sqlalchemy import select

from prep.extensions import db
from prep.models import Question, ReviewCard, ReviewLog


def bearer(auth, email: str = "learner@example.com") -> dict:
    auth.user(email=email)
    return {"Authorization": f"Bearer {auth.api_token(email)}"}


def key_position(item: dict) -> int:
    """Where the key is shown (the generated bank's key option reads 'key N')."""
    return next(n for n, text in enumerate(item["options"]) if text.startswith("key "))


def wrong_position(item: dict) -> int:
    return (key_position(item) + 1) % 4


def start(client, headers, **body) -> dict:
    response = client.post("/api/v1/attempts", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def answer(client, headers, attempt: dict, position: int, correct: bool, **extra):
    item = attempt["items"][position - 1]
    choice = key_position(item) if correct else wrong_position(item)
    return client.put(
        f"/api/v1/attempts/{attempt['id']}/items/{position}", json={"choice": choice, **extra}, headers=headers
    )


def question_key(app, attempt: dict, position: int) -> str:
    """The bank key of an attempt's item, read from the database (the exam API hides it)."""
    from prep.models import AttemptItem

    with app.app_context():
        item = db.session.scalar(
            select(AttemptItem).where(AttemptItem.attempt_id == attempt["id"], AttemptItem.position == position)
        )
        return db.session.get(Question, item.question_id).key


def card(app, key: str, kind: str = "question", email: str = "learner@example.com") -> ReviewCard | None:
    from prep.models import User

    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        found = db.session.scalar(
            select(ReviewCard).where(ReviewCard.user_id == user_id, ReviewCard.kind == kind, ReviewCard.key == key)
        )
        if found is not None:
            db.session.expunge(found)
        return found


def logs(app, card_id: int) -> list[ReviewLog]:
    with app.app_context():
        rows = list(db.session.scalars(select(ReviewLog).where(ReviewLog.card_id == card_id).order_by(ReviewLog.id)))
        for row in rows:
            db.session.expunge(row)
        return rows
