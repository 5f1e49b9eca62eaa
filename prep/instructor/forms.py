"""Instructor and learner forms for cohorts, assignments and collection uploads (CSRF on each)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from prep.core.blueprint import Blueprint
from prep.core.exam import ACCOMMODATIONS
from prep.instructor.collections import FORMAT_LABELS
from prep.quiz.options import PRACTICE_COUNT_RANGE

TIMING_LABELS = {"standard": "Standard time", "1.5x": "Time and a half", "2x": "Double time", "untimed": "Untimed"}
assert set(TIMING_LABELS) == set(ACCOMMODATIONS)


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class CheckboxListField(SelectMultipleField):
    """A multiple choice shown as checkboxes, each with its own label."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ActionForm(FlaskForm):
    """CSRF only: buttons that change something."""


class CohortForm(FlaskForm):
    name = StringField("Cohort name", validators=[DataRequired("Enter a name."), Length(max=120)])


class JoinForm(FlaskForm):
    code = StringField(
        "Join code",
        validators=[DataRequired("Enter the code your instructor gave you.")],
        description="Eight letters and digits, for example ABCD-2345. Capitals and the dash are optional.",
    )


class InviteForm(FlaskForm):
    emails = TextAreaField(
        "Email addresses",
        validators=[DataRequired("Enter at least one email address.")],
        description="One or more addresses, separated by commas or new lines. Each gets a link that works once, "
        "for 14 days.",
    )


class AssignmentForm(FlaskForm):
    kind = SelectField(
        "Type",
        choices=choices([("practice", "Practice set"), ("exam", "Full mock exam")]),
        validators=[DataRequired()],
    )
    title = StringField("Title", validators=[DataRequired("Enter a title learners will recognise."), Length(max=200)])
    due_on = DateField("Due date", validators=[InputRequired("Enter the due date.")])
    count = IntegerField(
        "Number of questions (practice set)",
        validators=[Optional(), NumberRange(*PRACTICE_COUNT_RANGE)],
        default=20,
        description=f"{PRACTICE_COUNT_RANGE[0]} to {PRACTICE_COUNT_RANGE[1]}.",
    )
    collection_id = SelectField("Questions from (practice set)", validators=[Optional()])
    topics = CheckboxListField("Topics (practice set, optional)")
    domains = CheckboxListField("Domains (practice set, optional)")
    timing = SelectField(
        "Timing (mock exam)",
        choices=choices(TIMING_LABELS.items()),
        default="standard",
        description="Learners with an accommodation get their own timing on the assignment's page.",
    )

    def set_choices(self, blueprint: Blueprint, collections) -> None:
        self.topics.choices = choices((t.slug, t.title) for t in blueprint.topics)
        self.domains.choices = choices((d.slug, d.title) for d in blueprint.domains)
        self.collection_id.choices = choices(
            [("", "The question bank")]
            + [(str(c.id), f"My collection: {c.name} ({n} questions)") for c, n in collections]
        )


class UploadForm(FlaskForm):
    file = FileField(
        "Question file",
        validators=[FileRequired("Choose a file.")],
        description="GIFT, Aiken or Moodle XML, up to 2 MiB. Single-answer questions with four options are imported; "
        "the preview lists everything else as skipped.",
    )
    format = SelectField("Format", choices=choices(FORMAT_LABELS.items()), validators=[DataRequired()])
    name = StringField(
        "Collection name", validators=[Length(max=200)], description="Leave empty to use the file's name."
    )
    domain = SelectField(
        "Domain",
        validators=[Optional()],
        description="For questions whose file does not name a domain (our own exports do).",
    )
    topics = CheckboxListField("Topics for every question (optional)")

    def set_choices(self, blueprint: Blueprint) -> None:
        self.domain.choices = choices([("", "Take it from the file")] + [(d.slug, d.title) for d in blueprint.domains])
        self.topics.choices = choices((t.slug, t.title) for t in blueprint.topics)
