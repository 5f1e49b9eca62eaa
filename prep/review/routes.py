"""Review pages: the due queue, the daily session, flashcards, leeches, settings, Anki export.

Every page works without JavaScript. A question is reviewed in two steps (answer, then see the
rationale and rate it); a flashcard shows its back in a <details> element with the rating
buttons. The due count in the navigation comes from one query per request, kept on `g`.
"""

from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from prep.bank.blueprint_file import load_blueprint
from prep.core import readiness
from prep.core import review as rules
from prep.extensions import db
from prep.models.base import utcnow
from prep.navigation import navigation_figures
from prep.review import anki, flashcards, presenters, progress, services
from prep.review import session as daily
from prep.review.forms import ActionForm, SettingsForm
from prep.review.services import ReviewError
from prep.review.terminology import word_parts
from prep.security import safe_next_url

bp = Blueprint("review", __name__, url_prefix="/review")


def _bank_path() -> str:
    return current_app.config["QUESTION_BANK_PATH"]


def _nav_due_count() -> int | None:
    """Cards due for the logged-in learner (None when logged out or the database fails)."""
    if not current_user.is_authenticated:
        return None
    if "review_due_count" not in g:
        try:
            g.review_due_count = navigation_figures(db.session, current_user.id, utcnow())[0]
        except SQLAlchemyError:
            db.session.rollback()
            current_app.logger.warning("could not count due reviews for the navigation", exc_info=True)
            g.review_due_count = None
    return g.review_due_count


@bp.app_context_processor
def _review_globals():
    return {"review_due_count": _nav_due_count}


def _check_csrf_form() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


def _refuse(exc: ReviewError):
    db.session.rollback()
    abort(exc.status, description=exc.message)


@bp.get("/")
@login_required
def index():
    now = utcnow()
    uid = current_user.id
    counts = services.due_counts(db.session, uid, now)
    due = services.due_questions(db.session, uid, now, limit=100)
    return render_template(
        "review/index.html",
        now=now,
        counts=counts,
        due=due,
        leeches=services.cards_with_questions(db.session, uid, suspended=False),
        suspended=services.cards_with_questions(db.session, uid, suspended=True),
        decks=flashcards.deck_summary(db.session, uid, _bank_path(), now),
        new_left=max(0, rules.NEW_PER_SESSION_DAY - daily.new_questions_today(db.session, uid, now)),
        retention=services.desired_retention(db.session, uid),
        titles={d.slug: d.title for d in load_blueprint(_bank_path()).domains},
        form=ActionForm(),
        presenters=presenters,
    )


def _weak_domains(now):
    def domains() -> list[str]:
        blueprint = load_blueprint(_bank_path())
        result = progress.readiness_for(db.session, current_user.id, blueprint, now)
        return [d.domain for d in readiness.study_next(result, limit=len(blueprint.domains))]

    return domains


@bp.get("/session")
@login_required
def session():
    now = utcnow()
    pick = daily.next_session_question(
        db.session, current_user.id, now, _weak_domains(now), just_reviewed=request.args.get("after")
    )
    if pick is None:
        return render_template("review/done.html", counts=services.due_counts(db.session, current_user.id, now))
    item = services.question_for_review(db.session, current_user.id, pick.key)
    return _ask(item, new=pick.new)


def _ask(item, new: bool = False, error: str | None = None, status: int = 200):
    return (
        render_template(
            "review/question.html",
            item=item,
            new=new,
            error=error,
            answered=False,
            form=ActionForm(),
            leech=item.card is not None and rules.is_leech(item.card.misses),
        ),
        status,
    )


def _item_or_404(key: str):
    item = services.question_for_review(db.session, current_user.id, key)
    if item is None:
        abort(404)
    return item


@bp.get("/q/<key>")
@login_required
def question(key: str):
    return _ask(_item_or_404(key))


def _choice(raw: str | None) -> int | None:
    if raw in (None, ""):
        return None
    if raw not in ("0", "1", "2", "3"):
        abort(400)
    return int(raw)


@bp.post("/q/<key>")
@login_required
def check(key: str):
    """Show the key and the rationales, and ask for a rating; nothing is stored yet."""
    _check_csrf_form()
    item = _item_or_404(key)
    choice = _choice(request.form.get("choice"))
    if choice is None and request.form.get("action") != "dont-know":
        return _ask(item, error="Choose an answer, or press “I don’t know”.", status=422)
    correct = choice == item.version.answer
    return render_template(
        "review/question.html",
        item=item,
        new=False,
        error=None,
        answered=True,
        choice=choice,
        correct=correct,
        ratings=rules.allowed_ratings(correct),
        form=ActionForm(),
        leech=item.card is not None and rules.is_leech(item.card.misses),
    )


@bp.post("/q/<key>/grade")
@login_required
def grade(key: str):
    _check_csrf_form()
    item = _item_or_404(key)
    reps = request.form.get("reps", "")
    if not reps.isdigit():
        abort(400)
    now = utcnow()
    try:
        card = services.grade_question(
            db.session,
            current_user.id,
            item,
            request.form.get("rating"),
            now,
            "review",
            choice=_choice(request.form.get("choice")),
            answered=True,
            expected_reps=int(reps),
        )
    except ReviewError as exc:
        if exc.status == 409:
            db.session.rollback()
            flash("That review was already saved.", "info")
            return redirect(url_for("review.session"))
        _refuse(exc)
    db.session.commit()
    flash(f"Saved. You will see this question again {presenters.until(card.due, now)}.", "success")
    return redirect(url_for("review.session", after=key))


@bp.post("/cards/<int:card_id>/suspend")
@login_required
def suspend(card_id: int):
    return _set_suspended(card_id, True)


@bp.post("/cards/<int:card_id>/restore")
@login_required
def restore(card_id: int):
    return _set_suspended(card_id, False)


def _set_suspended(card_id: int, suspended: bool):
    _check_csrf_form()
    if services.set_suspended(db.session, current_user.id, card_id, suspended) is None:
        abort(404)
    db.session.commit()
    flash("Suspended: it stays out of your reviews until you restore it." if suspended else "Restored.", "success")
    return redirect(safe_next_url(request.form.get("next")) or url_for("review.index"))


@bp.get("/flashcards")
@login_required
def decks():
    return render_template(
        "review/flashcards.html", decks=flashcards.deck_summary(db.session, current_user.id, _bank_path(), utcnow())
    )


@bp.get("/flashcards/<deck>")
@login_required
def flashcard(deck: str):
    if deck not in flashcards.DECKS:
        abort(404)
    card = flashcards.next_flashcard(db.session, current_user.id, deck, _bank_path(), utcnow())
    return render_template(
        "review/flashcard.html",
        deck=deck,
        title=flashcards.DECK_TITLES[deck],
        card=card,
        ratings=rules.RATINGS,
        form=ActionForm(),
    )


@bp.post("/flashcards/<deck>")
@login_required
def grade_flashcard(deck: str):
    _check_csrf_form()
    reps = request.form.get("reps", "")
    if deck not in flashcards.DECKS or not reps.isdigit():
        abort(404 if deck not in flashcards.DECKS else 400)
    now = utcnow()
    try:
        card = flashcards.grade_flashcard(
            db.session,
            current_user.id,
            deck,
            request.form.get("key", ""),
            request.form.get("rating"),
            now,
            _bank_path(),
            expected_reps=int(reps),
        )
    except ReviewError as exc:
        if exc.status == 409:
            db.session.rollback()
            flash("That card was already graded.", "info")
            return redirect(url_for("review.flashcard", deck=deck))
        _refuse(exc)
    db.session.commit()
    flash(f"Saved. Next time: {presenters.until(card.due, now)}.", "success")
    return redirect(url_for("review.flashcard", deck=deck))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = SettingsForm()
    if form.validate_on_submit():
        services.set_desired_retention(db.session, current_user.id, form.desired_retention.data)
        db.session.commit()
        flash("Your review settings are saved.", "success")
        return redirect(url_for("review.settings"))
    status = 422 if form.is_submitted() else 200
    if not form.is_submitted():
        form.desired_retention.data = f"{services.desired_retention(db.session, current_user.id):.2f}"
    return render_template("review/settings.html", form=form), status


@bp.get("/export/cmaa-prep.apkg")
@login_required
def export_anki():
    now = utcnow()
    data = anki.build_package(anki.missed_questions(db.session, current_user.id), word_parts(_bank_path()), now)
    return send_file(
        io.BytesIO(data),
        mimetype="application/octet-stream",
        as_attachment=True,
        download_name=f"cmaa-prep-{now:%Y-%m-%d}.apkg",
    )
