"""What a learner sees of an attempt, in the order they saw the options.

Exam items never reveal their domain, key or whether they are scored until the attempt is
finished; practice items carry feedback once answered.
"""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup, escape

from prep.core import exam
from prep.core.blueprint import Blueprint
from prep.models.attempt import Attempt, AttemptItem


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def displayed_options(item: AttemptItem) -> list[str]:
    return exam.in_display_order(item.version.options, item.option_order)


def feedback(item: AttemptItem) -> dict:
    """The key and every rationale, in the learner's option order."""
    version = item.version
    return {
        "correct": bool(item.correct) if item.choice is not None else False,
        "answer": exam.displayed_key(item.option_order, version.answer),
        "rationales": exam.in_display_order(version.rationales, item.option_order),
        "references": list(version.references),
    }


def item_payload(attempt: Attempt, item: AttemptItem) -> dict:
    payload = {
        "position": item.position,
        "stem": item.version.stem,
        "options": displayed_options(item),
        "choice": item.choice,
        "flagged": item.flagged,
    }
    if attempt.mode == "practice" and item.choice is not None:
        payload["feedback"] = feedback(item)
    return payload


def attempt_payload(attempt: Attempt, now: datetime, with_status: bool = True) -> dict:
    payload = {
        "id": attempt.id,
        "mode": attempt.mode,
        "deadline": iso(attempt.deadline),
        "items": [item_payload(attempt, i) for i in attempt.items],
    }
    if with_status:
        payload["status"] = attempt.status
        payload["seconds_left"] = exam.seconds_left(attempt.deadline, now) if attempt.status == "open" else 0
    return payload


def result_payload(attempt: Attempt, blueprint: Blueprint) -> dict:
    score = exam.score(
        (exam.AnsweredItem(i.domain, i.scored, bool(i.correct)) for i in attempt.items), blueprint.domain_slugs
    )
    return {
        "id": attempt.id,
        "mode": attempt.mode,
        "status": attempt.status,
        "started_at": iso(attempt.started_at),
        "finished_at": iso(attempt.finished_at),
        "time_used_seconds": time_used(attempt),
        "score": {"correct": score.correct, "total": score.total, "percent": score.percent},
        "domains": [{"domain": d.domain, "correct": d.correct, "total": d.total} for d in score.domains],
        "work_on": exam.weakest_domains(score, {d.slug: d.items for d in blueprint.domains}),
        "items": [
            {
                "position": i.position,
                "question_id": i.question.key,
                "version": i.version.version,
                "domain": i.domain,
                "scored": i.scored,
                "choice": i.choice,
                "answer": exam.displayed_key(i.option_order, i.version.answer),
                "correct": bool(i.correct) if i.choice is not None else False,
                "flagged": i.flagged,
                "stem": i.version.stem,
                "options": displayed_options(i),
                "rationales": exam.in_display_order(i.version.rationales, i.option_order),
                "references": list(i.version.references),
            }
            for i in attempt.items
        ],
    }


def time_used(attempt: Attempt) -> int | None:
    if attempt.finished_at is None:
        return None
    return max(0, round((attempt.finished_at - attempt.started_at).total_seconds()))


def summary_payload(attempt: Attempt) -> dict:
    return {
        "id": attempt.id,
        "mode": attempt.mode,
        "status": attempt.status,
        "timing": attempt.timing,
        "started_at": iso(attempt.started_at),
        "finished_at": iso(attempt.finished_at),
        "deadline": iso(attempt.deadline),
        "items": attempt.item_count,
        "score": None
        if attempt.score_total is None
        else {
            "correct": attempt.score_correct,
            "total": attempt.score_total,
            "percent": round(100 * attempt.score_correct / attempt.score_total, 1) if attempt.score_total else 0.0,
        },
    }


_SHOWN = {
    "all": lambda answered, flagged: True,
    "unanswered": lambda answered, flagged: not answered,
    "answered": lambda answered, flagged: answered,
    "flagged": lambda answered, flagged: flagged,
}
_FLAG_MARK = '<span aria-hidden="true" class="flag-mark">⚑</span>'


def navigator_items(marks, current: int, show: str) -> Markup:
    """The question navigator's <li> links, built here rather than in the template: with 135
    items, Jinja's escaping of each value cost about a tenth of the question page. Relative
    links to the sibling question pages; positions are integers and `show` is escaped once."""
    shown = _SHOWN[show]
    query = f"?show={escape(show)}"
    items = []
    for position, choice, flagged in marks:
        answered = choice is not None
        if not shown(answered, flagged):
            continue
        classes = "nav-item" + (" is-answered" if answered else "") + (" is-flagged" if flagged else "")
        current_attr = 'aria-current="page"' if position == current else ""
        status = ("answered" if answered else "unanswered") + (", flagged" if flagged else "")
        items.append(
            f'<li><a href="{int(position)}{query}" class="{classes}" {current_attr}>{int(position)}'
            f'<span class="visually-hidden">, {status}</span>{_FLAG_MARK if flagged else ""}</a></li>'
        )
    return Markup("\n".join(items))  # noqa: S704 - integers, fixed words and the escaped `show` only
