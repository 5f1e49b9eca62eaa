"""An Anki package (.apkg, built with `genanki`) of the learner's missed questions and the word parts.

Model and deck ids are fixed and every note's guid derives from the question key or the word
part, so importing a newer export into Anki updates the notes instead of duplicating them.
"""

from __future__ import annotations

import html
import io
import itertools
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

import genanki
from sqlalchemy import select
from sqlalchemy.orm import Session

from prep.models.question import Question, QuestionVersion
from prep.models.review import ReviewCard
from prep.review.terminology import WordPart

GUID_NAMESPACE = "cmaa-prep"
DECK_MISSED_ID = 1_734_905_118
DECK_TERMS_ID = 1_734_905_119
MODEL_QUESTION_ID = 1_734_905_120
MODEL_TERM_ID = 1_734_905_121
LETTERS = "ABCD"
CSS = ".card { font-family: system-ui, sans-serif; font-size: 18px; text-align: left; color: #1b1f24; }"

QUESTION_MODEL = genanki.Model(
    MODEL_QUESTION_ID,
    "CMAA Prep question",
    fields=[{"name": "Key"}, {"name": "Question"}, {"name": "Answer"}, {"name": "Rationale"}, {"name": "Domain"}],
    templates=[
        {
            "name": "Question",
            "qfmt": "{{Question}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}<p>{{Rationale}}</p><p><small>{{Domain}} · {{Key}}</small></p>',
        }
    ],
    css=CSS,
)
TERM_MODEL = genanki.Model(
    MODEL_TERM_ID,
    "CMAA Prep word part",
    fields=[{"name": "Part"}, {"name": "Meaning"}, {"name": "Type"}, {"name": "Example"}],
    templates=[
        {
            "name": "Meaning",
            "qfmt": "{{Part}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Meaning}}<p>{{Type}}; for example <i>{{Example}}</i></p>',
        }
    ],
    css=CSS,
)


def question_guid(key: str) -> str:
    return genanki.guid_for(GUID_NAMESPACE, "question", key)


def word_part_guid(part: WordPart) -> str:
    return genanki.guid_for(GUID_NAMESPACE, "word-part", part.key)


def missed_questions(db: Session, user_id: int) -> list[tuple[str, QuestionVersion]]:
    """(key, current version) of the learner's questions missed at least once, by key."""
    rows = db.execute(
        select(Question.key, QuestionVersion)
        .join(ReviewCard, ReviewCard.question_id == Question.id)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(ReviewCard.user_id == user_id, ReviewCard.kind == "question", ReviewCard.misses > 0)
        .order_by(Question.key)
    ).all()
    return [(key, version) for key, version in rows]


def _question_note(key: str, version: QuestionVersion) -> genanki.Note:
    options = "".join(f"<li>{LETTERS[n]}. {html.escape(text)}</li>" for n, text in enumerate(version.options))
    question = f'<p>{html.escape(version.stem)}</p><ol type="A">{options}</ol>'
    answer = f"<b>{LETTERS[version.answer]}. {html.escape(version.options[version.answer])}</b>"
    return genanki.Note(
        model=QUESTION_MODEL,
        fields=[
            html.escape(key),
            question,
            answer,
            html.escape(version.rationales[version.answer]),
            html.escape(version.domain),
        ],
        guid=question_guid(key),
        tags=["cmaa-prep", version.domain],
    )


def _term_note(part: WordPart) -> genanki.Note:
    return genanki.Note(
        model=TERM_MODEL,
        fields=[
            html.escape(part.part),
            html.escape("; ".join(part.meanings)),
            html.escape(part.type_label),
            html.escape(part.example),
        ],
        guid=word_part_guid(part),
        tags=["cmaa-prep", "word-part", part.type],
    )


def build_package(missed: Sequence[tuple[str, QuestionVersion]], parts: Iterable[WordPart], now: datetime) -> bytes:
    """The .apkg file: a zip with the collection (`collection.anki2`, SQLite) and an empty media map."""
    missed_deck = genanki.Deck(DECK_MISSED_ID, "CMAA Prep::Missed questions")
    for key, version in missed:
        missed_deck.add_note(_question_note(key, version))
    terms_deck = genanki.Deck(DECK_TERMS_ID, "CMAA Prep::Word parts")
    for part in parts:
        terms_deck.add_note(_term_note(part))
    package = genanki.Package([missed_deck, terms_deck])
    timestamp = now.timestamp()
    with tempfile.TemporaryDirectory(prefix="apkg-") as folder:
        path = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(path)
        try:
            package.write_to_db(connection.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
            connection.commit()
        finally:
            connection.close()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(path, "collection.anki2")
            archive.writestr("media", "{}")
    return buffer.getvalue()
