"""Quiz pages: start, answer (works without JavaScript), review, submit, results, history."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from prep.bank.blueprint_file import load_blueprint
from prep.core import exam
from prep.extensions import db
from prep.models.base import utcnow
from prep.quiz import presenters, services
from prep.quiz.errors import QuizError
from prep.quiz.forms import ActionForm, start_data_from_form
from prep.quiz.options import FILTERS, PRACTICE_COUNT_RANGE, parse_start

bp = Blueprint("quiz", __name__, url_prefix="/quiz")
REVIEW_FILTERS = ("all", "wrong", "flagged", "unanswered")


def _blueprint():
    return load_blueprint(current_app.config["QUESTION_BANK_PATH"])


def _attempt(attempt_id: int):
    attempt = services.get_attempt(db.session, current_user.id, attempt_id, utcnow())
    if attempt is None:
        abort(404)
    db.session.commit()  # keeps an expiry that the read triggered
    return attempt


def _selected(form) -> dict:
    getlist = getattr(form, "getlist", lambda _name: [])
    return {name: getlist(name) for name in ("topics", "domains", "difficulty")}


@bp.get("/")
@login_required
def start():
    attempts = services.list_attempts(db.session, current_user.id, utcnow(), limit=20)
    db.session.commit()
    return render_template(
        "quiz/start.html",
        blueprint=_blueprint(),
        form=ActionForm(),
        filters=FILTERS,
        count_range=PRACTICE_COUNT_RANGE,
        open_attempts=[a for a in attempts if a.status == "open"],
        errors={},
        values={},
        selected=_selected({}),
    )


@bp.post("/start")
@login_required
def start_post():
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    blueprint = _blueprint()
    data = start_data_from_form(request.form)
    try:
        options = parse_start(data, blueprint)
        attempt = services.start_attempt(db.session, current_user.id, options, blueprint, utcnow())
    except QuizError as exc:
        db.session.rollback()
        return render_template(
            "quiz/start.html",
            blueprint=blueprint,
            form=form,
            filters=FILTERS,
            count_range=PRACTICE_COUNT_RANGE,
            open_attempts=[],
            errors={exc.field or "form": exc.message},
            values=request.form,
            selected=_selected(request.form),
        ), exc.status
    db.session.commit()
    return redirect(url_for("quiz.question", attempt_id=attempt.id, position=1))


@bp.get("/<int:attempt_id>/q/<int:position>")
@login_required
def question(attempt_id: int, position: int):
    attempt = _attempt(attempt_id)
    if attempt.finished:
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    if not 1 <= position <= attempt.item_count:
        abort(404)
    item = services.item_at(db.session, attempt, position)
    show = request.args.get("show", "all")
    if show not in ("all", "unanswered", "flagged", "answered"):
        show = "all"
    return render_template(
        "quiz/question.html",
        attempt=attempt,
        item=item,
        navigator=presenters.navigator_items(services.item_marks(db.session, attempt), item.position, show),
        options=presenters.displayed_options(item),
        feedback=presenters.feedback(item) if attempt.mode == "practice" and item.choice is not None else None,
        seconds_left=exam.seconds_left(attempt.deadline, utcnow()),
        deadline=presenters.iso(attempt.deadline),
        form=ActionForm(),
        show=show,
    )


@bp.post("/<int:attempt_id>/q/<int:position>")
@login_required
def answer(attempt_id: int, position: int):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    attempt = _attempt(attempt_id)
    if attempt.finished:
        flash("Time is up: the attempt has been submitted with the answers saved before the deadline.", "info")
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    raw_choice = request.form.get("choice")
    action = request.form.get("action", "next")
    kwargs = {"flagged": request.form.get("flagged") == "y"}
    if action == "clear" and attempt.mode == "exam":
        kwargs["choice"] = None
    elif raw_choice is not None:
        if raw_choice not in ("0", "1", "2", "3"):
            abort(400)
        kwargs["choice"] = int(raw_choice)
        if attempt.mode == "practice":
            kwargs["guessed"] = request.form.get("guessed") == "y"
    try:
        services.save_answer(db.session, attempt, position, utcnow(), **kwargs)
    except QuizError as exc:
        db.session.commit()
        if exc.code == "attempt_closed":
            return redirect(url_for("quiz.result", attempt_id=attempt.id))
        if exc.code != "already_answered":
            abort(exc.status)
    db.session.commit()
    target = position
    if action == "next":
        # Practice shows feedback first; the page's "Next" link moves on.
        target = position if attempt.mode == "practice" and raw_choice is not None else position + 1
    elif action == "prev":
        target = position - 1
    elif action == "review":
        return redirect(url_for("quiz.review", attempt_id=attempt.id))
    elif action.startswith("goto-") and action[5:].isdigit():
        target = int(action[5:])
    if target > attempt.item_count:
        return redirect(url_for("quiz.review", attempt_id=attempt.id))
    return redirect(url_for("quiz.question", attempt_id=attempt.id, position=max(1, target)))


@bp.get("/<int:attempt_id>/review")
@login_required
def review(attempt_id: int):
    attempt = _attempt(attempt_id)
    if attempt.finished:
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    return render_template(
        "quiz/review.html",
        attempt=attempt,
        form=ActionForm(),
        unanswered=[i for i in attempt.items if i.choice is None],
        flagged=[i for i in attempt.items if i.flagged],
        seconds_left=exam.seconds_left(attempt.deadline, utcnow()),
        deadline=presenters.iso(attempt.deadline),
    )


@bp.post("/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    attempt = _attempt(attempt_id)
    services.finalise(db.session, attempt, utcnow(), "submitted")
    db.session.commit()
    return redirect(url_for("quiz.result", attempt_id=attempt.id))


@bp.get("/<int:attempt_id>/result")
@login_required
def result(attempt_id: int):
    attempt = _attempt(attempt_id)
    if not attempt.finished:
        return redirect(url_for("quiz.review", attempt_id=attempt.id))
    blueprint = _blueprint()
    data = presenters.result_payload(attempt, blueprint)
    show = request.args.get("show", "all")
    show = show if show in REVIEW_FILTERS else "all"
    items = [
        i
        for i in data["items"]
        if show == "all"
        or (show == "wrong" and i["choice"] is not None and not i["correct"])
        or (show == "flagged" and i["flagged"])
        or (show == "unanswered" and i["choice"] is None)
    ]
    missed = [i["question_id"] for i in data["items"] if not i["correct"]]
    titles = {d.slug: d.title for d in blueprint.domains}
    counts = {d.slug: d.items for d in blueprint.domains}
    return render_template(
        "quiz/result.html",
        attempt=attempt,
        result=data,
        items=items,
        show=show,
        filters=REVIEW_FILTERS,
        missed=missed,
        titles=titles,
        blueprint_counts=counts,
        form=ActionForm(),
    )


@bp.post("/<int:attempt_id>/practice-missed")
@login_required
def practice_missed(attempt_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    attempt = _attempt(attempt_id)
    if not attempt.finished:
        abort(409)
    keys = list(dict.fromkeys(i.question.key for i in attempt.items if not i.correct))[: PRACTICE_COUNT_RANGE[1]]
    if not keys:
        flash("You missed no questions in this attempt.", "info")
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    blueprint = _blueprint()
    count = max(PRACTICE_COUNT_RANGE[0], len(keys))
    options = parse_start({"mode": "practice", "count": count, "question_ids": keys}, blueprint)
    options = replace(options, collection_id=(attempt.settings or {}).get("collection_id"))
    new = services.start_attempt(db.session, current_user.id, options, blueprint, utcnow())
    db.session.commit()
    return redirect(url_for("quiz.question", attempt_id=new.id, position=1))


@bp.get("/history")
@login_required
def history():
    attempts = services.list_attempts(db.session, current_user.id, utcnow())
    db.session.commit()
    return render_template("quiz/history.html", attempts=attempts)
